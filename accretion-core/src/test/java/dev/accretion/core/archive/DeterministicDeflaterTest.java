package dev.accretion.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicDeflaterTest {
  @TempDir Path temp;

  /** Inputs that reach every path of the encoder: empty, tiny, runs, text, noise, mixtures. */
  static Map<String, byte[]> corpus() {
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("empty", new byte[0]);
    inputs.put("one byte", new byte[] {42});
    inputs.put("two bytes", new byte[] {1, 2});
    inputs.put("zeros 1 MiB", new byte[1 << 20]);
    inputs.put("abc repeated", "abc".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
    StringBuilder text = new StringBuilder();
    Random r = new Random(7);
    String[] words = {"layer", "wheel", "lambda", "the", "of", "python", "zip", "{", "}", "\n"};
    while (text.length() < 300_000) {
      text.append(words[r.nextInt(words.length)]).append(' ');
    }
    inputs.put("text", text.toString().getBytes(StandardCharsets.UTF_8));
    byte[] noise = new byte[200_000];
    new Random(11).nextBytes(noise);
    inputs.put("noise (stored blocks)", noise);
    byte[] mixed = new byte[500_000];
    Random m = new Random(13);
    for (int i = 0; i < mixed.length; i++) {
      // stretches of noise, of runs and of copies at long distances
      int region = (i / 20_000) % 3;
      mixed[i] =
          switch (region) {
            case 0 -> (byte) m.nextInt();
            case 1 -> (byte) (i / 1000);
            default -> mixed[i - 32_000 + (i % 7)];
          };
    }
    inputs.put("mixed", mixed);
    byte[] alphabet = new byte[70_000];
    for (int i = 0; i < alphabet.length; i++) {
      alphabet[i] = (byte) (i % 251);
    }
    inputs.put("all byte values, period 251", alphabet);
    return inputs;
  }

  static byte[] inflate(byte[] deflated, int expected) throws Exception {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
      byte[] buffer = new byte[1 << 16];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0
            && !inflater.finished()
            && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new AssertionError("truncated stream: inflater wants more input");
        }
        out.write(buffer, 0, n);
      }
      assertThat(inflater.getRemaining()).as("no bytes after the final block").isZero();
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  @Test
  void deflate_inflatesBackWithTheJdksZlib() throws Exception {
    for (Map.Entry<String, byte[]> e : corpus().entrySet()) {
      byte[] deflated = DeterministicDeflater.deflate(e.getValue());
      assertThat(inflate(deflated, e.getValue().length)).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void deflate_compressesRepetitiveInputAndBoundsNoise() throws Exception {
    Map<String, byte[]> c = corpus();
    assertThat(DeterministicDeflater.deflate(c.get("zeros 1 MiB")).length).isLessThan(3000);
    assertThat(DeterministicDeflater.deflate(c.get("abc repeated")).length).isLessThan(3000);
    assertThat(DeterministicDeflater.deflate(c.get("text")).length)
        .isLessThan(c.get("text").length / 3);
    byte[] noise = c.get("noise (stored blocks)");
    // stored blocks cost 5 bytes per 64 KiB at most, plus the block boundaries
    assertThat(DeterministicDeflater.deflate(noise).length).isLessThan(noise.length + 100);
    assertThat(DeterministicDeflater.deflate(new byte[0]))
        .as("an empty input is one fixed block holding only end-of-block, as zlib writes it")
        .containsExactly(0x03, 0x00);
  }

  @Test
  void deflate_inflatesBackWithPythonsZlib() throws Exception {
    Python python = Python.of("3.12");
    List<String> names = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, byte[]> e : corpus().entrySet()) {
      Files.write(temp.resolve(i + ".raw"), e.getValue());
      Files.write(temp.resolve(i + ".deflate"), DeterministicDeflater.deflate(e.getValue()));
      names.add(e.getKey());
      i++;
    }
    String out =
        python.script(
            "import sys, zlib, pathlib\n"
                + "d = pathlib.Path('"
                + temp
                + "')\n"
                + "for i in range("
                + names.size()
                + "):\n"
                + "    raw = (d / f'{i}.raw').read_bytes()\n"
                + "    z = zlib.decompressobj(-15)\n"
                + "    got = z.decompress((d / f'{i}.deflate').read_bytes())\n"
                + "    ok = got == raw and z.eof and not z.unused_data\n"
                + "    print(i, 'ok' if ok else 'BAD')\n",
            null);
    for (int k = 0; k < names.size(); k++) {
      assertThat(out).as(names.get(k)).contains(k + " ok");
    }
    assertThat(out).doesNotContain("BAD");
  }

  @Test
  void deflate_isByteStableAcrossRunsAndThreads() throws Exception {
    Map<String, byte[]> c = corpus();
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (byte[] input : c.values()) {
      all.update(DeterministicDeflater.deflate(input));
    }
    String digest = HexFormat.of().formatHex(all.digest());
    // The encoding is frozen: layers built on any machine must have the same bytes. Change this
    // digest only with a deliberate change of the encoder (and say so in the commit).
    assertThat(digest).isEqualTo(PINNED_CORPUS_DIGEST);

    // encoders reuse pooled working arrays: threads in different orders, with an output over the
    // 1 MiB a pooled array keeps, must give each input the bytes it gets alone
    List<byte[]> inputs = new ArrayList<>(c.values());
    byte[] bigNoise = new byte[3 << 19];
    new Random(17).nextBytes(bigNoise);
    inputs.add(bigNoise);
    List<byte[]> alone = new ArrayList<>();
    for (byte[] input : inputs) {
      alone.add(DeterministicDeflater.deflate(input));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int shift = t;
        runs.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < inputs.size(); k++) {
                    int i = (k + shift) % inputs.size();
                    if (!java.util.Arrays.equals(
                        DeterministicDeflater.deflate(inputs.get(i)), alone.get(i))) {
                      return "input " + i + " differs";
                    }
                  }
                  return "same";
                }));
      }
      for (Future<String> f : runs) {
        assertThat(f.get()).isEqualTo("same");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deflate_ofASlice_equalsDeflateOfACopy() throws Exception {
    byte[] text = corpus().get("text");
    byte[] framed = new byte[text.length + 10];
    System.arraycopy(text, 0, framed, 5, text.length);
    assertThat(DeterministicDeflater.deflate(framed, 5, text.length))
        .isEqualTo(DeterministicDeflater.deflate(text));
  }

  @Test
  void distanceCode_tablesAgreeWithTheSearchForEveryDistance() {
    for (int d = 1; d <= 32768; d++) {
      assertThat(DeterministicDeflater.distanceCode(d))
          .as("distance %d", d)
          .isEqualTo(DeterministicDeflater.distanceCodeBySearch(d));
    }
  }

  @Test
  void limitedLengths_keepsEveryCodeWithinItsLimitAndComplete() {
    // Fibonacci counts force the deepest possible Huffman tree
    int[] freq = new int[40];
    int a = 1;
    int b = 1;
    for (int i = 0; i < freq.length; i++) {
      freq[i] = a;
      int next = a + b;
      a = b;
      b = Math.min(next, 1 << 28);
    }
    for (int limit : new int[] {7, 15}) {
      int[] lengths = DeterministicDeflater.limitedLengths(freq, limit);
      double kraft = 0;
      for (int len : lengths) {
        assertThat(len).isBetween(1, limit);
        kraft += Math.pow(2, -len);
      }
      assertThat(kraft).as("a complete code").isEqualTo(1.0);
    }
    int[] single = new int[30];
    single[7] = 5;
    int[] lengths = DeterministicDeflater.limitedLengths(single, 15);
    assertThat(lengths[7]).isEqualTo(1);
    assertThat(java.util.Arrays.stream(lengths).filter(x -> x > 0).count()).isEqualTo(2);
  }

  static final String PINNED_CORPUS_DIGEST =
      "274e0d402325782475025772204a83ad411968514024878f6b38b6c7ca744682";
}
