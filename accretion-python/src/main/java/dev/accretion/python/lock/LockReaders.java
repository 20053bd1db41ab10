package dev.accretion.python.lock;

import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import java.nio.file.Path;
import java.util.Map;

/** Reads any lock format Accretion knows into a {@link LockedListing}. Stateless. */
public final class LockReaders {
  private LockReaders() {}

  /**
   * Reads a lock.
   *
   * @param text the file's content
   * @param env the environment (Pipfile.lock source URLs may use {@code ${VAR}})
   * @throws ListingException when the format is not a lock, or the file can't be read as one
   */
  public static LockedListing read(
      Path file, String text, ListingFormat format, Map<String, String> env)
      throws ListingException {
    return switch (format) {
      case PYLOCK -> PylockReader.read(file, text);
      case UV_LOCK -> UvLockReader.read(file, text);
      case POETRY_LOCK -> PoetryLockReader.read(file, text);
      case PIPFILE_LOCK -> PipfileLockReader.read(file, text, env);
      default ->
          throw new ListingException(file + ": " + format.cliName() + " is not a lock format");
    };
  }
}
