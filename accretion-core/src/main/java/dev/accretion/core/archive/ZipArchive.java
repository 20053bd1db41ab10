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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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

  private static final int LOCAL_HEADER_SIZE = 30;
  private static final int CENTRAL_HEADER_SIZE = 46;
  private static final int END_SIZE = 22;
  private static final int ZIP64_LOCATOR_SIZE = 20;
  private static final int ZIP64_END_MIN_SIZE = 56;
  private static final long U32_MAX = 0xFFFF_FFFFL;
  private static final int BUFFER_SIZE = 128 << 10;

  /** Flag bits that mean some form of encryption (APPNOTE 4.4.4: bits 0, 6 and 13). */
  private static final int ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000;

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
      return new Reader(file, channel, limits).read();
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
    return new EntryInputStream(new EntryReader(checkOwned(entry), null, null));
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
    Scratch scratch = SCRATCH.get();
    if (scratch != null) {
      SCRATCH.remove();
    } else {
      scratch = new Scratch();
    }
    EntryReader reader = new EntryReader(entry, sha256(), scratch);
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
    EntryReader reader = new EntryReader(entry, null, null);
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

  private ArchiveException readFailure(String entry, IOException e) {
    return new ArchiveException(
        label, entry, "could not be read (" + e + ")", "check the file and the disk", e);
  }

  /** Per-thread buffers and inflater for {@link #digest}. */
  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  private static final class Scratch {
    final byte[] input = new byte[BUFFER_SIZE];
    final byte[] output = new byte[BUFFER_SIZE];
    private Inflater inflater;

    Inflater inflater() {
      if (inflater == null) {
        // Never ended: reset between entries, freed by its cleaner with the thread's scratch.
        inflater = new Inflater(true);
      }
      return inflater;
    }
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
  private void charge(ZipEntryInfo entry, long producedSoFar) throws ArchiveException {
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

  /** Inflates (or copies) one entry, counting, checksumming and verifying at the end. */
  private final class EntryReader {
    private final ZipEntryInfo entry;
    private final MessageDigest sha;
    private final CRC32 crc = new CRC32();
    private final Inflater inflater;
    private final byte[] input;
    private long rawPosition;
    private long rawRemaining;
    private long produced;
    private boolean done;
    private boolean dummyFed;
    private int stalls;

    private final boolean ownInflater;

    EntryReader(ZipEntryInfo entry, MessageDigest sha, Scratch scratch) throws ArchiveException {
      this.entry = entry;
      this.sha = sha;
      if (entry.uncompressedSize() > limits.maxArchiveBytes()) {
        throw new ArchiveException(
            label,
            entry.name(),
            "declares "
                + entry.uncompressedSize()
                + " bytes unzipped, more than the per-archive limit of "
                + limits.maxArchiveBytes(),
            "a Lambda layer holds at most "
                + ZipLimits.LAMBDA_UNZIPPED_BYTES
                + " bytes unzipped: leave this package out or move it elsewhere (EFS)");
      }
      this.rawPosition = entry.dataOffset();
      this.rawRemaining = entry.compressedSize();
      if (entry.method() == ZipEntryInfo.DEFLATED) {
        if (scratch != null) {
          inflater = scratch.inflater();
          input = scratch.input;
          ownInflater = false;
        } else {
          inflater = new Inflater(true);
          input = new byte[(int) Math.min(BUFFER_SIZE, Math.max(1, entry.compressedSize()))];
          ownInflater = true;
        }
      } else {
        inflater = null;
        input = null;
        ownInflater = false;
      }
    }

    int read(byte[] b, int off, int len) throws ArchiveException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (inflater == null) {
        if (rawRemaining == 0) {
          finish();
          return -1;
        }
        int n = (int) Math.min(len, rawRemaining);
        readFully(rawPosition, b, off, n);
        rawPosition += n;
        rawRemaining -= n;
        account(b, off, n);
        return n;
      }
      while (true) {
        int n;
        try {
          n = inflater.inflate(b, off, len);
        } catch (DataFormatException e) {
          throw fail("has corrupt DEFLATE data (" + e.getMessage() + ")", DAMAGED);
        }
        if (n > 0) {
          account(b, off, n);
          return n;
        }
        if (inflater.finished()) {
          long consumed = inflater.getBytesRead();
          if (consumed > entry.compressedSize()) {
            throw fail(
                "has DEFLATE data that ends past its compressed size of "
                    + entry.compressedSize()
                    + " bytes (truncated, or the sizes lie)",
                DAMAGED);
          }
          if (consumed < entry.compressedSize()) {
            throw fail(
                "has "
                    + (entry.compressedSize() - consumed)
                    + " bytes of data after the end of its DEFLATE stream (the sizes lie)",
                DAMAGED);
          }
          finish();
          return -1;
        }
        if (inflater.needsDictionary()) {
          throw fail("has DEFLATE data that asks for a preset dictionary", DAMAGED);
        }
        if (inflater.needsInput()) {
          if (rawRemaining == 0) {
            if (!dummyFed) {
              // zlib may want one byte past a raw deflate stream to see its end (the JDK's own
              // ZipFile feeds the same dummy byte); consuming it is caught as "ends past" above.
              dummyFed = true;
              inflater.setInput(new byte[1]);
              continue;
            }
            throw fail(
                "has DEFLATE data that stops before its stream ends (truncated, or the sizes"
                    + " lie)",
                DAMAGED);
          }
          int k = (int) Math.min(input.length, rawRemaining);
          readFully(rawPosition, input, 0, k);
          rawPosition += k;
          rawRemaining -= k;
          inflater.setInput(input, 0, k);
          stalls = 0;
        } else if (++stalls > 1000) {
          throw fail("has DEFLATE data on which the inflater makes no progress", DAMAGED);
        }
      }
    }

    private void account(byte[] b, int off, int n) throws ArchiveException {
      produced += n;
      if (produced > entry.uncompressedSize()) {
        throw fail(
            "inflates to more than the "
                + entry.uncompressedSize()
                + " bytes its headers declare (a zip bomb, or the sizes lie)",
            DAMAGED);
      }
      crc.update(b, off, n);
      if (sha != null) {
        sha.update(b, off, n);
      }
      charge(entry, produced);
    }

    private void finish() throws ArchiveException {
      done = true;
      close();
      if (produced != entry.uncompressedSize()) {
        throw fail(
            "inflates to "
                + produced
                + " bytes, but its headers declare "
                + entry.uncompressedSize(),
            DAMAGED);
      }
      if (crc.getValue() != entry.crc32()) {
        throw fail(
            String.format(
                Locale.ROOT,
                "fails its CRC-32 check (headers say %08x, content gives %08x)",
                entry.crc32(),
                crc.getValue()),
            DAMAGED);
      }
    }

    private void readFully(long position, byte[] b, int off, int n) throws ArchiveException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, n);
      try {
        while (buffer.hasRemaining()) {
          int r = channel.read(buffer, position + (buffer.position() - off));
          if (r < 0) {
            throw new IOException("unexpected end of file (was it truncated while open?)");
          }
        }
      } catch (IOException e) {
        throw readFailure(entry.name(), e);
      }
    }

    private ArchiveException fail(String problem, String advice) {
      done = true;
      close();
      return new ArchiveException(label, entry.name(), problem, advice);
    }

    void close() {
      if (inflater != null) {
        if (ownInflater) {
          inflater.end();
        } else {
          inflater.reset();
        }
      }
    }
  }

  /** Adapts {@link EntryReader} to {@link InputStream}; failures become IOExceptions. */
  private static final class EntryInputStream extends InputStream {
    private final EntryReader reader;
    private boolean closed;

    EntryInputStream(EntryReader reader) {
      this.reader = reader;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      try {
        return reader.read(b, off, len);
      } catch (ArchiveException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        reader.close();
      }
    }
  }

  /** Reads and validates the structure; used once by {@link #open}. */
  private static final class Reader {
    private final Path file;
    private final String label;
    private final FileChannel channel;
    private final ZipLimits limits;
    private long size;

    Reader(Path file, FileChannel channel, ZipLimits limits) {
      this.file = file;
      this.label = file.toString();
      this.channel = channel;
      this.limits = limits;
    }

    ZipArchive read() throws ArchiveException {
      try {
        size = channel.size();
      } catch (IOException e) {
        throw new ArchiveException(label, null, "cannot be read (" + e + ")", "check the file", e);
      }
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
        if (u32(tail, i) == END_SIG && u16(tail, i + 20) == tailLength - i - END_SIZE) {
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
        if (u32(locator, 0) == ZIP64_LOCATOR_SIG) {
          long zip64Disk = u32(locator, 4);
          long zip64Offset = u64(locator, 8);
          long totalDisks = u32(locator, 16);
          if (zip64Disk != 0 || totalDisks > 1) {
            throw archiveFail(
                "spans several disks (a split archive), which is not supported",
                "join the parts into one archive");
          }
          long locatorPosition = endPosition - ZIP64_LOCATOR_SIZE;
          if (zip64Offset < 0 || zip64Offset > locatorPosition - ZIP64_END_MIN_SIZE) {
            throw archiveFail(
                "has a ZIP64 end record locator pointing outside the archive (" + zip64Offset + ")",
                DAMAGED);
          }
          byte[] zip64 = readAt(zip64Offset, ZIP64_END_MIN_SIZE);
          if (u32(zip64, 0) != ZIP64_END_SIG) {
            throw archiveFail(
                "has no ZIP64 end record where its locator says (" + zip64Offset + ")", DAMAGED);
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
      List<ZipEntryInfo> entries = readCentral(central, (int) entryCount, centralOffset);
      Map<String, ZipEntryInfo> byPath = checkPaths(entries);
      checkLayout(entries, centralOffset);
      return new ZipArchive(file, channel, limits, entries, byPath, comment);
    }

    private static boolean agrees(long classic, long marker, long zip64) {
      return classic == marker || classic == zip64;
    }

    /** Parses exactly {@code count} central directory records and the local header of each. */
    private List<ZipEntryInfo> readCentral(byte[] central, int count, long centralOffset)
        throws ArchiveException {
      List<ZipEntryInfo> entries = new ArrayList<>(count);
      int p = 0;
      for (int i = 0; i < count; i++) {
        if (p + CENTRAL_HEADER_SIZE > central.length || u32(central, p) != CENTRAL_SIG) {
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
        readZip64Extra(name, central, p + 46 + nameLength, extraLength, values, markers);
        uncompressedSize = values[0];
        compressedSize = values[1];
        localOffset = values[2];
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
            checkLocalHeader(
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
        if (p + 4 <= central.length && u32(central, p) == CENTRAL_SIG) {
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

    private void readZip64Extra(
        String name, byte[] b, int start, int length, long[] values, long[] markers)
        throws ArchiveException {
      int p = start;
      int end = start + length;
      boolean seen = false;
      while (p < end) {
        if (p + 4 > end) {
          throw entryFail(name, "has a malformed extra field (truncated header)", DAMAGED);
        }
        int id = u16(b, p);
        int size = u16(b, p + 2);
        if (p + 4 + size > end) {
          throw entryFail(name, "has a malformed extra field (runs past its end)", DAMAGED);
        }
        if (id == 0x0001) {
          if (seen) {
            throw entryFail(name, "has two ZIP64 extra fields", DAMAGED);
          }
          seen = true;
          int q = p + 4;
          for (int k = 0; k < values.length; k++) {
            if (values[k] == markers[k]) {
              int width = k == 3 ? 4 : 8;
              if (q + width > p + 4 + size) {
                throw entryFail(
                    name, "has a ZIP64 extra field too short for the values it replaces", DAMAGED);
              }
              values[k] = width == 8 ? u64(b, q) : u32(b, q);
              q += width;
            }
          }
        }
        p += 4 + size;
      }
    }

    private void checkFileType(String name, int unixMode, boolean directory)
        throws ArchiveException {
      int type = unixMode & 0170000;
      switch (type) {
        case 0 -> {}
        case 0100000 -> {
          if (directory) {
            throw entryFail(
                name, "has a name ending in '/' but the mode of a regular file", DAMAGED);
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
        throws ArchiveException {
      if (localOffset > size - LOCAL_HEADER_SIZE) {
        throw entryFail(
            name, "has its local header outside the file (offset " + localOffset + ")", DAMAGED);
      }
      byte[] header = readAt(localOffset, LOCAL_HEADER_SIZE);
      if (u32(header, 0) != LOCAL_SIG) {
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
      readZip64Extra(name, variable, nameLength, extraLength, values, markers);
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
        throws ArchiveException {
      int available = (int) Math.min(24, size - position);
      byte[] d = readAt(position, Math.max(0, available));
      for (int start : new int[] {4, 0}) {
        if (start == 4 && (d.length < 4 || u32(d, 0) != DESCRIPTOR_SIG)) {
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
    private Map<String, ZipEntryInfo> checkPaths(List<ZipEntryInfo> entries)
        throws ArchiveException {
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
    private void checkLayout(List<ZipEntryInfo> entries, long centralOffset)
        throws ArchiveException {
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
        long end =
            dataEnd + (e.hasDataDescriptor() ? descriptorLengths.getOrDefault(dataEnd, 0) : 0);
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

    private byte[] readAt(long position, int length) throws ArchiveException {
      byte[] bytes = new byte[length];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      try {
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, position + buffer.position());
          if (n < 0) {
            throw archiveFail(
                "ends unexpectedly at " + (position + buffer.position()) + " (truncated)", DAMAGED);
          }
        }
      } catch (IOException e) {
        throw new ArchiveException(label, null, "cannot be read (" + e + ")", "check the file", e);
      }
      return bytes;
    }

    private ArchiveException archiveFail(String problem, String advice) {
      return new ArchiveException(label, null, problem, advice);
    }

    private ArchiveException entryFail(String name, String problem, String advice) {
      return new ArchiveException(label, name, problem, advice);
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
