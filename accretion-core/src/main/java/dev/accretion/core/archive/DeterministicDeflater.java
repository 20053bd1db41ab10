package dev.accretion.core.archive;

import java.util.Arrays;

/**
 * A pure-Java DEFLATE encoder (RFC 1951, raw: no zlib or gzip wrapper) whose output depends only on
 * its input: not on the JDK, the platform's zlib build or the thread. Zip entries Accretion
 * compresses itself (files that come from no zip, such as npm tarball entries) go through it, so a
 * layer's bytes never change with the machine that built it; entries copied from wheels and jars
 * keep their own compressed bytes and never come here.
 *
 * <p>The encoding: LZ77 over a 32 KiB window with hash chains of 3-byte prefixes (at most {@value
 * #MAX_CHAIN} candidates per position, lazy evaluation of the next position as zlib does), symbols
 * gathered into blocks of at most {@value #BLOCK_SYMBOLS}, each block written as whichever of
 * stored, fixed-Huffman or dynamic-Huffman is smallest. Dynamic codes are Huffman codes limited to
 * 15 bits (7 for the code-length code) by halving the symbol counts until the limit holds; ties are
 * broken by symbol number, so the same counts always give the same code. Every code is complete (at
 * least two symbols), which every inflater accepts.
 *
 * <p>The output format is frozen: a change to it changes layer digests and is a deliberate,
 * versioned change (the test pins the bytes of a fixed input). Stateless and thread-safe.
 */
public final class DeterministicDeflater {
  private static final int WINDOW = 32 * 1024;
  private static final int WINDOW_MASK = WINDOW - 1;
  private static final int HASH_BITS = 15;
  private static final int HASH_SIZE = 1 << HASH_BITS;
  private static final int MIN_MATCH = 3;
  private static final int MAX_MATCH = 258;
  static final int MAX_CHAIN = 128;
  private static final int NICE_MATCH = 128;
  private static final int LAZY_LIMIT = 32;
  static final int BLOCK_SYMBOLS = 16 * 1024;
  private static final int END_OF_BLOCK = 256;

  static final int[] LENGTH_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  static final int[] LENGTH_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  static final int[] DISTANCE_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  static final int[] DISTANCE_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  /** The order code-length code lengths are written in (RFC 1951 3.2.7). */
  static final int[] CODE_LENGTH_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };

  /** Length (3..258) to its length code index (0..28). */
  private static final byte[] LENGTH_CODE = new byte[MAX_MATCH + 1];

  private static final int[] FIXED_LITERAL_LENGTHS = new int[288];
  private static final int[] FIXED_DISTANCE_LENGTHS = new int[30];
  private static final int[] FIXED_LITERAL_CODES;
  private static final int[] FIXED_DISTANCE_CODES;

  static {
    for (int code = 0; code < LENGTH_BASE.length; code++) {
      int first = LENGTH_BASE[code];
      int last = code == LENGTH_BASE.length - 1 ? 258 : LENGTH_BASE[code + 1] - 1;
      for (int len = first; len <= last && len <= MAX_MATCH; len++) {
        LENGTH_CODE[len] = (byte) code;
      }
    }
    // 258 has its own code (285), not the last of 284's range
    LENGTH_CODE[258] = 28;
    for (int i = 0; i < 288; i++) {
      FIXED_LITERAL_LENGTHS[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    }
    Arrays.fill(FIXED_DISTANCE_LENGTHS, 5);
    FIXED_LITERAL_CODES = canonicalCodes(FIXED_LITERAL_LENGTHS);
    FIXED_DISTANCE_CODES = canonicalCodes(FIXED_DISTANCE_LENGTHS);
  }

  private DeterministicDeflater() {}

  /** The raw DEFLATE encoding of {@code input}. */
  public static byte[] deflate(byte[] input) {
    return deflate(input, 0, input.length);
  }

  /** The raw DEFLATE encoding of {@code input[offset, offset + length)}. */
  public static byte[] deflate(byte[] input, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, input.length);
    Scratch scratch = Scratch.take();
    try {
      return new Encoder(input, offset, length, scratch).run();
    } finally {
      scratch.giveBack();
    }
  }

  /**
   * The raw DEFLATE encoding of a slice's bytes that reuses the LZ77 matches of the stream it was
   * cut from instead of searching for its own: each match that lies inside the slice is kept; the
   * part of a match that crosses the slice's start or end, or copies from before its start, becomes
   * literals (a remainder shorter than 3 bytes too). The symbols then go into blocks exactly as
   * {@link #deflate(byte[])} writes its own. The output depends only on the slice's bytes and the
   * matches, which depend only on the compressed stream they came from; it is frozen like the other
   * encoding.
   */
  public static byte[] deflate(Lz77Slice slice) {
    Scratch scratch = Scratch.take();
    try {
      return new Encoder(slice.data(), slice.offset(), slice.length(), scratch).runWith(slice);
    } finally {
      scratch.giveBack();
    }
  }

  /**
   * An encoder's working arrays, reused from one input to the next (an npm layer deflates tens of
   * thousands of files; allocating these for each made most of the build's garbage). Each is used
   * by one encoder at a time; none is read before the encoder wrote it, except the hash heads,
   * which {@link Encoder#chains} clears.
   */
  private static final class Scratch {
    private static final int POOLED = 16;
    private static final int KEPT_OUTPUT = 1 << 20;
    private static final java.util.concurrent.ConcurrentLinkedQueue<Scratch> POOL =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger SIZE =
        new java.util.concurrent.atomic.AtomicInteger();

    final short[] symLength = new short[BLOCK_SYMBOLS];
    final short[] symDistance = new short[BLOCK_SYMBOLS];
    int[] head;
    int[] prev;
    byte[] output = new byte[4096];

    static Scratch take() {
      Scratch s = POOL.poll();
      if (s == null) {
        return new Scratch();
      }
      SIZE.decrementAndGet();
      return s;
    }

    void giveBack() {
      if (output.length > KEPT_OUTPUT) {
        output = new byte[4096];
      }
      if (SIZE.incrementAndGet() <= POOLED) {
        POOL.offer(this);
      } else {
        SIZE.decrementAndGet();
      }
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** One run of the encoder over one input. */
  private static final class Encoder {
    private final byte[] in;
    private final int start;
    private final int end;
    private final BitWriter out;
    // the hash chains, made only when searching for matches; a chain slot is the position's
    // offset from the start modulo the array's size (the window, or less for a short input), and
    // entries hold a position as its offset from the start plus one (0: none)
    private int[] head;
    private int[] prev;
    private int prevMask;
    private int hashShift;
    // pending symbols of the current block: a literal (dist 0) or a match (length, distance);
    // every symbol takes at least one input byte, so a short input needs short arrays
    private final short[] symLength;
    private final short[] symDistance;
    private final Scratch scratch;
    private int symbols;
    private int blockStart;
    private int inserted;

    Encoder(byte[] in, int offset, int length, Scratch scratch) {
      this.in = in;
      this.start = offset;
      this.end = offset + length;
      this.scratch = scratch;
      this.out = new BitWriter(scratch, Math.max(64, length / 2 + 64));
      this.symLength = scratch.symLength;
      this.symDistance = scratch.symDistance;
      this.blockStart = offset;
      this.inserted = offset;
    }

    byte[] run() {
      chains(HASH_BITS, WINDOW);
      int pos = start;
      // a match found at pos - 1 that waits to see whether one starting at pos is longer
      boolean pending = false;
      int pendingLength = 0;
      int pendingDistance = 0;
      while (pos < end) {
        insertUpTo(pos);
        int length = 0;
        int distance = 0;
        if (end - pos >= MIN_MATCH && !(pending && pendingLength >= LAZY_LIMIT)) {
          long found = longestMatch(pos, pending ? pendingLength : MIN_MATCH - 1);
          length = (int) (found >>> 32);
          distance = (int) found;
        }
        if (pending) {
          if (distance != 0) {
            // longer here: the byte before goes out alone, this match waits in its place
            emitLiteral(pos - 1);
            pendingLength = length;
            pendingDistance = distance;
            pos++;
          } else {
            emitMatch(pendingLength, pendingDistance, pos - 1);
            pos = pos - 1 + pendingLength;
            pending = false;
          }
        } else if (distance != 0) {
          pending = true;
          pendingLength = length;
          pendingDistance = distance;
          pos++;
        } else {
          emitLiteral(pos);
          pos++;
        }
      }
      if (pending) {
        emitMatch(pendingLength, pendingDistance, pos - 1);
      }
      flushBlock(true);
      return out.finish();
    }

    private void chains(int hashBits, int size) {
      if (scratch.head == null || scratch.head.length < 1 << hashBits) {
        scratch.head = new int[HASH_SIZE];
      } else {
        Arrays.fill(scratch.head, 0, 1 << hashBits, 0);
      }
      if (scratch.prev == null || scratch.prev.length < size) {
        scratch.prev = new int[WINDOW];
      }
      head = scratch.head;
      prev = scratch.prev;
      prevMask = size - 1;
      hashShift = 32 - hashBits;
    }

    /**
     * Encodes the input with the slice's matches (see {@link #deflate(Lz77Slice)}). Where a match
     * of the stream copies from before the slice (from the files before it in a tarball), the
     * slice's own earlier bytes are searched for a match instead, as {@link #run} would.
     */
    byte[] runWith(Lz77Slice slice) {
      int[] positions = slice.matchPositions();
      int[] lengthDistance = slice.matchLengthDistance();
      int count = slice.matchCount();
      int pos = start;
      int i = slice.firstMatch();
      while (pos < end) {
        while (i < count && positions[i] + (lengthDistance[i] >>> 16) <= pos) {
          i++;
        }
        if (i >= count || positions[i] > pos) {
          int next = i < count ? Math.min(positions[i], end) : end;
          while (pos < next) {
            emitLiteral(pos++);
          }
          continue;
        }
        int distance = lengthDistance[i] & 0xffff;
        int matchEnd = Math.min(end, positions[i] + (lengthDistance[i] >>> 16));
        if (pos - distance >= start) {
          if (matchEnd - pos >= MIN_MATCH) {
            emitMatch(matchEnd - pos, distance, pos);
            pos = matchEnd;
          } else {
            while (pos < matchEnd) {
              emitLiteral(pos++);
            }
          }
          continue;
        }
        // the stream copied this byte from before the slice: look inside the slice instead
        long found = 0;
        if (end - pos >= MIN_MATCH) {
          if (head == null) {
            int size = Integer.highestOneBit(Math.max(64, Math.min(WINDOW, end - start)) * 2 - 1);
            chains(Math.max(8, Math.min(HASH_BITS, Integer.numberOfTrailingZeros(size) - 1)), size);
          }
          insertUpTo(pos);
          found = longestMatch(pos, MIN_MATCH - 1);
        }
        int length = (int) (found >>> 32);
        if (length >= MIN_MATCH) {
          emitMatch(length, (int) found, pos);
          pos += length;
        } else {
          emitLiteral(pos++);
        }
      }
      flushBlock(true);
      return out.finish();
    }

    /** Enters every position before {@code pos} (that has 3 bytes ahead) into the hash chains. */
    private void insertUpTo(int pos) {
      int last = Math.min(pos, end - MIN_MATCH + 1);
      while (inserted < last) {
        int h = hash(inserted);
        prev[(inserted - start) & prevMask] = head[h];
        head[h] = inserted - start + 1;
        inserted++;
      }
    }

    private int hash(int p) {
      int v = (in[p] & 0xff) << 16 | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff);
      return (v * 0x9E3779B1) >>> hashShift;
    }

    /**
     * The longest earlier match for {@code pos} longer than {@code atLeast}: length in the high
     * half, distance in the low half (0 when none). Candidates come from the chain of the 3 bytes
     * at {@code pos}, nearest first; on equal lengths the nearest wins.
     */
    private long longestMatch(int pos, int atLeast) {
      int h = hash(pos);
      int candidate = start + head[h] - 1;
      int limit = pos - WINDOW;
      int maxLength = Math.min(MAX_MATCH, end - pos);
      int best = Math.max(atLeast, MIN_MATCH - 1);
      if (best >= maxLength) {
        return 0;
      }
      int bestDistance = 0;
      int chain = MAX_CHAIN;
      while (candidate >= start && candidate > limit && candidate < pos && chain-- > 0) {
        if (in[candidate + best] == in[pos + best] && in[candidate] == in[pos]) {
          int len = 0;
          while (len < maxLength && in[candidate + len] == in[pos + len]) {
            len++;
          }
          if (len > best) {
            best = len;
            bestDistance = pos - candidate;
            if (len >= NICE_MATCH || len == maxLength) {
              break;
            }
          }
        }
        int next = start + prev[(candidate - start) & prevMask] - 1;
        if (next >= candidate) {
          break; // an entry overwritten by a later position: the chain ends here
        }
        candidate = next;
      }
      if (bestDistance == 0) {
        return 0;
      }
      return (long) best << 32 | bestDistance;
    }

    private void emitLiteral(int p) {
      symLength[symbols] = (short) (in[p] & 0xff);
      symDistance[symbols] = 0;
      symbols++;
      if (symbols == BLOCK_SYMBOLS) {
        flushBlockAt(p + 1);
      }
    }

    private void emitMatch(int length, int distance, int at) {
      symLength[symbols] = (short) length;
      symDistance[symbols] = (short) distance;
      symbols++;
      if (symbols == BLOCK_SYMBOLS) {
        flushBlockAt(at + length);
      }
    }

    private int blockEnd;

    private void flushBlockAt(int endOfInput) {
      blockEnd = endOfInput;
      writeBlock(false);
      blockStart = endOfInput;
      symbols = 0;
    }

    private void flushBlock(boolean last) {
      blockEnd = end;
      writeBlock(last);
      blockStart = end;
      symbols = 0;
    }

    /** Writes the pending symbols as the smallest of the three block types. */
    private void writeBlock(boolean last) {
      int[] literalFreq = new int[286];
      int[] distanceFreq = new int[30];
      countSymbols(literalFreq, distanceFreq);
      int[] literalLengths = limitedLengths(literalFreq, 15);
      int[] distanceLengths = limitedLengths(distanceFreq, 15);
      DynamicHeader header = DynamicHeader.of(literalLengths, distanceLengths);

      long dataBits = 0;
      long fixedBits = 0;
      for (int s = 0; s < 286; s++) {
        int f = literalFreq[s];
        if (f == 0) {
          continue;
        }
        int extra = s > 256 ? LENGTH_EXTRA[s - 257] : 0;
        dataBits += (long) f * (literalLengths[s] + extra);
        fixedBits += (long) f * (FIXED_LITERAL_LENGTHS[s] + extra);
      }
      for (int s = 0; s < 30; s++) {
        int f = distanceFreq[s];
        dataBits += (long) f * (distanceLengths[s] + DISTANCE_EXTRA[s]);
        fixedBits += (long) f * (5 + DISTANCE_EXTRA[s]);
      }
      long dynamicBits = 3 + header.bits() + dataBits;
      fixedBits += 3;
      int rawLength = blockEnd - blockStart;
      long storedBits = storedBits(rawLength);
      if (storedBits < fixedBits && storedBits < dynamicBits) {
        writeStored(last);
        return;
      }
      out.bits(last ? 1 : 0, 1);
      // one call of writeSymbols, so the JIT inlines its loop once, not once per block type
      int[] literalCodes;
      int[] distanceCodes;
      if (fixedBits <= dynamicBits) {
        out.bits(1, 2);
        literalCodes = FIXED_LITERAL_CODES;
        literalLengths = FIXED_LITERAL_LENGTHS;
        distanceCodes = FIXED_DISTANCE_CODES;
        distanceLengths = FIXED_DISTANCE_LENGTHS;
      } else {
        out.bits(2, 2);
        header.write(out);
        literalCodes = canonicalCodes(literalLengths);
        distanceCodes = canonicalCodes(distanceLengths);
      }
      writeSymbols(literalCodes, literalLengths, distanceCodes, distanceLengths);
    }

    /**
     * The block's symbol frequencies, the end-of-block symbol included. A method of its own (as
     * {@link #writeSymbols} is): its loop runs long on the first blocks, before {@code writeBlock}
     * is compiled, and the JIT then compiles this small loop on the stack instead of the whole
     * block writer with everything inlined into it, again for each of its loops.
     */
    private void countSymbols(int[] literalFreq, int[] distanceFreq) {
      for (int i = 0; i < symbols; i++) {
        int d = symDistance[i] & 0xffff;
        int l = symLength[i] & 0xffff;
        if (d == 0) {
          literalFreq[l]++;
        } else {
          literalFreq[257 + LENGTH_CODE[l]]++;
          distanceFreq[distanceCode(d)]++;
        }
      }
      literalFreq[END_OF_BLOCK]++;
    }

    /** Bits of the block as stored blocks of at most 65,535 bytes, counting the worst padding. */
    private long storedBits(int rawLength) {
      int blocks = Math.max(1, (rawLength + 65534) / 65535);
      return (long) blocks * (3 + 7 + 32) + 8L * rawLength;
    }

    private void writeStored(boolean last) {
      int p = blockStart;
      int remaining = blockEnd - blockStart;
      do {
        int n = Math.min(remaining, 65535);
        boolean final_ = last && n == remaining;
        out.bits(final_ ? 1 : 0, 1);
        out.bits(0, 2);
        out.alignToByte();
        out.bits(n, 16);
        out.bits(~n & 0xffff, 16);
        out.bytes(in, p, n);
        p += n;
        remaining -= n;
      } while (remaining > 0);
    }

    private void writeSymbols(
        int[] literalCodes, int[] literalLengths, int[] distanceCodes, int[] distanceLengths) {
      for (int i = 0; i < symbols; i++) {
        int d = symDistance[i] & 0xffff;
        int l = symLength[i] & 0xffff;
        if (d == 0) {
          out.bits(literalCodes[l], literalLengths[l]);
        } else {
          int lc = LENGTH_CODE[l];
          out.bits(literalCodes[257 + lc], literalLengths[257 + lc]);
          if (LENGTH_EXTRA[lc] > 0) {
            out.bits(l - LENGTH_BASE[lc], LENGTH_EXTRA[lc]);
          }
          int dc = distanceCode(d);
          out.bits(distanceCodes[dc], distanceLengths[dc]);
          if (DISTANCE_EXTRA[dc] > 0) {
            out.bits(d - DISTANCE_BASE[dc], DISTANCE_EXTRA[dc]);
          }
        }
      }
      out.bits(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
    }
  }

  /** Distance code of distances 1..256, then of (distance - 1) >> 7 for longer ones (as zlib). */
  private static final byte[] DISTANCE_CODE_SHORT = new byte[257];

  private static final byte[] DISTANCE_CODE_LONG = new byte[256];

  static {
    for (int d = 1; d <= 256; d++) {
      DISTANCE_CODE_SHORT[d] = (byte) distanceCodeBySearch(d);
    }
    for (int k = 2; k < 256; k++) {
      DISTANCE_CODE_LONG[k] = (byte) distanceCodeBySearch((k << 7) + 1);
    }
  }

  static int distanceCode(int distance) {
    return distance <= 256
        ? DISTANCE_CODE_SHORT[distance]
        : DISTANCE_CODE_LONG[(distance - 1) >>> 7];
  }

  static int distanceCodeBySearch(int distance) {
    int lo = 0;
    int hi = DISTANCE_BASE.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (DISTANCE_BASE[mid] <= distance) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // -----------------------------------------------------------------------------------------------
  // Huffman codes

  /**
   * Code lengths for {@code freq} no longer than {@code maxBits}: a Huffman code of the counts,
   * recomputed with every count halved (rounding up, so used symbols stay used) until it fits. At
   * least two symbols get a code, so the code is complete.
   */
  static int[] limitedLengths(int[] freq, int maxBits) {
    int[] f = freq.clone();
    int used = 0;
    for (int x : f) {
      if (x > 0) {
        used++;
      }
    }
    // a complete code needs two symbols: give the lowest unused ones a count of one
    for (int s = 0; s < f.length && used < 2; s++) {
      if (f[s] == 0) {
        f[s] = 1;
        used++;
      }
    }
    while (true) {
      int[] lengths = huffmanLengths(f);
      int max = 0;
      for (int len : lengths) {
        max = Math.max(max, len);
      }
      if (max <= maxBits) {
        return lengths;
      }
      for (int s = 0; s < f.length; s++) {
        if (f[s] > 0) {
          f[s] = (f[s] + 1) >>> 1;
        }
      }
    }
  }

  /**
   * Huffman code lengths by the two-queue method: leaves sorted by (count, symbol), merged nodes
   * queued in the order they are made; on equal counts a leaf is taken before a merged node.
   */
  private static int[] huffmanLengths(int[] freq) {
    int n = 0;
    for (int x : freq) {
      if (x > 0) {
        n++;
      }
    }
    // leaves sorted by (count, symbol): one long key each, count above the symbol's 9 bits
    long[] keys = new long[n];
    int k = 0;
    for (int s = 0; s < freq.length; s++) {
      if (freq[s] > 0) {
        keys[k++] = (long) freq[s] << 9 | s;
      }
    }
    Arrays.sort(keys);
    int[] boxed = new int[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = (int) (keys[i] & 511);
    }
    // nodes 0..n-1 are leaves (in sorted order), n.. are merged nodes
    long[] weight = new long[2 * n];
    int[] parent = new int[2 * n];
    for (int i = 0; i < n; i++) {
      weight[i] = freq[boxed[i]];
    }
    int leafNext = 0;
    int mergedNext = n;
    int mergedEnd = n;
    while (mergedEnd - n < n - 1) {
      int a = takeSmallest(weight, leafNext, n, mergedNext, mergedEnd);
      if (a < n) {
        leafNext++;
      } else {
        mergedNext++;
      }
      int b = takeSmallest(weight, leafNext, n, mergedNext, mergedEnd);
      if (b < n) {
        leafNext++;
      } else {
        mergedNext++;
      }
      weight[mergedEnd] = weight[a] + weight[b];
      parent[a] = mergedEnd;
      parent[b] = mergedEnd;
      mergedEnd++;
    }
    int[] depth = new int[2 * n];
    int root = mergedEnd - 1;
    for (int i = root - 1; i >= 0; i--) {
      depth[i] = depth[parent[i]] + 1;
    }
    int[] lengths = new int[freq.length];
    for (int i = 0; i < n; i++) {
      lengths[boxed[i]] = n == 1 ? 1 : depth[i];
    }
    return lengths;
  }

  private static int takeSmallest(
      long[] weight, int leafNext, int leafEnd, int mergedNext, int mergedEnd) {
    if (leafNext < leafEnd && (mergedNext >= mergedEnd || weight[leafNext] <= weight[mergedNext])) {
      return leafNext;
    }
    return mergedNext;
  }

  /**
   * The canonical codes of RFC 1951 3.2.2 for {@code lengths}, bit-reversed so they can be written
   * least significant bit first.
   */
  static int[] canonicalCodes(int[] lengths) {
    int[] count = new int[16];
    for (int len : lengths) {
      count[len]++;
    }
    count[0] = 0;
    int[] next = new int[16];
    int code = 0;
    for (int bits = 1; bits < 16; bits++) {
      code = (code + count[bits - 1]) << 1;
      next[bits] = code;
    }
    int[] codes = new int[lengths.length];
    for (int s = 0; s < lengths.length; s++) {
      int len = lengths[s];
      if (len != 0) {
        codes[s] = Integer.reverse(next[len]++) >>> (32 - len);
      }
    }
    return codes;
  }

  /** The header of a dynamic block: the code lengths, run-length encoded (RFC 1951 3.2.7). */
  private record DynamicHeader(
      int literalCount,
      int distanceCount,
      int codeLengthCount,
      int[] codeLengthLengths,
      int[] codeLengthCodes,
      int[] runSymbols,
      int[] runExtra,
      int runCount) {

    static DynamicHeader of(int[] literalLengths, int[] distanceLengths) {
      int literalCount = 286;
      while (literalCount > 257 && literalLengths[literalCount - 1] == 0) {
        literalCount--;
      }
      int distanceCount = 30;
      while (distanceCount > 1 && distanceLengths[distanceCount - 1] == 0) {
        distanceCount--;
      }
      int[] all = new int[literalCount + distanceCount];
      System.arraycopy(literalLengths, 0, all, 0, literalCount);
      System.arraycopy(distanceLengths, 0, all, literalCount, distanceCount);
      int[] symbols = new int[all.length];
      int[] extra = new int[all.length];
      int runs = 0;
      int i = 0;
      while (i < all.length) {
        int len = all[i];
        int run = 1;
        while (i + run < all.length && all[i + run] == len) {
          run++;
        }
        int left = run;
        if (len == 0) {
          while (left >= 11) {
            int n = Math.min(left, 138);
            symbols[runs] = 18;
            extra[runs++] = n - 11;
            left -= n;
          }
          if (left >= 3) {
            symbols[runs] = 17;
            extra[runs++] = left - 3;
            left = 0;
          }
        } else {
          symbols[runs] = len;
          extra[runs++] = 0;
          left--;
          while (left >= 3) {
            int n = Math.min(left, 6);
            symbols[runs] = 16;
            extra[runs++] = n - 3;
            left -= n;
          }
        }
        while (left > 0) {
          symbols[runs] = len;
          extra[runs++] = 0;
          left--;
        }
        i += run;
      }
      int[] freq = new int[19];
      for (int r = 0; r < runs; r++) {
        freq[symbols[r]]++;
      }
      int[] lengths = limitedLengths(freq, 7);
      int count = 19;
      while (count > 4 && lengths[CODE_LENGTH_ORDER[count - 1]] == 0) {
        count--;
      }
      return new DynamicHeader(
          literalCount,
          distanceCount,
          count,
          lengths,
          canonicalCodes(lengths),
          symbols,
          extra,
          runs);
    }

    long bits() {
      long bits = 5 + 5 + 4 + 3L * codeLengthCount;
      for (int r = 0; r < runCount; r++) {
        int s = runSymbols[r];
        bits += codeLengthLengths[s] + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0);
      }
      return bits;
    }

    void write(BitWriter out) {
      out.bits(literalCount - 257, 5);
      out.bits(distanceCount - 1, 5);
      out.bits(codeLengthCount - 4, 4);
      for (int i = 0; i < codeLengthCount; i++) {
        out.bits(codeLengthLengths[CODE_LENGTH_ORDER[i]], 3);
      }
      for (int r = 0; r < runCount; r++) {
        int s = runSymbols[r];
        out.bits(codeLengthCodes[s], codeLengthLengths[s]);
        if (s == 16) {
          out.bits(runExtra[r], 2);
        } else if (s == 17) {
          out.bits(runExtra[r], 3);
        } else if (s == 18) {
          out.bits(runExtra[r], 7);
        }
      }
    }
  }

  /** Bits packed least significant first into a growing byte array. */
  private static final class BitWriter {
    private final Scratch scratch;
    private byte[] buffer;
    private int size;
    private long bitBuffer;
    private int bitCount;

    /** Writes into the scratch's output array, grown to at least {@code capacity} if smaller. */
    BitWriter(Scratch scratch, int capacity) {
      this.scratch = scratch;
      if (scratch.output.length < capacity) {
        scratch.output = new byte[capacity];
      }
      buffer = scratch.output;
    }

    /** Appends the low {@code count} (at most 16) bits of {@code value}. */
    void bits(int value, int count) {
      bitBuffer |= (long) (value & ((1 << count) - 1)) << bitCount;
      bitCount += count;
      if (bitCount >= 32) {
        // four whole bytes at a time: the same bytes as one at a time, fewer steps
        if (size + 4 > buffer.length) {
          ensure(4);
        }
        buffer[size] = (byte) bitBuffer;
        buffer[size + 1] = (byte) (bitBuffer >>> 8);
        buffer[size + 2] = (byte) (bitBuffer >>> 16);
        buffer[size + 3] = (byte) (bitBuffer >>> 24);
        size += 4;
        bitBuffer >>>= 32;
        bitCount -= 32;
      }
    }

    void alignToByte() {
      while (bitCount > 0) {
        put((byte) bitBuffer);
        bitBuffer >>>= 8;
        bitCount -= 8;
      }
      bitBuffer = 0;
      bitCount = 0;
    }

    void bytes(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buffer, size, len);
      size += len;
    }

    private void put(byte b) {
      ensure(1);
      buffer[size++] = b;
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        scratch.output = buffer;
      }
    }

    byte[] finish() {
      alignToByte();
      return Arrays.copyOf(buffer, size);
    }
  }
}
