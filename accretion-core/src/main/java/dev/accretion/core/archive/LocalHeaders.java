package dev.accretion.core.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks a strict {@link ZipArchive} adds to the central directory: every local header agrees
 * with its central record (name, method, flags, and CRC and sizes unless a data descriptor carries
 * them, in which case the descriptor must agree); no two entries name one path, exactly or after
 * normalization, and none lies inside a path another entry makes a file; entries lie before the
 * central directory and do not overlap (overlapping entries are how "non-recursive" zip bombs
 * multiply their data). One instance per archive being opened.
 */
final class LocalHeaders implements CentralDirectoryReader.LocalCheck {
  private static final int LOCAL_HEADER_SIZE = 30;
  private static final long U32_MAX = 0xFFFF_FFFFL;
  private static final String DAMAGED = ZipArchive.DAMAGED;

  private final ArchiveSource source;
  private final String label;
  private final long size;

  LocalHeaders(ArchiveSource source, String label, long size) {
    this.source = source;
    this.label = label;
    this.size = size;
  }

  @Override
  public long dataOffset(
      String name,
      byte[] rawName,
      int flags,
      int method,
      long crc,
      long compressedSize,
      long uncompressedSize,
      long localOffset)
      throws ArchiveException, IOException {
    return checkLocalHeader(
        name, rawName, flags, method, crc, compressedSize, uncompressedSize, localOffset);
  }

  /** Validates the local header against the central record; returns the data offset. */
  private long checkLocalHeader(
      String name,
      byte[] rawName,
      int flags,
      int method,
      long crc,
      long compressedSize,
      long uncompressedSize,
      long localOffset)
      throws ArchiveException, IOException {
    if (localOffset > size - LOCAL_HEADER_SIZE) {
      throw entryFail(
          name, "has its local header outside the file (offset " + localOffset + ")", DAMAGED);
    }
    byte[] header = readAt(localOffset, LOCAL_HEADER_SIZE);
    if (u32(header, 0) != ZipArchive.LOCAL_SIG) {
      throw entryFail(
          name,
          "has no local header where the central directory says (" + localOffset + ")",
          DAMAGED);
    }
    int localFlags = u16(header, 6);
    int localMethod = u16(header, 8);
    long localCrc = u32(header, 14);
    long localCompressed = u32(header, 18);
    long localUncompressed = u32(header, 22);
    int nameLength = u16(header, 26);
    int extraLength = u16(header, 28);
    long variableEnd = localOffset + LOCAL_HEADER_SIZE + nameLength + extraLength;
    if (variableEnd > size) {
      throw entryFail(name, "has a local header that runs past the end of the file", DAMAGED);
    }
    byte[] variable = readAt(localOffset + LOCAL_HEADER_SIZE, nameLength + extraLength);
    if (!Arrays.equals(variable, 0, nameLength, rawName, 0, rawName.length)) {
      throw entryFail(
          name,
          "has the name '"
              + ZipNames.escapeBytes(Arrays.copyOf(variable, nameLength))
              + "' in its local header (local header and central directory disagree)",
          DAMAGED);
    }
    if (localMethod != method) {
      throw entryFail(
          name,
          "has compression method "
              + localMethod
              + " in its local header but "
              + method
              + " in the central directory",
          DAMAGED);
    }
    if (localFlags != flags) {
      throw entryFail(
          name,
          String.format(
              Locale.ROOT,
              "has flags 0x%04x in its local header but 0x%04x in the central directory",
              localFlags,
              flags),
          DAMAGED);
    }
    long[] values = {localUncompressed, localCompressed, 0, 0};
    long[] markers = {U32_MAX, U32_MAX, -1, -1};
    CentralDirectoryReader.readZip64Extra(
        label, name, variable, nameLength, extraLength, values, markers);
    boolean zip64Local = localUncompressed == U32_MAX || localCompressed == U32_MAX;
    localUncompressed = values[0];
    localCompressed = values[1];
    boolean descriptor = (flags & 0x08) != 0;
    if (descriptor) {
      // With a data descriptor the local values may be zero (the usual case) or already right.
      if ((localCrc != 0 && localCrc != crc)
          || (localCompressed != 0 && localCompressed != compressedSize)
          || (localUncompressed != 0 && localUncompressed != uncompressedSize)) {
        throw entryFail(
            name,
            "has CRC or sizes in its local header that disagree with the central directory",
            DAMAGED);
      }
    } else if (localCrc != crc
        || localCompressed != compressedSize
        || localUncompressed != uncompressedSize) {
      throw entryFail(
          name,
          String.format(
              Locale.ROOT,
              "has CRC %08x and sizes %d/%d in its local header but %08x and %d/%d in the"
                  + " central directory",
              localCrc,
              localCompressed,
              localUncompressed,
              crc,
              compressedSize,
              uncompressedSize),
          DAMAGED);
    }
    long dataOffset = variableEnd;
    if (compressedSize > size - dataOffset) {
      throw entryFail(
          name,
          "has data that runs past the end of the file ("
              + compressedSize
              + " bytes at offset "
              + dataOffset
              + ")",
          DAMAGED);
    }
    if (descriptor) {
      checkDescriptor(
          name, dataOffset + compressedSize, crc, compressedSize, uncompressedSize, zip64Local);
    }
    return dataOffset;
  }

  /** Data descriptor (APPNOTE 4.3.9): optional signature, CRC, then 4- or 8-byte sizes. */
  private void checkDescriptor(
      String name,
      long position,
      long crc,
      long compressedSize,
      long uncompressedSize,
      boolean zip64)
      throws ArchiveException, IOException {
    int available = (int) Math.min(24, size - position);
    byte[] d = readAt(position, Math.max(0, available));
    for (int start : new int[] {4, 0}) {
      if (start == 4 && (d.length < 4 || u32(d, 0) != ZipArchive.DESCRIPTOR_SIG)) {
        continue;
      }
      for (boolean wide : zip64 ? new boolean[] {true} : new boolean[] {false, true}) {
        int length = start + (wide ? 20 : 12);
        if (d.length < length) {
          continue;
        }
        long c = u32(d, start);
        long cs = wide ? u64(d, start + 4) : u32(d, start + 4);
        long us = wide ? u64(d, start + 12) : u32(d, start + 8);
        if (c == crc && cs == compressedSize && us == uncompressedSize) {
          descriptorLengths.put(position, length);
          return;
        }
      }
    }
    throw entryFail(
        name,
        "has a data descriptor that is missing or disagrees with the central directory",
        DAMAGED);
  }

  /** Descriptor length by its position, to include it in the overlap check. */
  private final Map<Long, Integer> descriptorLengths = new HashMap<>();

  /** Duplicate paths, exactly or after normalization, and files used as directories. */
  Map<String, ZipEntryInfo> checkPaths(List<ZipEntryInfo> entries) throws ArchiveException {
    Map<String, ZipEntryInfo> byPath = new HashMap<>(entries.size() * 2);
    for (ZipEntryInfo e : entries) {
      ZipEntryInfo earlier = byPath.putIfAbsent(e.path(), e);
      if (earlier != null) {
        String how =
            earlier.name().equals(e.name())
                ? "appears twice in the archive"
                : "names the same path as entry '"
                    + ArchiveException.printable(earlier.name())
                    + "' (after normalization: '"
                    + ArchiveException.printable(e.path())
                    + "')";
        throw entryFail(e.name(), how + "; an installer could take either one", DAMAGED);
      }
    }
    for (ZipEntryInfo e : entries) {
      String p = e.path();
      for (int slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) {
        ZipEntryInfo parent = byPath.get(p.substring(0, slash));
        if (parent != null && !parent.isDirectory()) {
          throw entryFail(
              e.name(),
              "lies inside '"
                  + ArchiveException.printable(parent.name())
                  + "', which is a file in this archive",
              DAMAGED);
        }
      }
    }
    return byPath;
  }

  /** Entries must lie before the central directory and must not overlap one another. */
  void checkLayout(List<ZipEntryInfo> entries, long centralOffset) throws ArchiveException {
    List<ZipEntryInfo> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(ZipEntryInfo::localHeaderOffset));
    ZipEntryInfo previous = null;
    long previousEnd = 0;
    for (ZipEntryInfo e : sorted) {
      if (previous != null && e.localHeaderOffset() < previousEnd) {
        throw entryFail(
            e.name(),
            "overlaps entry '"
                + ArchiveException.printable(previous.name())
                + "' (overlapping entries are how zip bombs multiply their data)",
            DAMAGED);
      }
      long dataEnd = e.dataOffset() + e.compressedSize();
      long end = dataEnd + (e.hasDataDescriptor() ? descriptorLengths.getOrDefault(dataEnd, 0) : 0);
      if (end > centralOffset) {
        throw entryFail(
            e.name(),
            "has data that runs into the central directory (ends at "
                + end
                + ", directory starts at "
                + centralOffset
                + ")",
            DAMAGED);
      }
      previous = e;
      previousEnd = end;
    }
  }

  private byte[] readAt(long position, int length) throws ArchiveException, IOException {
    return source.read(position, length);
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
