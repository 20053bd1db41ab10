package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The entries of one zip and their content, read from a {@link ZipSource} only where asked. Entries
 * that lie close together are fetched in one read (one HTTP request for a remote zip), several
 * reads run at once for a remote zip, and a large entry is fetched in growing chunks only as far as
 * its reader reads (an ELF check stops after the headers it needs).
 */
final class ZipContent implements LayerContent {
  /** Entries whose stored span is at most this are fetched whole, with their neighbours. */
  static final int SMALL_SPAN = 256 << 10;

  /** The most bytes one grouped read fetches. */
  static final int GROUP_LIMIT = 4 << 20;

  /** The largest gap of unwanted bytes a grouped read spans for a remote zip. */
  static final int REMOTE_GAP = 32 << 10;

  /** The first chunk of a large entry (local header included). */
  static final int FIRST_CHUNK = 64 << 10;

  private static final int PARALLEL_READS = 8;

  private final ZipSource source;
  private final ZipDirectory directory;
  private final boolean functionCode;
  private final List<ContentEntry> entries;
  private final Map<String, ContentEntry> byPath;
  private final Map<ContentEntry, ZipDirectory.Record> records = new IdentityHashMap<>();
  private final long[] sortedOffsets;

  ZipContent(ZipSource source, ZipDirectory directory, boolean functionCode) {
    this.source = source;
    this.directory = directory;
    this.functionCode = functionCode;
    List<ContentEntry> list = new ArrayList<>();
    Map<String, ContentEntry> paths = new LinkedHashMap<>();
    for (ZipDirectory.Record r : directory.records()) {
      list.add(r.entry());
      paths.put(r.entry().path(), r.entry()); // a duplicate's later copy wins, as on extraction
      records.put(r.entry(), r);
    }
    this.entries = List.copyOf(list);
    this.byPath = Map.copyOf(paths);
    this.sortedOffsets =
        directory.records().stream()
            .mapToLong(ZipDirectory.Record::localHeaderOffset)
            .sorted()
            .distinct()
            .toArray();
  }

  ZipSource source() {
    return source;
  }

  ZipDirectory directory() {
    return directory;
  }

  @Override
  public String label() {
    return source.label();
  }

  @Override
  public boolean functionCode() {
    return functionCode;
  }

  @Override
  public List<ContentEntry> entries() {
    return entries;
  }

  @Override
  public Optional<ContentEntry> entry(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** Where the stored bytes of the entry at {@code offset} must end: the next local header. */
  private long endBound(long offset) {
    int i = Arrays.binarySearch(sortedOffsets, offset);
    return i >= 0 && i + 1 < sortedOffsets.length
        ? sortedOffsets[i + 1]
        : directory.centralDirectoryOffset();
  }

  /** One read: a run of small entries, or the first chunk of one large entry. */
  private record Work(List<ZipDirectory.Record> records, long start, long fetchEnd, long end) {}

  @Override
  public void read(Collection<ContentEntry> wanted, long maxBytes, Reader reader)
      throws AccretionException {
    List<ZipDirectory.Record> chosen = new ArrayList<>();
    Map<ContentEntry, Boolean> unique = new IdentityHashMap<>();
    for (ContentEntry e : wanted) {
      ZipDirectory.Record r = records.get(e);
      if (r == null) {
        r = records.get(byPath.get(e.path()));
      }
      if (r == null || unique.put(r.entry(), Boolean.TRUE) != null || !r.entry().isFile()) {
        continue;
      }
      if (r.entry().size() > maxBytes) {
        reader.skipped(r.entry(), "larger than " + maxBytes + " bytes");
      } else if (r.encrypted()) {
        reader.skipped(r.entry(), "encrypted");
      } else if (r.method() != 0 && r.method() != 8) {
        reader.skipped(r.entry(), "compression method " + r.method() + " is not supported");
      } else {
        chosen.add(r);
      }
    }
    chosen.sort(Comparator.comparingLong(ZipDirectory.Record::localHeaderOffset));
    List<Work> plan = plan(chosen);
    if (!source.remote()) {
      for (Work w : plan) {
        deliver(w, fetch(w), reader);
      }
      return;
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, daemonThreads())) {
      Deque<Future<byte[]>> window = new ArrayDeque<>();
      int next = 0;
      for (Work w : plan) {
        while (window.size() < 2 * PARALLEL_READS && next < plan.size()) {
          Work ahead = plan.get(next++);
          window.add(pool.submit(() -> fetch(ahead)));
        }
        byte[] bytes = await(window.removeFirst());
        deliver(w, bytes, reader);
      }
      window.forEach(f -> f.cancel(true));
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "accretion-inspect-read");
      t.setDaemon(true);
      return t;
    };
  }

  private static byte[] await(Future<byte[]> future) throws AccretionException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AccretionException a) {
        throw a;
      }
      throw new IllegalStateException("reading zip content failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "interrupted while reading", e);
    }
  }

  private List<Work> plan(List<ZipDirectory.Record> chosen) {
    List<Work> plan = new ArrayList<>();
    long gap = source.remote() ? REMOTE_GAP : 0;
    List<ZipDirectory.Record> run = new ArrayList<>();
    long runStart = 0;
    long runEnd = 0;
    for (ZipDirectory.Record r : chosen) {
      long start = r.localHeaderOffset();
      long end = endBound(start);
      if (end - start > SMALL_SPAN) {
        if (!run.isEmpty()) {
          plan.add(new Work(List.copyOf(run), runStart, runEnd, runEnd));
          run.clear();
        }
        plan.add(new Work(List.of(r), start, Math.min(end, start + FIRST_CHUNK), end));
        continue;
      }
      if (!run.isEmpty() && (start - runEnd > gap || end - runStart > GROUP_LIMIT)) {
        plan.add(new Work(List.copyOf(run), runStart, runEnd, runEnd));
        run.clear();
      }
      if (run.isEmpty()) {
        runStart = start;
      }
      run.add(r);
      runEnd = Math.max(runEnd, end);
    }
    if (!run.isEmpty()) {
      plan.add(new Work(List.copyOf(run), runStart, runEnd, runEnd));
    }
    return plan;
  }

  private byte[] fetch(Work w) throws AccretionException {
    return source.read(w.start(), (int) (w.fetchEnd() - w.start()));
  }

  private void deliver(Work w, byte[] first, Reader reader) throws AccretionException {
    Chunks chunks = new Chunks(source, w.start(), first, w.end());
    for (ZipDirectory.Record r : w.records()) {
      InputStream content;
      try {
        content = open(chunks, r);
      } catch (IOException e) {
        reader.skipped(r.entry(), e.getMessage());
        continue;
      } catch (SourceFailure e) {
        throw e.failure();
      }
      try (InputStream in = content) {
        reader.read(r.entry(), in);
      } catch (IOException e) {
        reader.skipped(r.entry(), "cannot be read (" + e.getMessage() + ")");
      } catch (SourceFailure e) {
        throw e.failure();
      }
    }
  }

  /**
   * A read of the zip failed under a reader's stream. Unchecked, so that a reader that handles
   * {@link IOException}s of bad content never mistakes a lost connection for bad content.
   */
  static final class SourceFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SourceFailure(AccretionException cause) {
      super(cause.getMessage(), cause);
    }

    AccretionException failure() {
      return (AccretionException) getCause();
    }
  }

  /**
   * Opens one entry's content on its own (for a second pass over an ELF file).
   *
   * @throws AccretionException if it cannot be read
   */
  InputStream open(ContentEntry entry) throws AccretionException, IOException {
    ZipDirectory.Record r = records.get(entry);
    if (r == null) {
      r = records.get(byPath.get(entry.path()));
    }
    if (r == null) {
      throw new IllegalArgumentException(entry.path() + " is not in " + label());
    }
    long start = r.localHeaderOffset();
    long end = endBound(start);
    long fetchEnd = Math.min(end, start + FIRST_CHUNK);
    byte[] first = source.read(start, (int) (fetchEnd - start));
    return open(new Chunks(source, start, first, end), r);
  }

  private InputStream open(Chunks chunks, ZipDirectory.Record r) throws IOException {
    long lho = r.localHeaderOffset();
    byte[] header = chunks.bytes(lho, 30);
    if (ZipDirectory.le32(header, 0) != ZipDirectory.LOCAL_SIG) {
      throw new IOException("its local header is missing: the zip is damaged");
    }
    long dataStart =
        lho + 30 + ZipDirectory.le16(header, 26) + (long) ZipDirectory.le16(header, 28);
    long dataEnd = dataStart + r.entry().compressedSize();
    if (dataEnd > chunks.end) {
      throw new IOException("its data runs into the next entry: the zip is damaged");
    }
    InputStream raw = chunks.stream(dataStart, dataEnd);
    long declared = r.entry().size();
    if (r.method() == 0) {
      return raw;
    }
    Inflater inflater = new Inflater(true);
    InputStream inflated =
        new InflaterInputStream(raw, inflater, 16 << 10) {
          @Override
          public void close() throws IOException {
            try {
              super.close();
            } finally {
              inflater.end();
            }
          }
        };
    // Never inflate past the declared size: inspection trusts sizes, so a bomb is cut short.
    return new BoundedStream(inflated, declared);
  }

  /** Bytes of the zip from {@code base}: those fetched first, then more on demand. */
  private static final class Chunks {
    final ZipSource source;
    final long base;
    final long end;
    byte[] held;
    long heldStart;
    int nextChunk = 256 << 10;

    Chunks(ZipSource source, long base, byte[] first, long end) {
      this.source = source;
      this.base = base;
      this.held = first;
      this.heldStart = base;
      this.end = end;
    }

    long heldEnd() {
      return heldStart + held.length;
    }

    byte[] bytes(long position, int length) throws IOException {
      if (position >= heldStart && position + length <= heldEnd()) {
        int from = (int) (position - heldStart);
        return Arrays.copyOfRange(held, from, from + length);
      }
      if (position + length > end) {
        throw new IOException("the entry runs past the data that belongs to it");
      }
      try {
        return source.read(position, length);
      } catch (AccretionException e) {
        throw new SourceFailure(e);
      }
    }

    /** Fetches the next chunk after what is held, growing chunk sizes up to 8 MiB. */
    void more(long position) {
      long to = Math.min(end, position + nextChunk);
      nextChunk = Math.min(nextChunk * 2, 8 << 20);
      try {
        held = source.read(position, (int) (to - position));
      } catch (AccretionException e) {
        throw new SourceFailure(e);
      }
      heldStart = position;
    }

    InputStream stream(long from, long to) {
      return new InputStream() {
        long position = from;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (position >= to) {
            return -1;
          }
          if (len == 0) {
            return 0;
          }
          if (position < heldStart || position >= heldEnd()) {
            more(position);
          }
          int n = (int) Math.min(len, Math.min(heldEnd(), to) - position);
          System.arraycopy(held, (int) (position - heldStart), b, off, n);
          position += n;
          return n;
        }
      };
    }
  }

  /** At most {@code limit} bytes of a stream. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
