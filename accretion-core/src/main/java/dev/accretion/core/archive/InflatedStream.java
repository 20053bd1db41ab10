package dev.accretion.core.archive;

import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * A gzip stream (RFC 1952, one member or several) inflated in pure Java, on demand, keeping both
 * everything it inflated and the LZ77 matches its DEFLATE blocks used (RFC 1951). A file cut out of
 * the inflated stream can then be deflated again from those matches ({@link #slice}, {@link
 * DeterministicDeflater#deflate(Lz77Slice)}) without searching for matches anew, which is most of
 * what deflating costs: an npm tarball's entries are recompressed that way into a layer's zip.
 *
 * <p>Everything the JDK's {@code GZIPInputStream} refuses is refused here with a {@link
 * ZipException}: a bad header, reserved flags, an invalid or over-subscribed Huffman code, a
 * distance reaching before the member's start, a truncated stream, a CRC-32 or length mismatch in a
 * member's trailer. Bytes after the last member that do not start another member are ignored, as
 * there. Inflating more than the cap given at creation throws {@link TooLarge}.
 *
 * <p>Not thread-safe while inflating; the arrays behind a slice taken after {@link #finish} are
 * never changed again.
 */
public final class InflatedStream {
  /** The stream inflates to more bytes than its cap. */
  public static final class TooLarge extends ZipException {
    private static final long serialVersionUID = 1L;
    private final long cap;

    TooLarge(long cap) {
      super("inflates to more than " + cap + " bytes");
      this.cap = cap;
    }

    /** The cap that was exceeded. */
    public long cap() {
      return cap;
    }
  }

  private static final int PRIMARY_BITS = 10;
  private static final int PRIMARY_MASK = (1 << PRIMARY_BITS) - 1;
  private static final int SUBTABLE = 16;

  // RFC 1951's tables, shared with the encoder
  private static final int[] LENGTH_BASE = DeterministicDeflater.LENGTH_BASE;
  private static final int[] LENGTH_EXTRA = DeterministicDeflater.LENGTH_EXTRA;
  private static final int[] DISTANCE_BASE = DeterministicDeflater.DISTANCE_BASE;
  private static final int[] DISTANCE_EXTRA = DeterministicDeflater.DISTANCE_EXTRA;
  private static final int[] CODE_LENGTH_ORDER = DeterministicDeflater.CODE_LENGTH_ORDER;
  private static final int[] FIXED_LITERALS;
  private static final int[] FIXED_DISTANCES;

  static {
    int[] lit = new int[288];
    for (int i = 0; i < 288; i++) {
      lit[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    }
    int[] dist = new int[32];
    Arrays.fill(dist, 5);
    try {
      FIXED_LITERALS = table(lit, 288);
      FIXED_DISTANCES = table(dist, 32);
    } catch (ZipException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private enum State {
    BLOCK_HEADER,
    STORED,
    HUFFMAN,
    MEMBER_END,
    DONE
  }

  private final byte[] in;
  private int inPos;
  private final long cap;

  private long bitBuffer;
  private int bitCount;
  // zero bytes put in the bit buffer past the end of the input; consuming one means truncation
  private int overrun;

  private byte[] out;
  private int size;
  private int[] matchPositions;
  private int[] matchLengthDistance;
  private int matches;

  private State state;
  private boolean lastBlock;
  private int storedLeft;
  private int memberStart;
  private int[] literalTable;
  private int[] distanceTable;

  private int readPosition;

  private InflatedStream(byte[] in, long cap) {
    this.in = in;
    this.cap = Math.min(cap, Integer.MAX_VALUE - 64);
    long hint = 1 << 16;
    if (in.length >= 4) {
      // the last member's ISIZE, a size hint only (a hostile one is bounded below)
      int n = in.length;
      hint =
          (in[n - 4] & 0xffL)
              | (in[n - 3] & 0xffL) << 8
              | (in[n - 2] & 0xffL) << 16
              | (in[n - 1] & 0xffL) << 24;
    }
    long bound = Math.min(this.cap, (long) in.length * 32 + (1 << 16));
    this.out = new byte[(int) Math.min(this.cap, Math.max(1 << 12, Math.min(hint, bound)))];
    // npm tarballs hold 0.24 matches per compressed byte on average, 0.35 at most (the 224 of
    // bench/node-set): room for nearly every stream's matches without growing
    int matchHint = (int) Math.max(1024, Math.min(1 << 20, in.length / 3L));
    this.matchPositions = new int[matchHint];
    this.matchLengthDistance = new int[matchHint];
  }

  /**
   * Starts inflating {@code gzip} (at least its header is read now).
   *
   * @param cap at most this many bytes may come out
   * @throws ZipException when {@code gzip} does not start with a valid gzip header
   */
  public static InflatedStream gzip(byte[] gzip, long cap) throws ZipException {
    InflatedStream s = new InflatedStream(gzip, cap);
    s.memberHeader();
    return s;
  }

  /** Whether {@code bytes} start like a gzip stream (its two magic bytes). */
  public static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  /**
   * The inflated bytes, read from the start; each read inflates only as far as it needs. Its reads
   * throw {@link ZipException} on a damaged stream.
   */
  public InputStream stream() {
    return new InputStream() {
      @Override
      public int read() throws ZipException {
        inflateUntil(readPosition + 1L);
        return readPosition < size ? out[readPosition++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws ZipException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return 0;
        }
        inflateUntil((long) readPosition + len);
        int n = Math.min(len, size - readPosition);
        if (n <= 0) {
          return -1;
        }
        System.arraycopy(out, readPosition, b, off, n);
        readPosition += n;
        return n;
      }

      @Override
      public long skip(long n) throws ZipException {
        if (n <= 0) {
          return 0;
        }
        inflateUntil(readPosition + n);
        int k = (int) Math.min(n, size - readPosition);
        readPosition += k;
        return k;
      }
    };
  }

  /** How far {@link #stream()} has been read: the offset of its next byte. */
  public int position() {
    return readPosition;
  }

  /**
   * Inflates the rest of the stream and checks every member's trailer.
   *
   * @return the total number of inflated bytes
   */
  public int finish() throws ZipException {
    inflateUntil(Long.MAX_VALUE);
    return size;
  }

  /**
   * The bytes {@code [offset, offset + length)} of the finished stream with the matches that
   * produced them.
   *
   * @throws IllegalStateException before {@link #finish}
   */
  public Lz77Slice slice(int offset, int length) {
    if (state != State.DONE) {
      throw new IllegalStateException("the stream is not finished");
    }
    java.util.Objects.checkFromIndexSize(offset, length, size);
    return new Lz77Slice(out, offset, length, matchPositions, matchLengthDistance, matches);
  }

  /** How many matches were recorded so far (for tests). */
  int matchCount() {
    return matches;
  }

  // --- inflating ---------------------------------------------------------------------------------

  private void inflateUntil(long target) throws ZipException {
    while (size < target) {
      switch (state) {
        case BLOCK_HEADER -> blockHeader();
        case STORED -> stored(target);
        case HUFFMAN -> huffman(target);
        case MEMBER_END -> memberEnd();
        case DONE -> {
          return;
        }
      }
    }
  }

  private void memberHeader() throws ZipException {
    int p = inPos;
    if (in.length - p < 10) {
      throw new ZipException("not in gzip format (too short for a header)");
    }
    if ((in[p] & 0xff) != 0x1f || (in[p + 1] & 0xff) != 0x8b) {
      throw new ZipException("not in gzip format");
    }
    if (in[p + 2] != 8) {
      throw new ZipException("unsupported compression method " + (in[p + 2] & 0xff));
    }
    int flags = in[p + 3] & 0xff;
    if ((flags & 0xe0) != 0) {
      throw new ZipException("gzip header with reserved flags set");
    }
    p += 10;
    if ((flags & 4) != 0) { // FEXTRA
      if (in.length - p < 2) {
        throw new ZipException("truncated gzip header");
      }
      int xlen = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8;
      p += 2 + xlen;
    }
    if ((flags & 8) != 0) { // FNAME
      p = afterZero(p);
    }
    if ((flags & 16) != 0) { // FCOMMENT
      p = afterZero(p);
    }
    if ((flags & 2) != 0) { // FHCRC
      p += 2;
    }
    if (p > in.length) {
      throw new ZipException("truncated gzip header");
    }
    inPos = p;
    bitBuffer = 0;
    bitCount = 0;
    overrun = 0;
    memberStart = size;
    state = State.BLOCK_HEADER;
  }

  private int afterZero(int p) throws ZipException {
    while (p < in.length && in[p] != 0) {
      p++;
    }
    if (p >= in.length) {
      throw new ZipException("truncated gzip header");
    }
    return p + 1;
  }

  private void memberEnd() throws ZipException {
    alignToByte();
    if (in.length - inPos < 8) {
      throw new ZipException("unexpected end of gzip stream (no trailer)");
    }
    long crc = readIntLe(inPos);
    long length = readIntLe(inPos + 4);
    inPos += 8;
    CRC32 check = new CRC32();
    check.update(out, memberStart, size - memberStart);
    if (check.getValue() != crc) {
      throw new ZipException("gzip CRC-32 mismatch (a damaged stream)");
    }
    if (((size - memberStart) & 0xffffffffL) != length) {
      throw new ZipException("gzip length mismatch (a damaged stream)");
    }
    if (in.length - inPos >= 2 && (in[inPos] & 0xff) == 0x1f && (in[inPos + 1] & 0xff) == 0x8b) {
      memberHeader();
    } else {
      state = State.DONE;
    }
  }

  private long readIntLe(int p) {
    return (in[p] & 0xffL)
        | (in[p + 1] & 0xffL) << 8
        | (in[p + 2] & 0xffL) << 16
        | (in[p + 3] & 0xffL) << 24;
  }

  private void refill() {
    while (bitCount <= 56) {
      if (inPos < in.length) {
        bitBuffer |= (in[inPos++] & 0xffL) << bitCount;
      } else {
        overrun++;
      }
      bitCount += 8;
    }
  }

  private int bits(int n) throws ZipException {
    if (bitCount < n) {
      refill();
    }
    int v = (int) (bitBuffer & ((1L << n) - 1));
    bitBuffer >>>= n;
    bitCount -= n;
    checkOverrun();
    return v;
  }

  private void checkOverrun() throws ZipException {
    if (overrun != 0 && bitCount < overrun << 3) {
      throw new ZipException("unexpected end of gzip stream (truncated)");
    }
  }

  /** Drops the bits up to the next byte and gives the whole bytes still buffered back. */
  private void alignToByte() throws ZipException {
    int drop = bitCount & 7;
    bitBuffer >>>= drop;
    bitCount -= drop;
    int buffered = (bitCount >>> 3) - overrun;
    if (buffered < 0) {
      throw new ZipException("unexpected end of gzip stream (truncated)");
    }
    inPos -= buffered;
    bitBuffer = 0;
    bitCount = 0;
    overrun = 0;
  }

  private void blockHeader() throws ZipException {
    lastBlock = bits(1) == 1;
    int type = bits(2);
    switch (type) {
      case 0 -> {
        alignToByte();
        if (in.length - inPos < 4) {
          throw new ZipException("unexpected end of gzip stream (truncated)");
        }
        int len = (in[inPos] & 0xff) | (in[inPos + 1] & 0xff) << 8;
        int nlen = (in[inPos + 2] & 0xff) | (in[inPos + 3] & 0xff) << 8;
        if (len != (~nlen & 0xffff)) {
          throw new ZipException("invalid stored block lengths");
        }
        inPos += 4;
        storedLeft = len;
        state = State.STORED;
      }
      case 1 -> {
        literalTable = FIXED_LITERALS;
        distanceTable = FIXED_DISTANCES;
        state = State.HUFFMAN;
      }
      case 2 -> {
        dynamicTables();
        state = State.HUFFMAN;
      }
      default -> throw new ZipException("invalid block type");
    }
  }

  private void stored(long target) throws ZipException {
    while (storedLeft > 0 && size < target) {
      int n = (int) Math.min(storedLeft, Math.min(target - size, 1 << 16));
      if (in.length - inPos < n) {
        throw new ZipException("unexpected end of gzip stream (truncated)");
      }
      ensure(n);
      System.arraycopy(in, inPos, out, size, n);
      inPos += n;
      size += n;
      storedLeft -= n;
    }
    if (storedLeft == 0) {
      state = lastBlock ? State.MEMBER_END : State.BLOCK_HEADER;
    }
  }

  private void dynamicTables() throws ZipException {
    int literals = bits(5) + 257;
    int distances = bits(5) + 1;
    int codeLengths = bits(4) + 4;
    if (literals > 286 || distances > 30) {
      throw new ZipException("too many length or distance symbols");
    }
    int[] clens = new int[19];
    for (int i = 0; i < codeLengths; i++) {
      clens[CODE_LENGTH_ORDER[i]] = bits(3);
    }
    int[] clTable = table(clens, 19);
    int[] lengths = new int[literals + distances];
    int i = 0;
    while (i < lengths.length) {
      int sym = decode(clTable);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      int repeat;
      int value = 0;
      if (sym == 16) {
        if (i == 0) {
          throw new ZipException("invalid bit length repeat");
        }
        value = lengths[i - 1];
        repeat = 3 + bits(2);
      } else if (sym == 17) {
        repeat = 3 + bits(3);
      } else {
        repeat = 11 + bits(7);
      }
      if (i + repeat > lengths.length) {
        throw new ZipException("invalid bit length repeat");
      }
      Arrays.fill(lengths, i, i + repeat, value);
      i += repeat;
    }
    if (lengths[256] == 0) {
      throw new ZipException("invalid code -- missing end-of-block");
    }
    literalTable = table(Arrays.copyOf(lengths, literals), literals);
    distanceTable = table(Arrays.copyOfRange(lengths, literals, lengths.length), distances);
  }

  private int decode(int[] table) throws ZipException {
    if (bitCount < 15) {
      refill();
    }
    int symbol = takeSymbol(table);
    checkOverrun();
    return symbol;
  }

  /** The next symbol of {@code table}'s code; the bit buffer must hold at least 15 bits. */
  private int takeSymbol(int[] table) throws ZipException {
    int e = table[(int) bitBuffer & PRIMARY_MASK];
    if ((e & SUBTABLE) != 0) {
      e = table[(e >>> 8) + ((int) (bitBuffer >>> PRIMARY_BITS) & ((1 << (e & 15)) - 1))];
    }
    int len = e & 15;
    if (len == 0) {
      throw new ZipException("invalid code");
    }
    bitBuffer >>>= len;
    bitCount -= len;
    return e >>> 8;
  }

  private void huffman(long target) throws ZipException {
    final int[] lit = literalTable;
    final int[] dist = distanceTable;
    while (size < target) {
      if (bitCount < 48) {
        refill();
      }
      int sym = takeSymbol(lit);
      if (sym < 256) {
        if (overrun != 0) {
          checkOverrun();
        }
        if (size == out.length) {
          ensure(1);
        }
        out[size++] = (byte) sym;
        continue;
      }
      if (sym == 256) {
        checkOverrun();
        state = lastBlock ? State.MEMBER_END : State.BLOCK_HEADER;
        return;
      }
      int lc = sym - 257;
      if (lc >= 29) {
        throw new ZipException("invalid literal/length code");
      }
      int extra = LENGTH_EXTRA[lc];
      int length = LENGTH_BASE[lc] + (int) (bitBuffer & ((1L << extra) - 1));
      bitBuffer >>>= extra;
      bitCount -= extra;
      int dc = takeSymbol(dist);
      if (dc >= 30) {
        throw new ZipException("invalid distance code");
      }
      int dextra = DISTANCE_EXTRA[dc];
      int distance = DISTANCE_BASE[dc] + (int) (bitBuffer & ((1L << dextra) - 1));
      bitBuffer >>>= dextra;
      bitCount -= dextra;
      if (overrun != 0) {
        checkOverrun();
      }
      if (distance > size - memberStart) {
        throw new ZipException("invalid distance too far back");
      }
      if (size + length > out.length) {
        ensure(length);
      }
      int from = size - distance;
      if (distance >= length) {
        System.arraycopy(out, from, out, size, length);
      } else {
        for (int k = 0; k < length; k++) {
          out[size + k] = out[from + k];
        }
      }
      if (matches == matchPositions.length) {
        matchPositions = Arrays.copyOf(matchPositions, matches * 2);
        matchLengthDistance = Arrays.copyOf(matchLengthDistance, matches * 2);
      }
      matchPositions[matches] = size;
      matchLengthDistance[matches] = length << 16 | distance;
      matches++;
      size += length;
    }
  }

  private void ensure(int more) throws ZipException {
    long need = (long) size + more;
    if (need > cap) {
      throw new TooLarge(cap);
    }
    if (need > out.length) {
      long grown = Math.max(need, Math.min(cap, (long) out.length * 2));
      out = Arrays.copyOf(out, (int) grown);
    }
  }

  /**
   * A decoding table for the canonical Huffman code of {@code lengths[0, n)}: {@code 1 <<
   * PRIMARY_BITS} entries indexed by the next bits, then the subtables of longer codes. An entry is
   * {@code symbol << 8 | length}, or for a subtable {@code start << 8 | SUBTABLE | subtableBits};
   * an entry left 0 is a code the lengths do not assign (an incomplete code).
   */
  private static int[] table(int[] lengths, int n) throws ZipException {
    int[] count = new int[16];
    for (int s = 0; s < n; s++) {
      count[lengths[s]]++;
    }
    count[0] = 0;
    int left = 1;
    for (int len = 1; len < 16; len++) {
      left = (left << 1) - count[len];
      if (left < 0) {
        throw new ZipException("invalid code lengths (over-subscribed)");
      }
    }
    int[] next = new int[16];
    int code = 0;
    for (int len = 1; len < 16; len++) {
      code = (code + count[len - 1]) << 1;
      next[len] = code;
    }
    int[] reversed = new int[n];
    int[] subBits = new int[1 << PRIMARY_BITS];
    int total = 1 << PRIMARY_BITS;
    for (int s = 0; s < n; s++) {
      int len = lengths[s];
      if (len != 0) {
        reversed[s] = Integer.reverse(next[len]++) >>> (32 - len);
        if (len > PRIMARY_BITS) {
          int p = reversed[s] & PRIMARY_MASK;
          subBits[p] = Math.max(subBits[p], len - PRIMARY_BITS);
        }
      }
    }
    for (int p = 0; p < subBits.length; p++) {
      if (subBits[p] != 0) {
        total += 1 << subBits[p];
      }
    }
    int[] table = new int[total];
    int start = 1 << PRIMARY_BITS;
    for (int p = 0; p < subBits.length; p++) {
      if (subBits[p] != 0) {
        table[p] = start << 8 | SUBTABLE | subBits[p];
        start += 1 << subBits[p];
      }
    }
    for (int s = 0; s < n; s++) {
      int len = lengths[s];
      if (len == 0) {
        continue;
      }
      int entry = s << 8 | len;
      if (len <= PRIMARY_BITS) {
        for (int i = reversed[s]; i < 1 << PRIMARY_BITS; i += 1 << len) {
          table[i] = entry;
        }
      } else {
        int sub = table[reversed[s] & PRIMARY_MASK];
        int base = sub >>> 8;
        int sb = sub & 15;
        int step = 1 << (len - PRIMARY_BITS);
        for (int i = reversed[s] >>> PRIMARY_BITS; i < 1 << sb; i += step) {
          table[base + i] = entry;
        }
      }
    }
    return table;
  }
}
