package dev.accretion.core.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the structure every zip reader starts from: the end of central directory record (ZIP64 and
 * archive comments included) and every central directory record, touching only the end of the file
 * and the directory itself (so that over HTTP only those byte ranges are fetched). It refuses what
 * no honest archive holds (an {@link ArchiveException} naming the archive and the entry): entry
 * counts, sizes and offsets that disagree or point outside the file, unsafe or undecodable names,
 * encryption, methods other than STORED and DEFLATE, split archives, symlinks and other special
 * files, directories with content. The local header of each entry is checked by the {@link
 * LocalCheck} given, in directory order (the strict {@link ZipArchive} checks them all).
 *
 * <p>Without a local check an entry's {@link ZipEntryInfo#dataOffset()} is its local header's
 * offset: the caller reads the local header itself. Stateless; one read per instance.
 */
public final class CentralDirectoryReader {
  private static final int CENTRAL_HEADER_SIZE = 46;
  private static final int END_SIZE = 22;
  private static final int ZIP64_LOCATOR_SIZE = 20;
  private static final int ZIP64_END_MIN_SIZE = 56;
  private static final long U32_MAX = 0xFFFF_FFFFL;

  /** Flag bits that mean some form of encryption (APPNOTE 4.4.4: bits 0, 6 and 13). */
  private static final int ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000;

  private static final String DAMAGED = ZipArchive.DAMAGED;

  /** Checks an entry's local header against its central record; returns where its data starts. */
  @FunctionalInterface
  public interface LocalCheck {
    long dataOffset(
        String name,
        byte[] rawName,
        int flags,
        int method,
        long crc,
        long compressedSize,
        long uncompressedSize,
        long localOffset)
        throws ArchiveException, IOException;
  }

  /**
   * What was read.
   *
   * @param entries every entry, in directory order
   * @param centralOffset where the central directory starts
   * @param comment the archive comment as stored
   * @param size the archive's size in bytes
   */
  public record CentralDirectory(
      List<ZipEntryInfo> entries, long centralOffset, byte[] comment, long size) {
    public CentralDirectory {
      entries = List.copyOf(entries);
      comment = comment.clone();
    }

    @Override
    public byte[] comment() {
      return comment.clone();
    }
  }

  private final ArchiveSource source;
  private final String label;
  private final ZipLimits limits;
  private final boolean allowPrepended;
  private final LocalCheck local;
  private long size;

  private CentralDirectoryReader(
      ArchiveSource source,
      String label,
      ZipLimits limits,
      boolean allowPrepended,
      LocalCheck local) {
    this.source = source;
    this.label = label;
    this.limits = limits;
    this.allowPrepended = allowPrepended;
    this.local = local;
  }

  /**
   * Reads the end record and the central directory of {@code source}.
   *
   * @param label the archive in messages
   * @param limits the entry count and directory size accepted
   * @param allowPrepended accept data before the archive (offsets are then shifted by its length),
   *     as Python's zipfile does; the strict reader refuses it
   * @param local the check of each entry's local header, or null to read the directory alone
   * @throws ArchiveException when the structure is refused (see the class comment)
   * @throws IOException when {@code source} fails (its own exceptions, unchanged)
   */
  public static CentralDirectory read(
      ArchiveSource source,
      String label,
      ZipLimits limits,
      boolean allowPrepended,
      LocalCheck local)
      throws ArchiveException, IOException {
    return new CentralDirectoryReader(source, label, limits, allowPrepended, local).read();
  }

  CentralDirectory read() throws ArchiveException, IOException {
    size = source.size();
    if (size < END_SIZE) {
      throw archiveFail(
          "is too small to be a zip archive (" + size + " bytes)", "it is not a zip archive");
    }
    // End of central directory record: the last 22 bytes plus a comment of up to 65,535 bytes.
    // The record is the one, searching from the end, whose comment length reaches exactly to
    // the end of the file (no trailing data is accepted).
    int tailLength = (int) Math.min(size, END_SIZE + 0xFFFF);
    long tailStart = size - tailLength;
    byte[] tail = readAt(tailStart, tailLength);
    int end = -1;
    for (int i = tailLength - END_SIZE; i >= 0; i--) {
      if (u32(tail, i) == ZipArchive.END_SIG && u16(tail, i + 20) == tailLength - i - END_SIZE) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw archiveFail(
          "has no end of central directory record (not a zip archive, truncated, or with data"
              + " appended)",
          DAMAGED);
    }
    long endPosition = tailStart + end;
    int disk = u16(tail, end + 4);
    int centralDisk = u16(tail, end + 6);
    long entriesOnDisk = u16(tail, end + 8);
    long entryCount = u16(tail, end + 10);
    long centralSize = u32(tail, end + 12);
    long centralOffset = u32(tail, end + 16);
    byte[] comment = Arrays.copyOfRange(tail, end + END_SIZE, tailLength);
    long centralEnd = endPosition;

    if (endPosition >= ZIP64_LOCATOR_SIZE) {
      byte[] locator = readAt(endPosition - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
      if (u32(locator, 0) == ZipArchive.ZIP64_LOCATOR_SIG) {
        long zip64Disk = u32(locator, 4);
        long zip64Offset = u64(locator, 8);
        long recorded = zip64Offset;
        long totalDisks = u32(locator, 16);
        if (zip64Disk != 0 || totalDisks > 1) {
          throw archiveFail(
              "spans several disks (a split archive), which is not supported",
              "join the parts into one archive");
        }
        long locatorPosition = endPosition - ZIP64_LOCATOR_SIZE;
        if (allowPrepended && locatorPosition >= ZIP64_END_MIN_SIZE) {
          // data before the archive shifts every recorded offset: the record is where it must be,
          // right before the locator (as Python's zipfile reads it)
          long expected = locatorPosition - ZIP64_END_MIN_SIZE;
          if (u32(readAt(expected, 4), 0) == ZipArchive.ZIP64_END_SIG) {
            zip64Offset = expected;
          }
        }
        if (zip64Offset < 0 || zip64Offset > locatorPosition - ZIP64_END_MIN_SIZE) {
          throw archiveFail(
              "has a ZIP64 end record locator pointing outside the archive (" + recorded + ")",
              DAMAGED);
        }
        byte[] zip64 = readAt(zip64Offset, ZIP64_END_MIN_SIZE);
        if (u32(zip64, 0) != ZipArchive.ZIP64_END_SIG) {
          throw archiveFail(
              "has no ZIP64 end record where its locator says (" + recorded + ")", DAMAGED);
        }
        long recordSize = u64(zip64, 4);
        if (recordSize < ZIP64_END_MIN_SIZE - 12
            || zip64Offset + 12 + recordSize != locatorPosition) {
          throw archiveFail(
              "has a ZIP64 end record whose size disagrees with its position", DAMAGED);
        }
        long disk64 = u32(zip64, 16);
        long centralDisk64 = u32(zip64, 20);
        long entriesOnDisk64 = u64(zip64, 24);
        long entryCount64 = u64(zip64, 32);
        long centralSize64 = u64(zip64, 40);
        long centralOffset64 = u64(zip64, 48);
        // The classic record must either hold the same values or the "see ZIP64" markers.
        if (!agrees(disk, 0xFFFF, disk64)
            || !agrees(centralDisk, 0xFFFF, centralDisk64)
            || !agrees(entriesOnDisk, 0xFFFF, entriesOnDisk64)
            || !agrees(entryCount, 0xFFFF, entryCount64)
            || !agrees(centralSize, U32_MAX, centralSize64)
            || !agrees(centralOffset, U32_MAX, centralOffset64)) {
          throw archiveFail("has ZIP64 and classic end records that disagree", DAMAGED);
        }
        disk = (int) Math.min(disk64, Integer.MAX_VALUE);
        centralDisk = (int) Math.min(centralDisk64, Integer.MAX_VALUE);
        entriesOnDisk = entriesOnDisk64;
        entryCount = entryCount64;
        centralSize = centralSize64;
        centralOffset = centralOffset64;
        centralEnd = zip64Offset;
      }
    }
    if (disk != 0 || centralDisk != 0) {
      throw archiveFail(
          "spans several disks (a split archive), which is not supported",
          "join the parts into one archive");
    }
    if (entriesOnDisk != entryCount) {
      throw archiveFail(
          "has an end record with two different entry counts ("
              + entriesOnDisk
              + " and "
              + entryCount
              + ")",
          DAMAGED);
    }
    long prepended = 0;
    if (allowPrepended
        && centralSize >= 0
        && centralOffset >= 0
        && centralSize <= centralEnd
        && centralOffset + centralSize < centralEnd) {
      // data before the archive (a self-extracting stub): offsets count from the archive's start
      prepended = centralEnd - centralSize - centralOffset;
      centralOffset += prepended;
    }
    if (centralOffset < 0
        || centralSize < 0
        || centralOffset > centralEnd
        || centralOffset + centralSize != centralEnd) {
      throw archiveFail(
          "has a central directory that is not where its end record says (offset "
              + centralOffset
              + ", size "
              + centralSize
              + ", but the end record is at "
              + centralEnd
              + "): data prepended or truncated, or a forged end record",
          DAMAGED);
    }
    if (entryCount < 0 || entryCount > limits.maxEntries()) {
      throw archiveFail(
          "declares " + entryCount + " entries, more than the limit of " + limits.maxEntries(),
          "split the content over several archives");
    }
    if (centralSize > limits.maxCentralDirectoryBytes()) {
      throw archiveFail(
          "has a central directory of "
              + centralSize
              + " bytes, more than the limit of "
              + limits.maxCentralDirectoryBytes(),
          "split the content over several archives");
    }
    if (entryCount * CENTRAL_HEADER_SIZE > centralSize) {
      throw archiveFail(
          "declares "
              + entryCount
              + " entries, but its central directory of "
              + centralSize
              + " bytes can hold at most "
              + centralSize / CENTRAL_HEADER_SIZE
              + " (the entry count lies)",
          DAMAGED);
    }
    byte[] central = readAt(centralOffset, (int) centralSize);
    List<ZipEntryInfo> entries = readCentral(central, (int) entryCount, prepended);
    return new CentralDirectory(entries, centralOffset, comment, size);
  }

  private static boolean agrees(long classic, long marker, long zip64) {
    return classic == marker || classic == zip64;
  }

  /** Parses exactly {@code count} central directory records and the local header of each. */
  private List<ZipEntryInfo> readCentral(byte[] central, int count, long prepended)
      throws ArchiveException, IOException {
    List<ZipEntryInfo> entries = new ArrayList<>(count);
    int p = 0;
    for (int i = 0; i < count; i++) {
      if (p + CENTRAL_HEADER_SIZE > central.length || u32(central, p) != ZipArchive.CENTRAL_SIG) {
        throw archiveFail(
            "declares "
                + count
                + " entries, but its central directory holds only "
                + i
                + " (the entry count lies, or the directory is damaged)",
            DAMAGED);
      }
      int madeBy = u16(central, p + 4);
      int flags = u16(central, p + 8);
      int method = u16(central, p + 10);
      long crc = u32(central, p + 16);
      long compressedSize = u32(central, p + 20);
      long uncompressedSize = u32(central, p + 24);
      int nameLength = u16(central, p + 28);
      int extraLength = u16(central, p + 30);
      int commentLength = u16(central, p + 32);
      long diskStart = u16(central, p + 34);
      long external = u32(central, p + 38);
      long localOffset = u32(central, p + 42);
      int recordLength = CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
      if (p + recordLength > central.length) {
        throw archiveFail(
            "has a central directory record (number " + i + ") that runs past the directory",
            DAMAGED);
      }
      byte[] rawName = Arrays.copyOfRange(central, p + 46, p + 46 + nameLength);
      ZipNames.Decoded decoded = ZipNames.decode(rawName, (flags & 0x0800) != 0);
      String name = decoded.name();
      if (decoded.problem() != null) {
        throw entryFail(name, decoded.problem(), DAMAGED);
      }
      // ZIP64 extended information (APPNOTE 4.5.3): present fields replace, in this order, the
      // values stored as 0xFFFFFFFF (0xFFFF for the disk number).
      long[] values = {uncompressedSize, compressedSize, localOffset, diskStart};
      long[] markers = {U32_MAX, U32_MAX, U32_MAX, 0xFFFF};
      readZip64Extra(label, name, central, p + 46 + nameLength, extraLength, values, markers);
      uncompressedSize = values[0];
      compressedSize = values[1];
      localOffset = values[2] + prepended;
      diskStart = values[3];

      String path;
      try {
        path = ZipNames.normalize(name);
      } catch (IllegalArgumentException e) {
        throw entryFail(name, e.getMessage(), DAMAGED);
      }
      if ((flags & ENCRYPTION_FLAGS) != 0 || method == 99) {
        throw entryFail(
            name,
            "is encrypted",
            "encrypted entries cannot be installed: use an unencrypted archive");
      }
      if (method != ZipEntryInfo.STORED && method != ZipEntryInfo.DEFLATED) {
        throw entryFail(
            name,
            "uses compression method "
                + method
                + methodName(method)
                + ", but only STORED (0) and DEFLATE (8) are supported",
            "re-pack the archive with DEFLATE (any wheel built by standard tools uses it)");
      }
      if (diskStart != 0) {
        throw entryFail(
            name,
            "starts on disk " + diskStart + " (a split archive), which is not supported",
            "join the parts into one archive");
      }
      if (compressedSize < 0 || uncompressedSize < 0 || localOffset < 0) {
        throw entryFail(name, "has sizes or an offset past 2^63", DAMAGED);
      }
      if (method == ZipEntryInfo.STORED && compressedSize != uncompressedSize) {
        throw entryFail(
            name,
            "is STORED but declares "
                + compressedSize
                + " bytes stored and "
                + uncompressedSize
                + " bytes of content (bad sizes)",
            DAMAGED);
      }
      boolean directory = name.endsWith("/");
      int host = madeBy >>> 8;
      // Unix (3) and OS X (19) hosts keep st_mode in the high 16 bits of the external
      // attributes (APPNOTE 4.4.15, Info-ZIP); other hosts' attributes carry no file type.
      int unixMode = host == 3 || host == 19 ? (int) (external >>> 16) : 0;
      checkFileType(name, unixMode, directory);
      if (directory && uncompressedSize != 0) {
        throw entryFail(
            name,
            "is a directory but declares " + uncompressedSize + " bytes of content (bad sizes)",
            DAMAGED);
      }
      long dataOffset =
          local == null
              ? localOffset
              : local.dataOffset(
                  name, rawName, flags, method, crc, compressedSize, uncompressedSize, localOffset);
      entries.add(
          new ZipEntryInfo(
              i,
              name,
              path,
              method,
              flags,
              crc,
              compressedSize,
              uncompressedSize,
              unixMode,
              directory,
              localOffset,
              dataOffset));
      p += recordLength;
    }
    if (p != central.length) {
      if (p + 4 <= central.length && u32(central, p) == ZipArchive.CENTRAL_SIG) {
        throw archiveFail(
            "has more entries in its central directory than the "
                + count
                + " its end record declares (the entry count lies)",
            DAMAGED);
      }
      throw archiveFail(
          "has "
              + (central.length - p)
              + " bytes of unexplained data at the end of its central directory",
          DAMAGED);
    }
    return entries;
  }

  /** ZIP64 extended information (APPNOTE 4.5.3), replacing the marked values in order. */
  static void readZip64Extra(
      String label, String name, byte[] b, int start, int length, long[] values, long[] markers)
      throws ArchiveException {
    int p = start;
    int end = start + length;
    boolean seen = false;
    while (p < end) {
      if (p + 4 > end) {
        throw new ArchiveException(
            label, name, "has a malformed extra field (truncated header)", DAMAGED);
      }
      int id = u16(b, p);
      int size = u16(b, p + 2);
      if (p + 4 + size > end) {
        throw new ArchiveException(
            label, name, "has a malformed extra field (runs past its end)", DAMAGED);
      }
      if (id == 0x0001) {
        if (seen) {
          throw new ArchiveException(label, name, "has two ZIP64 extra fields", DAMAGED);
        }
        seen = true;
        int q = p + 4;
        for (int k = 0; k < values.length; k++) {
          if (values[k] == markers[k]) {
            int width = k == 3 ? 4 : 8;
            if (q + width > p + 4 + size) {
              throw new ArchiveException(
                  label,
                  name,
                  "has a ZIP64 extra field too short for the values it replaces",
                  DAMAGED);
            }
            values[k] = width == 8 ? u64(b, q) : u32(b, q);
            q += width;
          }
        }
      }
      p += 4 + size;
    }
  }

  private void checkFileType(String name, int unixMode, boolean directory) throws ArchiveException {
    int type = unixMode & 0170000;
    switch (type) {
      case 0 -> {}
      case 0100000 -> {
        if (directory) {
          throw entryFail(name, "has a name ending in '/' but the mode of a regular file", DAMAGED);
        }
      }
      case 0040000 -> {
        if (!directory) {
          throw entryFail(
              name, "has the mode of a directory but a name not ending in '/'", DAMAGED);
        }
      }
      case 0120000 ->
          throw entryFail(
              name,
              "is a symbolic link; symlinks are refused because they can point outside the"
                  + " install directory",
              "ask the publisher for an archive without symlinks");
      default ->
          throw entryFail(
              name,
              "is a "
                  + fileTypeName(type)
                  + " (mode "
                  + Integer.toOctalString(unixMode)
                  + "); only regular files and directories can be installed",
              DAMAGED);
    }
  }

  private static String fileTypeName(int type) {
    return switch (type) {
      case 0010000 -> "FIFO";
      case 0020000 -> "character device";
      case 0060000 -> "block device";
      case 0140000 -> "socket";
      default -> "file of unknown type " + Integer.toOctalString(type);
    };
  }

  private static String methodName(int method) {
    String name =
        switch (method) {
          case 1 -> "Shrink";
          case 6 -> "Implode";
          case 9 -> "Deflate64";
          case 12 -> "BZIP2";
          case 14 -> "LZMA";
          case 93 -> "Zstandard";
          case 95 -> "XZ";
          case 98 -> "PPMd";
          default -> null;
        };
    return name == null ? "" : " (" + name + ")";
  }

  private byte[] readAt(long position, int length) throws ArchiveException, IOException {
    return source.read(position, length);
  }

  private ArchiveException archiveFail(String problem, String advice) {
    return new ArchiveException(label, null, problem, advice);
  }

  private ArchiveException entryFail(String name, String problem, String advice) {
    return new ArchiveException(label, name, problem, advice);
  }

  private static int u16(byte[] b, int p) {
    return ZipArchive.u16(b, p);
  }

  private static long u32(byte[] b, int p) {
    return ZipArchive.u32(b, p);
  }

  private static long u64(byte[] b, int p) {
    return ZipArchive.u64(b, p);
  }
}
