package dev.accretion.bench;

import dev.accretion.core.archive.DeterministicDeflater;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Speed and ratio of Accretion's pure-Java deterministic DEFLATE encoder against the JDK's zlib
 * ({@link Deflater}, level 6 as zip tools use, raw), on the files of real wheels: every entry of
 * the wheels given is inflated once into memory, then each encoder compresses every entry, {@code
 * rounds} times after a warm-up round. Prints MB/s of input and the compressed share. Run by {@code
 * bench/deflate.sh}.
 */
public final class DeflateBench {
  private DeflateBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    List<byte[]> inputs = new ArrayList<>();
    long total = 0;
    for (int i = 1; i < args.length; i++) {
      try (ZipArchive wheel = ZipArchive.open(Path.of(args[i]), ZipLimits.unlimited())) {
        for (ZipEntryInfo e : wheel.entries()) {
          if (!e.isDirectory() && e.uncompressedSize() < (64 << 20)) {
            byte[] bytes = wheel.readAllBytes(e, 64 << 20);
            inputs.add(bytes);
            total += bytes.length;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "corpus: %d files, %.1f MB%n", inputs.size(), total / 1e6);
    for (String encoder : List.of("accretion", "zlib-6", "accretion", "zlib-6")) {
      long out = 0;
      run(encoder, inputs); // warm-up
      long start = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        out = run(encoder, inputs);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-10s %7.1f MB/s   compressed to %5.1f%% of the input%n",
          encoder,
          total * rounds / 1e6 / seconds,
          out * 100.0 / total);
    }
  }

  private static long run(String encoder, List<byte[]> inputs) {
    long out = 0;
    byte[] buffer = new byte[1 << 16];
    for (byte[] input : inputs) {
      if (encoder.equals("accretion")) {
        out += DeterministicDeflater.deflate(input).length;
      } else {
        Deflater d = new Deflater(6, true);
        d.setInput(input);
        d.finish();
        while (!d.finished()) {
          out += d.deflate(buffer);
        }
        d.end();
      }
    }
    return out;
  }
}
