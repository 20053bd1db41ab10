package dev.accretion.core.elf;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Inspects an ELF file while its bytes stream past, for example while an installer hashes a wheel
 * entry ({@code archive.digest(entry, scanner)}), so that most files need no second read. Non-ELF
 * content costs nothing after its first four bytes.
 *
 * <p>The scanner keeps the first {@link #DEFAULT_PREFIX_BYTES} bytes of an ELF file (headers, and
 * in the usual layout the dynamic string table and version needs) and, once it knows where they
 * are, captures the dynamic segment and other tables further on. If the file keeps something the
 * loader needs behind that window (rare), {@link #finish} reads the stream again from its start
 * through the given {@link ElfInspector.StreamOpener}, up to the last byte it needs.
 *
 * <p>Writes never throw. Not thread-safe.
 */
public final class ElfScanner extends OutputStream {
  /** Bytes kept from the start of an ELF file. */
  public static final int DEFAULT_PREFIX_BYTES = 8 << 20;

  /** Most bytes kept beyond the prefix (captured tables). */
  static final long MAX_CAPTURED_BYTES = 64 << 20;

  private static final int MAX_PASSES = 6;

  private enum State {
    UNKNOWN,
    NOT_ELF,
    SCANNING,
    COMPLETE,
    NEEDS_REREAD
  }

  private static final class Capture {
    final long start;
    final byte[] data;
    int filled;

    Capture(long start, int length) {
      this.start = start;
      this.data = new byte[length];
    }

    long end() {
      return start + data.length;
    }

    boolean complete() {
      return filled == data.length;
    }

    /** Copies the part of {@code b} (stream bytes at {@code at}) this capture still needs. */
    boolean take(byte[] b, int off, int len, long at) {
      if (complete()) {
        return false;
      }
      long next = start + filled;
      long from = Math.max(at, next);
      long to = Math.min(at + len, end());
      if (from != next || from >= to) {
        return false;
      }
      int n = (int) (to - from);
      System.arraycopy(b, off + (int) (from - at), data, filled, n);
      filled += n;
      return complete();
    }

    boolean holds(long position, int length) {
      return position >= start && position + length <= start + filled;
    }
  }

  /**
   * Prefixes past this size use a pooled {@link #DEFAULT_PREFIX_BYTES} buffer: an install scans
   * hundreds of libraries, and allocating megabytes for each would make the heap, and so the
   * process, grow for garbage.
   */
  private static final int POOLED_THRESHOLD = 32 << 10;

  private static final int POOL_SIZE = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final ConcurrentLinkedQueue<SoftReference<byte[]>> POOL =
      new ConcurrentLinkedQueue<>();

  private static byte[] borrow() {
    SoftReference<byte[]> ref;
    while ((ref = POOL.poll()) != null) {
      byte[] buffer = ref.get();
      if (buffer != null) {
        return buffer;
      }
    }
    return new byte[DEFAULT_PREFIX_BYTES];
  }

  private void release() {
    if (pooled) {
      pooled = false;
      byte[] buffer = prefix;
      prefix = new byte[0];
      if (POOL.size() < POOL_SIZE) {
        POOL.add(new SoftReference<>(buffer));
      }
    }
  }

  private final String name;
  private final int prefixLimit;
  private boolean pooled;
  private boolean finished;
  private byte[] prefix = new byte[0];
  private int prefixLength;
  private long position;
  private State state = State.UNKNOWN;
  private final List<Capture> captures = new ArrayList<>();
  private final List<long[]> laterRanges = new ArrayList<>();
  private long capturedBytes;
  private long waitForPrefix = 64;

  /**
   * @param name the file as named in errors (e.g. {@code numpy-2.2.6-....whl!numpy/_core/x.so})
   */
  public ElfScanner(String name) {
    this(name, DEFAULT_PREFIX_BYTES);
  }

  ElfScanner(String name, int prefixLimit) {
    this.name = Objects.requireNonNull(name, "name");
    this.prefixLimit = prefixLimit;
  }

  /** Bytes seen so far. */
  public long size() {
    return position;
  }

  /**
   * True once more bytes cannot change the outcome of a single pass: the content is not ELF, or
   * everything the loader reads has been kept.
   */
  public boolean isSettled() {
    return state == State.NOT_ELF || state == State.COMPLETE;
  }

  /** True once the first bytes showed the content is not ELF. */
  public boolean isNotElf() {
    return state == State.NOT_ELF;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    long at = position;
    position += len;
    if (state == State.NOT_ELF || state == State.NEEDS_REREAD || finished || len == 0) {
      return;
    }
    if (at == 0 && len >= 4 && !ElfParser.hasMagic(Arrays.copyOfRange(b, off, off + 4), 4)) {
      // Most content is not ELF: decide on the first bytes without keeping any.
      state = State.NOT_ELF;
      return;
    }
    if (state != State.COMPLETE && at < prefixLimit) {
      int n = (int) Math.min(len, prefixLimit - at);
      int needed = (int) at + n;
      if (needed > prefix.length) {
        if (needed > POOLED_THRESHOLD && prefixLimit == DEFAULT_PREFIX_BYTES) {
          byte[] big = borrow();
          System.arraycopy(prefix, 0, big, 0, prefixLength);
          prefix = big;
          pooled = true;
        } else {
          int grown =
              (int) Math.min(prefixLimit, Math.max(needed, Math.max(4096, 2L * prefix.length)));
          prefix = Arrays.copyOf(prefix, grown);
        }
      }
      System.arraycopy(b, off, prefix, (int) at, n);
      prefixLength = needed;
    }
    boolean completed = false;
    for (Capture c : captures) {
      completed |= c.take(b, off, len, at);
    }
    if (state == State.UNKNOWN && prefixLength >= 4) {
      if (ElfParser.hasMagic(prefix, prefixLength)) {
        state = State.SCANNING;
      } else {
        state = State.NOT_ELF;
        prefix = new byte[0];
        return;
      }
    }
    if (state == State.SCANNING
        && (completed || (waitForPrefix >= 0 && prefixLength >= waitForPrefix))) {
      probe();
    }
  }

  /** Runs the parser on what is held (file size unknown yet) to learn what to keep next. */
  private void probe() {
    waitForPrefix = -1;
    try {
      ElfParser.parse(new Held(Long.MAX_VALUE, true), name);
      state = State.COMPLETE;
    } catch (ElfParser.NeedBytes need) {
      long end = need.position + need.length;
      if (end <= prefixLimit) {
        waitForPrefix = end;
      } else if (need.position >= position) {
        if (!capture(need.position, need.length)) {
          state = State.NEEDS_REREAD;
        }
      } else {
        state = State.NEEDS_REREAD;
      }
    } catch (ElfException e) {
      // Malformed even without a size bound: finish() reports it with the real size.
      state = State.COMPLETE;
    }
    if (state == State.NEEDS_REREAD && pooled) {
      byte[] kept = Arrays.copyOf(prefix, prefixLength);
      release();
      prefix = kept;
    }
  }

  private boolean capture(long start, long length) {
    for (Capture c : captures) {
      if (start >= c.start && start + length <= c.end()) {
        return true;
      }
    }
    if (length > Integer.MAX_VALUE || capturedBytes + length > MAX_CAPTURED_BYTES) {
      return false;
    }
    captures.add(new Capture(start, (int) length));
    capturedBytes += length;
    return true;
  }

  /**
   * Returns what the streamed bytes say, reading the stream again through {@code reopen} if the
   * file keeps a table the loader needs where a single pass could not keep it.
   *
   * <p>Call once, after the last byte was written; the scanner's memory is released.
   *
   * @param reopen opens the same content again from its start; may be called several times, or
   *     never
   * @return empty if the content is not ELF
   * @throws ElfException if the file is malformed, or a re-read fails (the failure is its cause)
   */
  public Optional<ElfInfo> finish(ElfInspector.StreamOpener reopen) throws ElfException {
    if (finished) {
      throw new IllegalStateException("finish() was already called for " + name);
    }
    finished = true;
    try {
      return finishOnce(reopen);
    } finally {
      release();
      prefix = new byte[0];
      captures.clear();
    }
  }

  private Optional<ElfInfo> finishOnce(ElfInspector.StreamOpener reopen) throws ElfException {
    if (state == State.NOT_ELF || prefixLength < 4 || !ElfParser.hasMagic(prefix, prefixLength)) {
      return Optional.empty();
    }
    for (int pass = 0; ; pass++) {
      try {
        return ElfParser.parse(new Held(position, false), name);
      } catch (ElfParser.NeedBytes need) {
        if (pass >= MAX_PASSES) {
          throw new ElfException(
              name, "needs more passes over its content than any valid file would");
        }
        if (!capture(need.position, need.length)) {
          throw new ElfException(
              name,
              "keeps its dynamic tables in more than "
                  + MAX_CAPTURED_BYTES
                  + " bytes, implausibly many");
        }
        for (long[] range : laterRanges) {
          capture(range[0], range[1]);
        }
        laterRanges.clear();
        reread(reopen);
      }
    }
  }

  /** Streams the content again from the start, filling every incomplete capture. */
  private void reread(ElfInspector.StreamOpener reopen) throws ElfException {
    long end = 0;
    for (Capture c : captures) {
      if (!c.complete()) {
        c.filled = 0;
        end = Math.max(end, c.end());
      }
    }
    byte[] buffer = new byte[64 << 10];
    try (InputStream in = reopen.open()) {
      long at = 0;
      while (at < end) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - at));
        if (n < 0) {
          break;
        }
        for (Capture c : captures) {
          c.take(buffer, 0, n, at);
        }
        at += n;
      }
    } catch (IOException | AccretionException e) {
      throw new ElfException(name, "could not be read again (" + e.getMessage() + ")", null, e);
    }
  }

  /** What has been kept, as a parser source. */
  private final class Held implements ElfParser.Source {
    private final long size;
    private final boolean probing;

    Held(long size, boolean probing) {
      this.size = size;
      this.probing = probing;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public byte[] read(long at, int length) {
      if (at + length <= prefixLength) {
        return Arrays.copyOfRange(prefix, (int) at, (int) at + length);
      }
      for (Capture c : captures) {
        if (c.holds(at, length)) {
          int from = (int) (at - c.start);
          return Arrays.copyOfRange(c.data, from, from + length);
        }
      }
      throw new ElfParser.NeedBytes(at, length);
    }

    @Override
    public void hint(long at, long length) {
      if (at + length <= prefixLimit || length <= 0) {
        return;
      }
      if (probing && at >= position) {
        capture(at, length);
      } else if (!probing || at < position) {
        laterRanges.add(new long[] {at, length});
      }
    }
  }
}
