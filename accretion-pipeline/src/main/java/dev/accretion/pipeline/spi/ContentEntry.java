package dev.accretion.pipeline.spi;

import java.util.Objects;

/**
 * One entry of a layer or function zip as its central directory describes it (nothing has been read
 * or verified). Immutable.
 *
 * @param path the name, {@code /}-separated, without a leading {@code ./} or trailing {@code /}
 * @param kind file, directory or symbolic link (from the Unix mode of the external attributes)
 * @param size the uncompressed size the zip declares
 * @param compressedSize the stored size
 * @param crc32 the CRC-32 the zip declares (two entries with equal size and CRC-32 are taken to
 *     hold the same bytes when layers are compared; nothing is read for that)
 * @param unixMode the Unix permission bits when the zip recorded them, else 0
 */
public record ContentEntry(
    String path, Kind kind, long size, long compressedSize, long crc32, int unixMode) {

  /** What an entry is. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK
  }

  public ContentEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    if (size < 0 || compressedSize < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }

  /** Whether any execute bit is set. */
  public boolean isExecutable() {
    return (unixMode & 0111) != 0;
  }

  /** The last path segment. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
