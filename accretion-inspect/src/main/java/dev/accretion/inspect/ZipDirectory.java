package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.pipeline.spi.ContentEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A zip's central directory, read from its end without touching the entries (APPNOTE 6.3.10: end of
 * central directory record, ZIP64 locator and record, central file headers with their ZIP64 extra
 * field). Lenient where an installer must be strict: odd names and duplicates are kept and
 * reported, not refused, since the point is to show what a layer holds; but every count and size is
 * bounded so a hostile zip cannot make the reader allocate without limit.
 *
 * @param records the entries in central directory order
 * @param centralDirectoryOffset where the central directory starts (entries' data ends before it)
 * @param oddities names that are unsafe or unusual, as messages
 */
record ZipDirectory(List<Record> records, long centralDirectoryOffset, List<String> oddities) {
  static final int END_SIG = 0x06054b50;
  static final int ZIP64_END_SIG = 0x06064b50;
  static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  static final int CENTRAL_SIG = 0x02014b50;
  static final int LOCAL_SIG = 0x04034b50;

  /** The most entries read (a Lambda layer of 250 MB holds far fewer). */
  static final int MAX_ENTRIES = 2_000_000;

  /** The largest central directory read. */
  static final long MAX_CENTRAL_DIRECTORY = 256L << 20;

  private static final int END_SIZE = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final long U32 = 0xFFFF_FFFFL;

  ZipDirectory {
    records = List.copyOf(records);
    oddities = List.copyOf(oddities);
  }

  /**
   * One central directory record.
   *
   * @param entry the entry as inspectors see it
   * @param method the compression method (0 stored, 8 deflated, others unsupported)
   * @param flags the general purpose flags
   * @param localHeaderOffset where its local header starts
   */
  record Record(ContentEntry entry, int method, int flags, long localHeaderOffset) {
    boolean encrypted() {
      return (flags & 0x0001) != 0;
    }
  }

  static ZipDirectory read(ZipSource source) throws AccretionException {
    long size = source.size();
    String label = source.label();
    if (size < END_SIZE) {
      throw notAZip(label, "it is only " + size + " bytes long");
    }
    int tailLength = (int) Math.min(size, END_SIZE + MAX_COMMENT);
    long tailStart = size - tailLength;
    byte[] tail = source.read(tailStart, tailLength);
    int end = -1;
    for (int i = tail.length - END_SIZE; i >= 0; i--) {
      if (le32(tail, i) == END_SIG && i + END_SIZE + le16(tail, i + 20) == tail.length) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      for (int i = tail.length - END_SIZE; i >= 0; i--) {
        if (le32(tail, i) == END_SIG) {
          end = i; // a comment length that does not reach the end: trailing junk, tolerated
          break;
        }
      }
    }
    if (end < 0) {
      throw notAZip(label, "it has no end of central directory record");
    }
    long entries = le16(tail, end + 10);
    long cdSize = le32(tail, end + 12) & U32;
    long cdOffset = le32(tail, end + 16) & U32;
    long endPosition = tailStart + end;
    if (entries == 0xFFFF || cdSize == U32 || cdOffset == U32) {
      long locator = endPosition - 20;
      byte[] loc = locator >= 0 ? source.read(locator, 20) : new byte[0];
      if (loc.length == 20 && le32(loc, 0) == ZIP64_LOCATOR_SIG) {
        long recordOffset = le64(loc, 8);
        if (recordOffset < 0 || recordOffset + 56 > size) {
          throw notAZip(label, "its ZIP64 locator points outside the file");
        }
        byte[] z = source.read(recordOffset, 56);
        if (le32(z, 0) != ZIP64_END_SIG) {
          throw notAZip(label, "its ZIP64 end record is missing");
        }
        entries = le64(z, 32);
        cdSize = le64(z, 40);
        cdOffset = le64(z, 48);
        endPosition = recordOffset;
      }
    }
    if (entries < 0 || entries > MAX_ENTRIES) {
      throw notAZip(label, "it declares " + entries + " entries");
    }
    if (cdSize < 0 || cdSize > MAX_CENTRAL_DIRECTORY) {
      throw notAZip(label, "its central directory is " + cdSize + " bytes");
    }
    if (cdOffset < 0 || cdOffset + cdSize > endPosition) {
      throw notAZip(label, "its central directory lies outside the file");
    }
    byte[] cd = source.read(cdOffset, (int) cdSize);
    return parse(cd, entries, cdOffset, label);
  }

  private static ZipDirectory parse(byte[] cd, long declared, long cdOffset, String label)
      throws AccretionException {
    List<Record> records = new ArrayList<>();
    List<String> oddities = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    int p = 0;
    long parsed = 0;
    while (p + 46 <= cd.length && le32(cd, p) == CENTRAL_SIG) {
      parsed++;
      int madeBy = le16(cd, p + 4);
      int flags = le16(cd, p + 8);
      int method = le16(cd, p + 10);
      long crc = le32(cd, p + 16) & U32;
      long compressed = le32(cd, p + 20) & U32;
      long uncompressed = le32(cd, p + 24) & U32;
      int nameLength = le16(cd, p + 28);
      int extraLength = le16(cd, p + 30);
      int commentLength = le16(cd, p + 32);
      long external = le32(cd, p + 38) & U32;
      long localOffset = le32(cd, p + 42) & U32;
      int nameStart = p + 46;
      int extraStart = nameStart + nameLength;
      int next = extraStart + extraLength + commentLength;
      if (next > cd.length) {
        throw notAZip(label, "a central directory record runs past its end");
      }
      // ZIP64 extended information (APPNOTE 4.5.3): only the fields whose 32-bit value is full.
      int e = extraStart;
      while (e + 4 <= extraStart + extraLength) {
        int id = le16(cd, e);
        int len = le16(cd, e + 2);
        if (e + 4 + len > extraStart + extraLength) {
          break;
        }
        if (id == 0x0001) {
          int q = e + 4;
          if (uncompressed == U32 && q + 8 <= e + 4 + len) {
            uncompressed = le64(cd, q);
            q += 8;
          }
          if (compressed == U32 && q + 8 <= e + 4 + len) {
            compressed = le64(cd, q);
            q += 8;
          }
          if (localOffset == U32 && q + 8 <= e + 4 + len) {
            localOffset = le64(cd, q);
          }
        }
        e += 4 + len;
      }
      String raw = name(cd, nameStart, nameLength, (flags & 0x0800) != 0);
      int mode = (madeBy >> 8) == 3 ? (int) (external >>> 16) : 0;
      int type = mode & 0170000;
      ContentEntry.Kind kind;
      if (type == 0120000) {
        kind = ContentEntry.Kind.SYMLINK;
      } else if (type == 0040000 || raw.endsWith("/") || (external & 0x10) != 0) {
        kind = ContentEntry.Kind.DIRECTORY;
      } else {
        kind = ContentEntry.Kind.FILE;
      }
      String path = normalize(raw);
      if (path.isEmpty() && kind != ContentEntry.Kind.DIRECTORY) {
        oddities.add("an entry with an empty name");
      } else if (!path.isEmpty()) {
        if (raw.startsWith("/") || raw.contains("\\") || ("/" + path + "/").contains("/../")) {
          oddities.add(
              "'" + raw + "': an absolute or parent-relative name, which Lambda may not extract");
        }
        if (!seen.add(path) && kind != ContentEntry.Kind.DIRECTORY) {
          oddities.add("'" + path + "' is in the zip twice; one copy wins when it is extracted");
        }
        if (compressed < 0 || uncompressed < 0 || localOffset < 0 || localOffset >= cdOffset) {
          throw notAZip(label, "the entry '" + raw + "' lies outside the file");
        }
        ContentEntry entry =
            new ContentEntry(path, kind, uncompressed, compressed, crc, mode & 07777);
        records.add(new Record(entry, method, flags, localOffset));
      }
      p = next;
      if (records.size() > MAX_ENTRIES) {
        throw notAZip(label, "it has more than " + MAX_ENTRIES + " entries");
      }
    }
    // Archivers that overflow the 16-bit count without ZIP64 write it modulo 65536.
    if (p < cd.length || (parsed & 0xFFFF) != (declared & 0xFFFF)) {
      throw notAZip(label, "its central directory is damaged after " + parsed + " entries");
    }
    return new ZipDirectory(records, cdOffset, oddities);
  }

  /** {@code ./a//b/} → {@code a/b}. */
  static String normalize(String name) {
    String s = name.replace('\\', '/');
    StringBuilder out = new StringBuilder();
    for (String part : s.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }

  private static String name(byte[] b, int start, int length, boolean utf8Flag) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, start, length))
          .toString();
    } catch (CharacterCodingException e) {
      // Not UTF-8 (and so not flagged as such): the zip's legacy code page, IBM 437.
      return new String(b, start, length, cp437());
    }
  }

  private static java.nio.charset.Charset cp437() {
    try {
      return java.nio.charset.Charset.forName("IBM437");
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  private static AccretionException notAZip(String label, String why) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        label + " is not a readable zip: " + why,
        "a Lambda layer or function package is a .zip file; check that the right file was given"
            + " and that it is complete",
        null);
  }

  static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  static int le32(byte[] b, int i) {
    return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  static long le64(byte[] b, int i) {
    return ByteBuffer.wrap(b, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
