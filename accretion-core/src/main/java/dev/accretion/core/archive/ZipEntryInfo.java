package dev.accretion.core.archive;

import java.util.Objects;

/**
 * One entry of a {@link ZipArchive}, as validated when the archive was opened: its central
 * directory record agrees with its local header, its name is safe, its data lies inside the file.
 *
 * @param index position in {@link ZipArchive#entries()} (central directory order)
 * @param name the name as stored (directories end with {@code /})
 * @param path the name normalized: no {@code .} or empty segments, no trailing {@code /}; unique
 *     within the archive
 * @param method 0 (STORED) or 8 (DEFLATE)
 * @param flags the general purpose bit flags
 * @param crc32 the CRC-32 of the uncompressed content, as declared
 * @param compressedSize bytes of data as stored
 * @param uncompressedSize bytes of content, as declared (reading verifies it)
 * @param unixMode the Unix mode from the external attributes when the entry was made on Unix, else
 *     0
 * @param isDirectory whether the name ends with {@code /}
 * @param localHeaderOffset where the local header starts
 * @param dataOffset where the stored data starts
 */
public record ZipEntryInfo(
    int index,
    String name,
    String path,
    int method,
    int flags,
    long crc32,
    long compressedSize,
    long uncompressedSize,
    int unixMode,
    boolean isDirectory,
    long localHeaderOffset,
    long dataOffset) {

  /** Compression method STORED. */
  public static final int STORED = 0;

  /** Compression method DEFLATE. */
  public static final int DEFLATED = 8;

  public ZipEntryInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    if (index < 0
        || compressedSize < 0
        || uncompressedSize < 0
        || localHeaderOffset < 0
        || dataOffset < localHeaderOffset) {
      throw new IllegalArgumentException("inconsistent zip entry " + name);
    }
    if (method != STORED && method != DEFLATED) {
      throw new IllegalArgumentException("unsupported method " + method + " for " + name);
    }
  }

  /** True for a file whose Unix mode has any execute bit. */
  public boolean isExecutable() {
    return !isDirectory && (unixMode & 0111) != 0;
  }

  /** True when a data descriptor follows the data (general purpose flag bit 3). */
  public boolean hasDataDescriptor() {
    return (flags & 0x08) != 0;
  }
}
