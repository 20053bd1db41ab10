package dev.accretion.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class InflatedStreamTest {

  /** A gzip member of {@code raw} deflated by the JDK's zlib at {@code level} and strategy. */
  static byte[] zlibGzip(byte[] data, int level, int strategy) throws IOException {
    Deflater d = new Deflater(level, true);
    d.setStrategy(strategy);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(raw, d)) {
      out.write(data);
    }
    d.end();
    return member(raw.toByteArray(), data);
  }

  /** A gzip member around a raw DEFLATE stream of {@code data}. */
  static byte[] member(byte[] rawDeflate, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
    out.writeBytes(rawDeflate);
    CRC32 crc = new CRC32();
    crc.update(data);
    writeIntLe(out, crc.getValue());
    writeIntLe(out, data.length);
    return out.toByteArray();
  }

  private static void writeIntLe(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  static byte[] readAll(InflatedStream s, int chunk) throws IOException {
    InputStream in = s.stream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[chunk];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Test
  void inflates_whatZlibDeflatedAtEveryLevelAndStrategy_inAnyChunkSize() throws Exception {
    int[][] settings = {
      {0, Deflater.DEFAULT_STRATEGY},
      {1, Deflater.DEFAULT_STRATEGY},
      {6, Deflater.DEFAULT_STRATEGY},
      {9, Deflater.DEFAULT_STRATEGY},
      {6, Deflater.FILTERED},
      {6, Deflater.HUFFMAN_ONLY},
    };
    for (Map.Entry<String, byte[]> e : DeterministicDeflaterTest.corpus().entrySet()) {
      for (int[] s : settings) {
        byte[] gz = zlibGzip(e.getValue(), s[0], s[1]);
        for (int chunk : new int[] {1 << 16, 7, 512}) {
          if (chunk == 7 && e.getValue().length > 100_000) {
            continue;
          }
          InflatedStream in = InflatedStream.gzip(gz, Long.MAX_VALUE);
          assertThat(readAll(in, chunk))
              .as("%s, level %d strategy %d, chunks of %d", e.getKey(), s[0], s[1], chunk)
              .isEqualTo(e.getValue());
          assertThat(in.finish()).isEqualTo(e.getValue().length);
        }
      }
    }
  }

  @Test
  void inflates_fixedHuffmanAndStoredBlocksOfTheDeterministicEncoder() throws Exception {
    for (byte[] data : DeterministicDeflaterTest.corpus().values()) {
      byte[] gz = member(DeterministicDeflater.deflate(data), data);
      InflatedStream in = InflatedStream.gzip(gz, Long.MAX_VALUE);
      in.finish();
      assertThat(readAll(in, 4096)).isEqualTo(data);
    }
  }

  @Test
  void inflates_concatenatedMembers_andIgnoresTrailingBytesThatStartNoMember() throws Exception {
    byte[] a = "first member ".repeat(1000).getBytes();
    byte[] b = "second member ".repeat(1000).getBytes();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.writeBytes(zlibGzip(a, 6, Deflater.DEFAULT_STRATEGY));
    gz.writeBytes(zlibGzip(b, 6, Deflater.DEFAULT_STRATEGY));
    gz.writeBytes(new byte[] {0, 0, 0, 0});
    InflatedStream in = InflatedStream.gzip(gz.toByteArray(), Long.MAX_VALUE);
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertThat(readAll(in, 1000)).isEqualTo(both);
    assertThat(in.finish()).isEqualTo(both.length);
  }

  @Test
  void refuses_aMatchReachingBeforeItsMembersStart() throws Exception {
    byte[] dictionary = "a dictionary the second member's matches reach into".getBytes();
    byte[] second = "the second member's matches reach into a dictionary".getBytes();
    Deflater d = new Deflater(9, true);
    d.setDictionary(dictionary);
    d.setInput(second);
    d.finish();
    byte[] buf = new byte[1024];
    int n = d.deflate(buf);
    d.end();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.writeBytes(zlibGzip(dictionary, 6, Deflater.DEFAULT_STRATEGY));
    gz.writeBytes(member(Arrays.copyOf(buf, n), second));
    InflatedStream in = InflatedStream.gzip(gz.toByteArray(), Long.MAX_VALUE);
    assertThatThrownBy(in::finish)
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("too far back");
  }

  @Test
  void refuses_truncationBadChecksumsBadHeadersAndTooMuchOutput() throws Exception {
    byte[] data = DeterministicDeflaterTest.corpus().get("text");
    byte[] gz = zlibGzip(data, 6, Deflater.DEFAULT_STRATEGY);
    for (int cut : new int[] {gz.length - 1, gz.length - 8, gz.length / 2, 40, 11}) {
      InflatedStream in = InflatedStream.gzip(Arrays.copyOf(gz, cut), Long.MAX_VALUE);
      assertThatThrownBy(in::finish).as("cut at %d", cut).isInstanceOf(ZipException.class);
    }
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 6] ^= 1;
    assertThatThrownBy(() -> InflatedStream.gzip(badCrc, Long.MAX_VALUE).finish())
        .hasMessageContaining("CRC-32");
    byte[] badLength = gz.clone();
    badLength[gz.length - 2] ^= 1;
    assertThatThrownBy(() -> InflatedStream.gzip(badLength, Long.MAX_VALUE).finish())
        .hasMessageContaining("length");
    byte[] notGzip = gz.clone();
    notGzip[1] = 0;
    assertThatThrownBy(() -> InflatedStream.gzip(notGzip, Long.MAX_VALUE))
        .hasMessageContaining("not in gzip format");
    byte[] reserved = gz.clone();
    reserved[3] = (byte) 0x80;
    assertThatThrownBy(() -> InflatedStream.gzip(reserved, Long.MAX_VALUE))
        .hasMessageContaining("reserved");
    // a bomb: 1 MiB of zeros in about a kilobyte, against a cap of 64 KiB
    byte[] bomb = zlibGzip(new byte[1 << 20], 9, Deflater.DEFAULT_STRATEGY);
    InflatedStream capped = InflatedStream.gzip(bomb, 1 << 16);
    assertThatThrownBy(capped::finish)
        .isInstanceOf(InflatedStream.TooLarge.class)
        .hasMessageContaining("65536");
    // reading up to the cap (less a longest match, which may not cross it) is fine
    assertThat(capped.stream().readNBytes((1 << 16) - 258)).hasSize((1 << 16) - 258);
  }

  @Test
  void agreesWithTheJdk_onRandomlyDamagedStreams() throws Exception {
    byte[] data = DeterministicDeflaterTest.corpus().get("mixed");
    byte[] gz = zlibGzip(Arrays.copyOf(data, 60_000), 6, Deflater.DEFAULT_STRATEGY);
    byte[] original = Arrays.copyOf(data, 60_000);
    Random r = new Random(99);
    int jdkAccepted = 0;
    for (int i = 0; i < 600; i++) {
      byte[] damaged = gz.clone();
      int at = 10 + r.nextInt(gz.length - 10);
      damaged[at] ^= (byte) (1 << r.nextInt(8));
      byte[] jdk;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(damaged))) {
        jdk = in.readAllBytes();
      } catch (IOException e) {
        jdk = null;
      }
      byte[] ours;
      try {
        InflatedStream s = InflatedStream.gzip(damaged, 1 << 20);
        s.finish();
        ours = readAll(s, 1 << 16);
      } catch (ZipException e) {
        ours = null;
      }
      if (jdk != null) {
        jdkAccepted++;
        assertThat(ours).as("damage at %d the JDK accepts", at).isEqualTo(jdk);
      }
      if (ours != null) {
        assertThat(ours).as("damage at %d we accept", at).isEqualTo(original);
      }
    }
    assertThat(jdkAccepted).as("some damage hits only the trailing bytes' slack").isLessThan(600);
  }

  @Test
  void slices_deflateAgainFromTheStreamsMatches_toTheirOwnBytes() throws Exception {
    byte[] data = DeterministicDeflaterTest.corpus().get("mixed");
    byte[] text = DeterministicDeflaterTest.corpus().get("text");
    for (byte[] input : new byte[][] {data, text}) {
      byte[] gz = zlibGzip(input, 9, Deflater.DEFAULT_STRATEGY);
      InflatedStream s = InflatedStream.gzip(gz, Long.MAX_VALUE);
      s.finish();
      assertThat(s.matchCount()).isGreaterThan(500);
      Random r = new Random(5);
      for (int i = 0; i < 200; i++) {
        int off = r.nextInt(input.length);
        int len = r.nextInt(Math.min(input.length - off, i % 3 == 0 ? 100 : 80_000) + 1);
        Lz77Slice slice = s.slice(off, len);
        byte[] want = Arrays.copyOfRange(input, off, off + len);
        assertThat(slice.holds(want)).isTrue();
        byte[] deflated = DeterministicDeflater.deflate(slice);
        assertThat(DeterministicDeflaterTest.inflate(deflated, len))
            .as("slice [%d, +%d)", off, len)
            .isEqualTo(want);
      }
      // the whole stream costs about what zlib -9 made of it and never more than searching does
      int whole = DeterministicDeflater.deflate(s.slice(0, input.length)).length;
      assertThat(whole).isLessThanOrEqualTo((int) (gz.length * 1.02));
    }
  }

  @Test
  void slices_whoseStreamMatchesReachBeforeThem_searchThemselvesInstead() throws Exception {
    // the second copy of a file is one long run of matches into the first in the stream; cut
    // out alone, it must still compress as well as the searching encoder compresses it
    byte[] file = DeterministicDeflaterTest.corpus().get("text");
    file = Arrays.copyOf(file, 20_000);
    byte[] twice = Arrays.copyOf(file, 2 * file.length);
    System.arraycopy(file, 0, twice, file.length, file.length);
    InflatedStream s = InflatedStream.gzip(zlibGzip(twice, 9, Deflater.DEFAULT_STRATEGY), 1 << 20);
    s.finish();
    byte[] fromMatches = DeterministicDeflater.deflate(s.slice(file.length, file.length));
    byte[] searched = DeterministicDeflater.deflate(file);
    assertThat(DeterministicDeflaterTest.inflate(fromMatches, file.length)).isEqualTo(file);
    assertThat(fromMatches.length).isLessThanOrEqualTo((int) (searched.length * 1.05));
  }

  @Test
  void slices_areByteStable_pinned() throws Exception {
    // a stream made by the deterministic encoder, so the pin does not depend on the zlib build
    byte[] data = DeterministicDeflaterTest.corpus().get("text");
    InflatedStream s =
        InflatedStream.gzip(member(DeterministicDeflater.deflate(data), data), 1 << 20);
    s.finish();
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (int off = 0; off + 40_000 <= data.length; off += 37_000) {
      all.update(DeterministicDeflater.deflate(s.slice(off, 40_000)));
    }
    assertThat(HexFormat.of().formatHex(all.digest())).isEqualTo(PINNED_SLICES_DIGEST);
  }

  /** Changes only with a deliberate change of the slice encoding (say so in the commit). */
  static final String PINNED_SLICES_DIGEST =
      "aef258a74261af649b2135935db999abfe2813698603d5d3bf60791767c88420";
}
