package dev.accretion.python.listing;

import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads listings and lock files with a size limit, so that {@code -r /dev/zero} or a runaway
 * generated file ends in an error naming the file instead of filling the memory.
 */
public final class ListingFiles {
  /**
   * The largest listing or lock file read: 16 MiB. The largest real lock files (a uv.lock of a big
   * monorepo) are a few MB.
   */
  public static final int MAX_BYTES = 16 << 20;

  private ListingFiles() {}

  /**
   * The file's bytes.
   *
   * @param what what the file is, for messages ("requirements file", "listing")
   * @throws ListingException {@link FailureKind#NOT_FOUND} when it does not exist, {@link
   *     FailureKind#TOO_LARGE} past {@link #MAX_BYTES} (reading stops there), else a failure naming
   *     the file
   */
  public static byte[] read(Path file, String what) throws ListingException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new ListingException(
            FailureKind.TOO_LARGE,
            what
                + " '"
                + file
                + "' is larger than "
                + (MAX_BYTES >> 20)
                + " MiB, the limit for listings and lock files; reading stopped there (is it the"
                + " right file?)");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ListingException(FailureKind.NOT_FOUND, what + " '" + file + "' does not exist");
    } catch (IOException e) {
      throw new ListingException("cannot read " + what + " '" + file + "': " + e, e);
    }
  }
}
