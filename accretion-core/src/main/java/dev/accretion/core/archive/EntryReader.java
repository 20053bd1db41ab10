package dev.accretion.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the content of one entry of a {@link ZipArchive}: inflates (or copies) it, counts the bytes
 * it actually produces (charged against the archive's limits, never trusting the headers), and
 * verifies size and CRC-32 at the end. Used by one thread at a time.
 */
final class EntryReader {
  private final ZipArchive archive;
  private final ZipEntryInfo entry;
  final MessageDigest sha;
  final CRC32 crc = new CRC32();
  private final Inflater inflater;
  private final byte[] input;
  private long rawPosition;
  private long rawRemaining;
  long produced;
  private boolean done;
  private boolean dummyFed;
  private int stalls;

  private final boolean ownInflater;

  EntryReader(ZipArchive archive, ZipEntryInfo entry, MessageDigest sha, Scratch scratch)
      throws ArchiveException {
    this.archive = archive;
    this.entry = entry;
    this.sha = sha;
    if (entry.uncompressedSize() > archive.limits().maxArchiveBytes()) {
      throw new ArchiveException(
          archive.label(),
          entry.name(),
          "declares "
              + entry.uncompressedSize()
              + " bytes unzipped, more than the per-archive limit of "
              + archive.limits().maxArchiveBytes(),
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
        input =
            new byte[(int) Math.min(ZipArchive.BUFFER_SIZE, Math.max(1, entry.compressedSize()))];
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
        throw fail("has corrupt DEFLATE data (" + e.getMessage() + ")", ZipArchive.DAMAGED);
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
              ZipArchive.DAMAGED);
        }
        if (consumed < entry.compressedSize()) {
          throw fail(
              "has "
                  + (entry.compressedSize() - consumed)
                  + " bytes of data after the end of its DEFLATE stream (the sizes lie)",
              ZipArchive.DAMAGED);
        }
        finish();
        return -1;
      }
      if (inflater.needsDictionary()) {
        throw fail("has DEFLATE data that asks for a preset dictionary", ZipArchive.DAMAGED);
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
              ZipArchive.DAMAGED);
        }
        int k = (int) Math.min(input.length, rawRemaining);
        readFully(rawPosition, input, 0, k);
        rawPosition += k;
        rawRemaining -= k;
        inflater.setInput(input, 0, k);
        stalls = 0;
      } else if (++stalls > 1000) {
        throw fail("has DEFLATE data on which the inflater makes no progress", ZipArchive.DAMAGED);
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
          ZipArchive.DAMAGED);
    }
    crc.update(b, off, n);
    if (sha != null) {
      sha.update(b, off, n);
    }
    archive.charge(entry, produced);
  }

  private void finish() throws ArchiveException {
    done = true;
    close();
    if (produced != entry.uncompressedSize()) {
      throw fail(
          "inflates to " + produced + " bytes, but its headers declare " + entry.uncompressedSize(),
          ZipArchive.DAMAGED);
    }
    if (crc.getValue() != entry.crc32()) {
      throw fail(
          String.format(
              Locale.ROOT,
              "fails its CRC-32 check (headers say %08x, content gives %08x)",
              entry.crc32(),
              crc.getValue()),
          ZipArchive.DAMAGED);
    }
  }

  private void readFully(long position, byte[] b, int off, int n) throws ArchiveException {
    ByteBuffer buffer = ByteBuffer.wrap(b, off, n);
    try {
      while (buffer.hasRemaining()) {
        int r = archive.channel().read(buffer, position + (buffer.position() - off));
        if (r < 0) {
          throw new IOException("unexpected end of file (was it truncated while open?)");
        }
      }
    } catch (IOException e) {
      throw archive.readFailure(entry.name(), e);
    }
  }

  private ArchiveException fail(String problem, String advice) {
    done = true;
    close();
    return new ArchiveException(archive.label(), entry.name(), problem, advice);
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

  /** Per-thread buffers and inflater for {@link ZipArchive#digest}. */
  static final class Scratch {
    final byte[] input = new byte[ZipArchive.BUFFER_SIZE];
    final byte[] output = new byte[ZipArchive.BUFFER_SIZE];
    private Inflater inflater;

    Inflater inflater() {
      if (inflater == null) {
        // Never ended: reset between entries, freed by its cleaner with the thread's scratch.
        inflater = new Inflater(true);
      }
      return inflater;
    }
  }

  /** Adapts {@link EntryReader} to {@link InputStream}; failures become IOExceptions. */
  static final class EntryInputStream extends InputStream {
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
}
