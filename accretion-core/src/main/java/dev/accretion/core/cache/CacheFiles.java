package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/** File-system helpers of the cache: durability, quiet deletes, and error messages. */
final class CacheFiles {
  static final String ADVICE =
      "make it writable (and check there is free space), or choose another cache directory with"
          + " --cache-dir or ACCRETION_CACHE_DIR";

  private CacheFiles() {}

  /**
   * Makes a rename or link in {@code directory} durable. Directories can be fsynced on Linux and
   * macOS; where opening a directory fails (Windows) there is nothing more to do.
   */
  static void fsyncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported on this platform; the rename itself is still atomic
    }
  }

  /** Deletes a file, ignoring failures: leftovers in tmp/ are collected by gc. */
  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // gc removes stale temp files later
    }
  }

  /** The modification time, or {@link Instant#EPOCH} when the file is gone. */
  static Instant modifiedOrEpoch(Path file) throws IOException {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (NoSuchFileException e) {
      return Instant.EPOCH;
    }
  }

  /** What went wrong, in a few words, for a message. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "it does not exist";
    }
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
      return "it is not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(Locale.ROOT);
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The cache directory cannot be used at all (open, layout, probe). */
  static CacheException unusable(Path root, Path where, IOException e) {
    String at = where.equals(root) ? "" : " (at " + where + ")";
    return new CacheException(
        "cannot use the cache directory " + root + ": " + reason(e) + at + "; " + ADVICE, e);
  }

  /** One operation on one cache file failed. */
  static CacheException failed(Path root, String action, Path path, IOException e) {
    return new CacheException(
        "could not "
            + action
            + " "
            + path
            + " in the cache at "
            + root
            + ": "
            + reason(e)
            + "; "
            + ADVICE
            + " (a damaged cache can be checked with 'accretion cache verify')",
        e);
  }
}
