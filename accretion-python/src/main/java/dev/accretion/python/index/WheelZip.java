package dev.accretion.python.index;

import dev.accretion.python.PackageName;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one member of a wheel's zip through random access to its bytes, touching only the end of
 * central directory record (plain or ZIP64, after any archive comment), the central directory and
 * the member itself — so that over HTTP only those byte ranges need to be fetched.
 */
final class WheelZip {
  /** Random access to the bytes of a zip. */
  interface ByteSource {
    long size();

    /** Exactly {@code length} bytes at {@code offset}. */
    byte[] read(long offset, int length) throws IOException, IndexException;
  }

  /** A central directory entry. */
  record Entry(
      String name, int flags, int method, long crc, long compressedSize, long size, long offset) {}

  static final int EOCD_SIZE = 22;
  static final int MAX_COMMENT = 0xffff;

  /** What a tail read should fetch to be sure to hold the EOCD record after a maximal comment. */
  static final int TAIL_FOR_EOCD = EOCD_SIZE + MAX_COMMENT + 20;

  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int LOCAL_SIG = 0x04034b50;

  private final ByteSource source;
  private final String describe;
  private final long maxCentralDirectory;
  private final long maxMember;

  /**
   * @param describe the wheel for messages (file name and URL)
   * @param maxCentralDirectory the largest central directory accepted, in bytes
   * @param maxMember the largest member (compressed or not) accepted, in bytes
   */
  WheelZip(ByteSource source, String describe, long maxCentralDirectory, long maxMember) {
    this.source = source;
    this.describe = describe;
    this.maxCentralDirectory = maxCentralDirectory;
    this.maxMember = maxMember;
  }

  /**
   * Reads {@code <name>-<version>.dist-info/METADATA}. The wheel must have exactly one top-level
   * {@code .dist-info} folder, whose name starts with the wheel's normalized project name (as pip
   * checks).
   */
  byte[] readMetadata(String wheelFilename) throws IOException, IndexException {
    List<Entry> entries = centralDirectory();
    TreeSet<String> distInfo = new TreeSet<>();
    for (Entry entry : entries) {
      int slash = entry.name().indexOf('/');
      String top = slash < 0 ? entry.name() : entry.name().substring(0, slash);
      if (top.endsWith(".dist-info")) {
        distInfo.add(top);
      }
    }
    if (distInfo.isEmpty()) {
      throw invalid("it has no .dist-info folder");
    }
    if (distInfo.size() > 1) {
      throw invalid("it has more than one .dist-info folder: " + String.join(", ", distInfo));
    }
    String folder = distInfo.first();
    int dash = wheelFilename.indexOf('-');
    String project =
        PackageName.normalize(dash > 0 ? wheelFilename.substring(0, dash) : wheelFilename);
    if (!PackageName.normalize(folder).startsWith(project)) {
      throw invalid("its .dist-info folder " + folder + " does not start with " + project);
    }
    String wanted = folder + "/METADATA";
    for (Entry entry : entries) {
      if (entry.name().equals(wanted)) {
        return read(entry);
      }
    }
    throw invalid("it has no " + wanted);
  }

  /** The central directory, located through the (ZIP64) end of central directory record. */
  List<Entry> centralDirectory() throws IOException, IndexException {
    long size = source.size();
    if (size < EOCD_SIZE) {
      throw invalid("it is " + size + " bytes long, too short for a zip");
    }
    int tailLength = (int) Math.min(size, TAIL_FOR_EOCD);
    long tailStart = size - tailLength;
    byte[] tail = source.read(tailStart, tailLength);
    int eocd = findEndRecord(tail);
    if (eocd < 0) {
      throw invalid("no end of central directory record: it is not a zip file");
    }
    long eocdOffset = tailStart + eocd;
    long entryCount = u16(tail, eocd + 10);
    long cdSize = u32(tail, eocd + 12);
    long cdOffset = u32(tail, eocd + 16);
    long cdEnd = eocdOffset;
    // ZIP64 (APPNOTE 4.3.14/4.3.15): a locator right before the EOCD record points at the
    // ZIP64 end record, which holds the real sizes when the classic fields overflow.
    if (eocdOffset >= 20) {
      byte[] locator = slice(tail, tailStart, eocdOffset - 20, 20);
      if (u32(locator, 0) == ZIP64_LOCATOR_SIG) {
        long zip64Offset = u64(locator, 8);
        long zip64Expected = eocdOffset - 20 - 56;
        if (zip64Expected < 0) {
          throw invalid("a ZIP64 locator without room for a ZIP64 end record");
        }
        // Read the record where it must be (just before the locator): data prepended to the zip
        // shifts the recorded offset, and the record's position is what counts.
        byte[] record = slice(tail, tailStart, zip64Expected, 56);
        if (u32(record, 0) != ZIP64_EOCD_SIG) {
          if (zip64Offset < 0 || zip64Offset > size - 56) {
            throw invalid("the ZIP64 end record is not where its locator says");
          }
          record = source.read(zip64Offset, 56);
          if (u32(record, 0) != ZIP64_EOCD_SIG) {
            throw invalid("the ZIP64 end record is not where its locator says");
          }
          zip64Expected = zip64Offset;
        }
        entryCount = u64(record, 32);
        cdSize = u64(record, 40);
        cdOffset = u64(record, 48);
        cdEnd = zip64Expected;
      }
    }
    if (cdSize < 0 || cdOffset < 0 || cdSize > cdEnd) {
      throw invalid("its central directory size " + cdSize + " does not fit in the file");
    }
    long prepended = cdEnd - cdSize - cdOffset;
    if (prepended < 0) {
      throw invalid(
          "its central directory (offset "
              + cdOffset
              + ", "
              + cdSize
              + " bytes) overlaps its end record");
    }
    if (cdSize > maxCentralDirectory) {
      throw invalid(
          "its central directory is "
              + cdSize
              + " bytes, more than the "
              + maxCentralDirectory
              + " accepted");
    }
    byte[] cd = slice(tail, tailStart, cdOffset + prepended, (int) cdSize);
    List<Entry> entries = parseCentralDirectory(cd, prepended);
    if (entryCount != entries.size() && entryCount != 0xffff) {
      throw invalid(
          "its end record counts "
              + entryCount
              + " entries, its central directory has "
              + entries.size());
    }
    return entries;
  }

  /** Bytes from the tail buffer when it holds them, else from the source. */
  private byte[] slice(byte[] tail, long tailStart, long offset, int length)
      throws IOException, IndexException {
    if (offset >= tailStart && offset + length <= tailStart + tail.length) {
      byte[] out = new byte[length];
      System.arraycopy(tail, (int) (offset - tailStart), out, 0, length);
      return out;
    }
    return source.read(offset, length);
  }

  /**
   * The last EOCD signature whose comment length fits the bytes after it (Python's zipfile and
   * Info-ZIP search the same way; the comment may itself contain the signature).
   */
  private static int findEndRecord(byte[] tail) {
    for (int i = tail.length - EOCD_SIZE; i >= 0; i--) {
      if (u32(tail, i) == EOCD_SIG) {
        int commentLength = u16(tail, i + 20);
        if (i + EOCD_SIZE + commentLength <= tail.length) {
          return i;
        }
      }
    }
    return -1;
  }

  private List<Entry> parseCentralDirectory(byte[] cd, long prepended) throws IndexException {
    List<Entry> entries = new ArrayList<>();
    int p = 0;
    while (p < cd.length) {
      if (p + 46 > cd.length || u32(cd, p) != CENTRAL_SIG) {
        throw invalid("its central directory is damaged at byte " + p);
      }
      int flags = u16(cd, p + 8);
      int method = u16(cd, p + 10);
      long crc = u32(cd, p + 16);
      long compressed = u32(cd, p + 20);
      long size = u32(cd, p + 24);
      int nameLength = u16(cd, p + 28);
      int extraLength = u16(cd, p + 30);
      int commentLength = u16(cd, p + 32);
      long offset = u32(cd, p + 42);
      int nameStart = p + 46;
      int extraStart = nameStart + nameLength;
      int next = extraStart + extraLength + commentLength;
      if (next > cd.length) {
        throw invalid("its central directory is damaged at byte " + p);
      }
      // APPNOTE 4.5.3: the ZIP64 extra field holds, in this order, only the fields that are
      // 0xFFFFFFFF in the fixed part.
      for (int e = extraStart; e + 4 <= extraStart + extraLength; ) {
        int id = u16(cd, e);
        int length = u16(cd, e + 2);
        int data = e + 4;
        if (data + length > extraStart + extraLength) {
          break;
        }
        if (id == 0x0001) {
          int q = data;
          if (size == 0xffffffffL && q + 8 <= data + length) {
            size = u64(cd, q);
            q += 8;
          }
          if (compressed == 0xffffffffL && q + 8 <= data + length) {
            compressed = u64(cd, q);
            q += 8;
          }
          if (offset == 0xffffffffL && q + 8 <= data + length) {
            offset = u64(cd, q);
          }
        }
        e = data + length;
      }
      Charset charset = (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : cp437();
      String name = new String(cd, nameStart, nameLength, charset);
      entries.add(new Entry(name, flags, method, crc, compressed, size, offset + prepended));
      p = next;
    }
    return entries;
  }

  /** The uncompressed bytes of an entry, checked against its size and CRC-32. */
  byte[] read(Entry entry) throws IOException, IndexException {
    if ((entry.flags() & 1) != 0) {
      throw invalid(entry.name() + " is encrypted");
    }
    if (entry.size() > maxMember
        || entry.compressedSize() > maxMember
        || entry.size() < 0
        || entry.compressedSize() < 0) {
      throw invalid(entry.name() + " is larger than the " + maxMember + " bytes accepted");
    }
    long size = source.size();
    if (entry.offset() < 0 || entry.offset() + 30 > size) {
      throw invalid(entry.name() + " has a local header offset outside the file");
    }
    int compressed = (int) entry.compressedSize();
    // One read for header, name, extra and data, guessing the local extra field is short; a
    // second read only when it is not.
    long want =
        Math.min(size - entry.offset(), 30L + entry.name().length() * 4L + 1024 + compressed);
    byte[] chunk = source.read(entry.offset(), (int) want);
    if (u32(chunk, 0) != LOCAL_SIG) {
      throw invalid(entry.name() + " has no local header where the central directory says");
    }
    int dataStart = 30 + u16(chunk, 26) + u16(chunk, 28);
    byte[] data;
    if (dataStart + compressed <= chunk.length) {
      data = new byte[compressed];
      System.arraycopy(chunk, dataStart, data, 0, compressed);
    } else {
      if (entry.offset() + dataStart + compressed > size) {
        throw invalid(entry.name() + " runs past the end of the file");
      }
      data = source.read(entry.offset() + dataStart, compressed);
    }
    byte[] content =
        switch (entry.method()) {
          case 0 -> {
            if (entry.compressedSize() != entry.size()) {
              throw invalid(entry.name() + " is stored with differing sizes");
            }
            yield data;
          }
          case 8 -> inflate(entry, data);
          default ->
              throw invalid(
                  entry.name()
                      + " uses compression method "
                      + entry.method()
                      + " (only stored and deflate are read)");
        };
    CRC32 crc = new CRC32();
    crc.update(content);
    if (crc.getValue() != entry.crc()) {
      throw invalid(entry.name() + " fails its CRC-32 check");
    }
    return content;
  }

  private byte[] inflate(Entry entry, byte[] data) throws IndexException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data);
      byte[] out = new byte[(int) entry.size()];
      int n = 0;
      while (n < out.length) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0) {
          if (inflater.finished() || inflater.needsDictionary() || inflater.needsInput()) {
            break;
          }
        }
        n += got;
      }
      if (n != out.length) {
        throw invalid(
            entry.name() + " inflates to " + n + " bytes, not the " + out.length + " recorded");
      }
      // anything beyond the recorded size means the record lies
      byte[] probe = new byte[1];
      if (!inflater.finished() && inflater.inflate(probe) > 0) {
        throw invalid(
            entry.name() + " inflates to more than the " + out.length + " bytes recorded");
      }
      return out;
    } catch (DataFormatException e) {
      throw invalid(entry.name() + " is not valid deflate data (" + e.getMessage() + ")");
    } finally {
      inflater.end();
    }
  }

  private IndexException invalid(String reason) {
    return new IndexException("wheel " + describe + " is not a valid wheel: " + reason);
  }

  private static Charset cp437() {
    try {
      return Charset.forName("IBM437");
    } catch (IllegalArgumentException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int i) {
    return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xffffffffL;
  }

  static long u64(byte[] b, int i) {
    return u32(b, i) | u32(b, i + 4) << 32;
  }
}
