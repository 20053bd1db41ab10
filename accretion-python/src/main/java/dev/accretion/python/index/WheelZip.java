package dev.accretion.python.index;

import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.ArchiveSource;
import dev.accretion.core.archive.ByteBudget;
import dev.accretion.core.archive.CentralDirectoryReader;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.python.PackageName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one member of a wheel's zip through random access to its bytes, touching only the end of
 * central directory record (plain or ZIP64, after any archive comment), the central directory and
 * the member itself — so that over HTTP only those byte ranges need to be fetched. The central
 * directory is read by the core zip reader; this class reads the member.
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

  /**
   * The central directory, read by the core zip reader ({@link CentralDirectoryReader}, the same
   * rules as installing: ZIP64, comments, unsafe names refused) from the end of the file alone,
   * accepting data before the archive as Python's zipfile does.
   */
  List<Entry> centralDirectory() throws IOException, IndexException {
    ArchiveSource archive =
        new ArchiveSource() {
          @Override
          public long size() {
            return source.size();
          }

          @Override
          public byte[] read(long offset, int length) throws IOException {
            try {
              return source.read(offset, length);
            } catch (IndexException e) {
              throw new SourceFailure(e);
            }
          }
        };
    CentralDirectoryReader.CentralDirectory directory;
    try {
      directory =
          CentralDirectoryReader.read(
              archive,
              describe,
              new ZipLimits(
                  Long.MAX_VALUE,
                  ByteBudget.unlimited(),
                  ZipLimits.DEFAULT_MAX_ENTRIES,
                  (int) Math.min(Integer.MAX_VALUE, maxCentralDirectory)),
              true,
              null);
    } catch (SourceFailure e) {
      throw e.failure;
    } catch (ArchiveException e) {
      boolean notZip =
          e.problem().startsWith("has no end of central directory record")
              || e.problem().startsWith("is too small to be a zip");
      throw invalid(
          (e.entry() == null ? "it " : "its entry '" + e.entry() + "' ")
              + e.problem()
              + (notZip ? ": it is not a zip file" : ""));
    }
    List<Entry> entries = new ArrayList<>();
    for (ZipEntryInfo e : directory.entries()) {
      entries.add(
          new Entry(
              e.name(),
              e.flags(),
              e.method(),
              e.crc32(),
              e.compressedSize(),
              e.uncompressedSize(),
              e.localHeaderOffset()));
    }
    return entries;
  }

  /** An index failure of the byte source, carried through the zip reader. */
  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final transient IndexException failure;

    SourceFailure(IndexException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
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
