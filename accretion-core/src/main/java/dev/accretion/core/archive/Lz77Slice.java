package dev.accretion.core.archive;

import java.util.Objects;

/**
 * A run of bytes cut out of an inflated DEFLATE stream, with the stream's LZ77 matches: what {@link
 * DeterministicDeflater#deflate(Lz77Slice)} needs to deflate the run again without searching for
 * matches. Made by {@link InflatedStream#slice}; the arrays are shared and never changed.
 *
 * @param data the whole inflated stream (at least {@code offset + length} bytes)
 * @param offset where the run starts in {@code data}
 * @param length the run's length
 * @param matchPositions where each match starts in {@code data}, ascending, matches never overlap
 * @param matchLengthDistance each match's {@code length << 16 | distance}
 * @param matchCount how many of the match arrays' entries are used
 */
public record Lz77Slice(
    byte[] data,
    int offset,
    int length,
    int[] matchPositions,
    int[] matchLengthDistance,
    int matchCount) {

  public Lz77Slice {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(matchPositions, "matchPositions");
    Objects.requireNonNull(matchLengthDistance, "matchLengthDistance");
    Objects.checkFromIndexSize(offset, length, data.length);
    if (matchCount < 0
        || matchCount > matchPositions.length
        || matchCount > matchLengthDistance.length) {
      throw new IllegalArgumentException("bad match count " + matchCount);
    }
  }

  /** Whether the run holds exactly {@code bytes}. */
  public boolean holds(byte[] bytes) {
    return bytes.length == length
        && java.util.Arrays.equals(bytes, 0, length, data, offset, offset + length);
  }

  /** The index of the first match that ends after {@code offset}. */
  int firstMatch() {
    int lo = 0;
    int hi = matchCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int end = matchPositions[mid] + (matchLengthDistance[mid] >>> 16);
      if (end <= offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
