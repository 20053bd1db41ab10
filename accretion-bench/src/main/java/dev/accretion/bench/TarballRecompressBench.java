package dev.accretion.bench;

import dev.accretion.core.archive.DeterministicDeflater;
import dev.accretion.core.archive.InflatedStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * How fast a layer's zip entries can be made from npm tarballs, three ways, over every gzip file
 * under the folders given (a Node.js build's cache blobs): {@code matches} inflates each tarball
 * with {@link InflatedStream} and deflates every file again from the stream's own LZ77 matches
 * (what the nodejs builder does); {@code search} inflates with the JDK and runs Accretion's full
 * deterministic encoder on every file (what it did before); {@code zlib-6} inflates with the JDK
 * and deflates every file with the JDK's zlib at level 6 (what zip tools do). Each way runs once to
 * warm up, then {@code rounds} times; prints MB/s of file bytes and the compressed share. Run by
 * {@code bench/tarball-recompress.sh}.
 */
public final class TarballRecompressBench {
  private TarballRecompressBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    List<byte[]> tarballs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      try (Stream<Path> files = Files.walk(Path.of(args[i]))) {
        for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
          byte[] b = Files.readAllBytes(p);
          if (InflatedStream.isGzip(b)) {
            tarballs.add(b);
          }
        }
      }
    }
    long[] first = run("search", tarballs);
    System.out.printf(
        Locale.ROOT,
        "corpus: %d tarballs, %.1f MB compressed, %d files, %.1f MB of files%n",
        tarballs.size(),
        tarballs.stream().mapToLong(b -> b.length).sum() / 1e6,
        first[2],
        first[0] / 1e6);
    for (String way : List.of("matches", "search", "zlib-6")) {
      run(way, tarballs); // warm-up
      long[] r = null;
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        r = run(way, tarballs);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-8s %7.1f MB/s of files (inflate + deflate every file)   compressed to %5.1f%%%n",
          way,
          r[0] * rounds / 1e6 / seconds,
          r[1] * 100.0 / r[0]);
    }
  }

  /** File bytes, compressed bytes, file count. */
  private static long[] run(String way, List<byte[]> tarballs) throws IOException {
    long in = 0;
    long out = 0;
    long count = 0;
    for (byte[] gz : tarballs) {
      InflatedStream parsed = null;
      byte[] tar;
      if (way.equals("matches")) {
        parsed = InflatedStream.gzip(gz, Integer.MAX_VALUE - 64);
        parsed.finish();
        tar = parsed.stream().readAllBytes();
      } else {
        try (InputStream s = new GZIPInputStream(new ByteArrayInputStream(gz), 1 << 16)) {
          tar = s.readAllBytes();
        }
      }
      int pos = 0;
      while (pos + 512 <= tar.length && tar[pos] != 0) {
        long size = octal(tar, pos + 124, 12);
        int data = pos + 512;
        char type = (char) tar[pos + 156];
        if ((type == '0' || type == 0) && size > 0 && data + size <= tar.length) {
          int n = (int) size;
          in += n;
          count++;
          out +=
              switch (way) {
                case "matches" -> DeterministicDeflater.deflate(parsed.slice(data, n)).length;
                case "search" -> DeterministicDeflater.deflate(tar, data, n).length;
                default -> zlib(Arrays.copyOfRange(tar, data, data + n));
              };
        }
        pos = data + (int) ((size + 511) / 512 * 512);
      }
    }
    return new long[] {in, out, count};
  }

  private static long zlib(byte[] input) {
    Deflater d = new Deflater(6, true);
    d.setInput(input);
    d.finish();
    byte[] buffer = new byte[1 << 16];
    long out = 0;
    while (!d.finished()) {
      out += d.deflate(buffer);
    }
    d.end();
    return out;
  }

  private static long octal(byte[] h, int off, int len) {
    long v = 0;
    for (int i = off; i < off + len; i++) {
      int c = h[i] & 0xff;
      if (c >= '0' && c <= '7') {
        v = v * 8 + (c - '0');
      } else if (v > 0 || c == 0) {
        if (c == 0 || c == ' ') {
          break;
        }
      }
    }
    return v;
  }
}
