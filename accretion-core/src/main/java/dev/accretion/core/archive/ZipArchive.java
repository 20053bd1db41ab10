package dev.accretion.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A zip archive opened strictly, for installing wheels that may be hostile. {@link #open} reads the
 * end of central directory record (ZIP64 and archive comments included), the central directory and
 * every local header, and refuses the archive with an {@link ArchiveException} unless all of these
 * hold:
 *
 * <ul>
 *   <li>names are relative, have no {@code ..} segment, no backslash, no NUL or other control
 *       character, and are ASCII or flagged and valid UTF-8;
 *   <li>entries are regular files or directories (no symlinks, devices, fifos, sockets);
 *   <li>no two entries name the same path, exactly or after normalization ({@code a//b}, {@code
 *       ./a}), and no entry lies inside a path that another entry makes a file;
 *   <li>every local header agrees with its central directory record (name, method, flags, and CRC
 *       and sizes unless a data descriptor carries them, in which case the descriptor must agree);
 *   <li>only STORED and DEFLATE, no encryption;
 *   <li>the end record's entry count and central directory size and offset are exactly what the
 *       file holds; entries lie inside the file and do not overlap each other or the central
 *       directory (overlapping entries are how "non-recursive" zip bombs multiply their data).
 * </ul>
 *
 * <p>The structure is read by {@link CentralDirectoryReader} and checked against the local headers
 * by {@link LocalHeaders}; content is read by {@link EntryReader}.
 *
 * <p>Content is read through {@link #open(ZipEntryInfo)} or {@link #digest}: the bytes actually
 * inflated are counted (never trusting the headers), charged against {@link ZipLimits} (per archive
 * and the shared budget), and the CRC-32 and size are verified at the end. {@link #copyRaw} copies
 * an entry's stored bytes without inflating them.
 *
 * <p>Thread-safe: entries may be read concurrently from several threads (reads are positional).
 * Closing the archive makes streams still open fail.
 */
public final class ZipArchive implements AutoCloseable {
  static final int LOCAL_SIG = 0x04034b50;
  static final int CENTRAL_SIG = 0x02014b50;
  static final int END_SIG = 0x06054b50;
  static final int ZIP64_END_SIG = 0x06064b50;
  static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  static final int DESCRIPTOR_SIG = 0x08074b50;

  static final int BUFFER_SIZE = 128 << 10;

  /** Per-thread buffers and inflater for {@link #digest}. */
  private static final ThreadLocal<EntryReader.Scratch> SCRATCH = new ThreadLocal<>();

  static final String DAMAGED =
      "the archive is damaged or was crafted to attack installers: do not use it, download it"
          + " again or report it to its publisher";

  private final Path file;
  private final String label;
  private final FileChannel channel;
  private final ZipLimits limits;
  private final List<ZipEntryInfo> entries;
  private final Map<String, ZipEntryInfo> byPath;
  private final AtomicLongArray charged;
  private final AtomicLong archiveCharged = new AtomicLong();
  private final long declaredBytes;
  private final byte[] comment;

  private ZipArchive(
      Path file,
      FileChannel channel,
      ZipLimits limits,
      List<ZipEntryInfo> entries,
      Map<String, ZipEntryInfo> byPath,
      byte[] comment) {
    this.file = file;
    this.label = file.toString();
    this.channel = channel;
    this.limits = limits;
    this.entries = List.copyOf(entries);
    this.byPath = Map.copyOf(byPath);
    this.charged = new AtomicLongArray(entries.size());
    this.comment = comment;
    long total = 0;
    for (ZipEntryInfo e : entries) {
      total = saturatedAdd(total, e.uncompressedSize());
    }
    this.declaredBytes = total;
  }

  /**
   * Opens and validates {@code file}.
   *
   * @throws ArchiveException if the file cannot be read or fails any check listed on this class
   */
  public static ZipArchive open(Path file, ZipLimits limits) throws ArchiveException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(limits, "limits");
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new ArchiveException(
          file.toString(),
          null,
          "cannot be opened (" + e + ")",
          "check that the file exists and is readable",
          e);
    }
    try {
      String label = file.toString();
      ArchiveSource source = ArchiveSource.of(channel, label);
      CentralDirectoryReader.CentralDirectory directory;
      LocalHeaders local;
      try {
        local = new LocalHeaders(source, label, source.size());
        directory = CentralDirectoryReader.read(source, label, limits, false, local);
      } catch (IOException e) {
        throw new ArchiveException(label, null, "cannot be read (" + e + ")", "check the file", e);
      }
      Map<String, ZipEntryInfo> byPath = local.checkPaths(directory.entries());
      local.checkLayout(directory.entries(), directory.centralOffset());
      return new ZipArchive(
          file, channel, limits, directory.entries(), byPath, directory.comment());
    } catch (ArchiveException | RuntimeException | Error e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The archive file. */
  public Path file() {
    return file;
  }

  /** Every entry, in central directory order; immutable. */
  public List<ZipEntryInfo> entries() {
    return entries;
  }

  /** The entry whose normalized path is {@code path} (no trailing slash), if any. */
  public Optional<ZipEntryInfo> entry(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** The sum of the uncompressed sizes the central directory declares (not verified). */
  public long declaredUncompressedBytes() {
    return declaredBytes;
  }

  /** The archive comment as stored (usually empty). */
  public byte[] comment() {
    return comment.clone();
  }

  /**
   * Opens the content of {@code entry} for reading. The stream counts the bytes it inflates and
   * fails with an {@link IOException} whose cause is an {@link ArchiveException} when the entry
   * inflates to more than it declares, exceeds the limits, or fails its CRC-32 or size check at the
   * end (so a caller that reads to the end has verified the entry).
   *
   * @throws ArchiveException if {@code entry} is not from this archive, or alone exceeds the
   *     per-archive limit
   */
  public InputStream open(ZipEntryInfo entry) throws ArchiveException {
    return new EntryReader.EntryInputStream(new EntryReader(this, checkOwned(entry), null, null));
  }

  /**
   * Reads the whole content of {@code entry}, verifying CRC-32 and size, and returns its SHA-256.
   */
  public EntryDigest digest(ZipEntryInfo entry) throws ArchiveException {
    try {
      return digest(entry, null);
    } catch (TapException e) {
      throw new AssertionError("no tap was given", e);
    }
  }

  /**
   * As {@link #digest(ZipEntryInfo)}, also writing every content byte to {@code tap} as it is
   * verified (for example to an ELF scanner or a file). The tap sees unverified bytes: if this
   * method throws, discard what it received.
   *
   * @param tap receives the content; may be null; not closed
   * @throws TapException if the tap throws (its {@link IOException} is the cause)
   */
  public EntryDigest digest(ZipEntryInfo entry, OutputStream tap)
      throws ArchiveException, TapException {
    checkOwned(entry);
    // The hot path of an install (every file is inflated once): reuse this thread's buffers and
    // inflater instead of allocating 256 KiB per entry. A nested call (from a tap) makes its own.
    EntryReader.Scratch scratch = SCRATCH.get();
    if (scratch != null) {
      SCRATCH.remove();
    } else {
      scratch = new EntryReader.Scratch();
    }
    EntryReader reader = new EntryReader(this, entry, sha256(), scratch);
    byte[] buffer = scratch.output;
    try {
      int n;
      while ((n = reader.read(buffer, 0, buffer.length)) >= 0) {
        if (tap != null && n > 0) {
          try {
            tap.write(buffer, 0, n);
          } catch (IOException e) {
            throw new TapException(e);
          }
        }
      }
    } finally {
      reader.close();
      SCRATCH.set(scratch);
    }
    return new EntryDigest(
        HexFormat.of().formatHex(reader.sha.digest()), reader.produced, reader.crc.getValue());
  }

  /**
   * Reads the whole content of a small entry, verified.
   *
   * @throws ArchiveException if the entry declares more than {@code maxBytes}, or fails to read
   */
  public byte[] readAllBytes(ZipEntryInfo entry, int maxBytes) throws ArchiveException {
    checkOwned(entry);
    if (entry.uncompressedSize() > maxBytes) {
      throw new ArchiveException(
          label,
          entry.name(),
          "declares "
              + entry.uncompressedSize()
              + " bytes, more than the "
              + maxBytes
              + " bytes expected for it",
          "the file is not what it should be: check where it came from");
    }
    byte[] out = new byte[(int) entry.uncompressedSize()];
    EntryReader reader = new EntryReader(this, entry, null, null);
    try {
      int filled = 0;
      while (true) {
        int n = reader.read(out, filled, out.length - filled);
        if (n < 0) {
          break;
        }
        filled += n;
        if (filled == out.length) {
          // Let the reader verify the end (it fails if more data follows).
          byte[] probe = new byte[1];
          if (reader.read(probe, 0, 1) >= 0) {
            throw new AssertionError("reader accepted bytes past the declared size");
          }
          break;
        }
      }
    } finally {
      reader.close();
    }
    return out;
  }

  /**
   * Copies the data of {@code entry} exactly as stored (compressed, not verified) to {@code
   * target}, returning the number of bytes copied ({@link ZipEntryInfo#compressedSize()}).
   */
  public long copyRaw(ZipEntryInfo entry, WritableByteChannel target)
      throws ArchiveException, TapException {
    checkOwned(entry);
    long position = entry.dataOffset();
    long remaining = entry.compressedSize();
    while (remaining > 0) {
      long n;
      try {
        n = channel.transferTo(position, remaining, target);
      } catch (IOException e) {
        throw new TapException(e);
      }
      if (n <= 0) {
        throw readFailure(entry.name(), new IOException("no progress copying raw data"));
      }
      position += n;
      remaining -= n;
    }
    return entry.compressedSize();
  }

  /**
   * Reads stored bytes of {@code entry} at {@code offset} from the start of its data into {@code
   * dst} (up to its remaining space). Used by the writer for raw copies.
   */
  int readRaw(ZipEntryInfo entry, long offset, ByteBuffer dst) throws ArchiveException {
    long left = entry.compressedSize() - offset;
    if (left <= 0) {
      return -1;
    }
    if (dst.remaining() > left) {
      dst.limit(dst.position() + (int) left);
    }
    try {
      int n = channel.read(dst, entry.dataOffset() + offset);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      return n;
    } catch (IOException e) {
      throw readFailure(entry.name(), e);
    }
  }

  /** Throws unless {@code entry} is one of this archive's entries (a record from elsewhere). */
  ZipEntryInfo checkOwned(ZipEntryInfo entry) {
    Objects.requireNonNull(entry, "entry");
    if (entry.index() >= entries.size() || !entries.get(entry.index()).equals(entry)) {
      throw new IllegalArgumentException(
          "entry '" + entry.name() + "' does not belong to " + label);
    }
    return entry;
  }

  /** The archive as shown in messages. */
  String label() {
    return label;
  }

  /**
   * Closes the file. Streams still open fail afterwards.
   *
   * @throws UncheckedIOException if closing the file fails (it was only read, so nothing is lost)
   */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "ZipArchive[" + label + ", " + entries.size() + " entries]";
  }

  /** The file, for {@link EntryReader}'s positional reads. */
  FileChannel channel() {
    return channel;
  }

  /** The limits the archive was opened with. */
  ZipLimits limits() {
    return limits;
  }

  ArchiveException readFailure(String entry, IOException e) {
    return new ArchiveException(
        label, entry, "could not be read (" + e + ")", "check the file and the disk", e);
  }

  /**
   * An {@link IOException} thrown by a caller's output (tap or target channel), not the archive.
   */
  public static final class TapException extends Exception {
    private static final long serialVersionUID = 1L;

    TapException(IOException cause) {
      super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** Charges bytes produced for entry {@code index} (each byte of an entry charged once). */
  void charge(ZipEntryInfo entry, long producedSoFar) throws ArchiveException {
    int index = entry.index();
    long previous = charged.get(index);
    while (producedSoFar > previous) {
      if (charged.compareAndSet(index, previous, producedSoFar)) {
        long delta = producedSoFar - previous;
        long archiveTotal = archiveCharged.addAndGet(delta);
        if (archiveTotal > limits.maxArchiveBytes()) {
          throw new ArchiveException(
              label,
              entry.name(),
              "takes the archive past "
                  + limits.maxArchiveBytes()
                  + " bytes unzipped, the per-archive limit (a zip bomb, or simply too big for"
                  + " a Lambda layer)",
              "a Lambda layer holds at most "
                  + ZipLimits.LAMBDA_UNZIPPED_BYTES
                  + " bytes unzipped: leave this package out or move it elsewhere (EFS)");
        }
        if (!limits.budget().charge(delta)) {
          throw new ArchiveException(
              label,
              entry.name(),
              "takes the archives read so far past "
                  + limits.budget().limit()
                  + " bytes unzipped in total, the limit for one build",
              "a Lambda layer holds at most "
                  + ZipLimits.LAMBDA_UNZIPPED_BYTES
                  + " bytes unzipped: leave some packages out or split the layer");
        }
        return;
      }
      previous = charged.get(index);
    }
  }

  static int u16(byte[] b, int p) {
    return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int p) {
    return (b[p] & 0xffL)
        | (b[p + 1] & 0xffL) << 8
        | (b[p + 2] & 0xffL) << 16
        | (b[p + 3] & 0xffL) << 24;
  }

  /**
   * Unsigned 64-bit little-endian; values past 2^63 come out negative and are refused by callers.
   */
  static long u64(byte[] b, int p) {
    return u32(b, p) | u32(b, p + 4) << 32;
  }
}
