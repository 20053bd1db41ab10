package dev.accretion.core.archive;

import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfScanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the installer's path without the Python specifics: open every wheel strictly, inflate
 * and hash every entry (ELF scanner tapped in), add raw copies, write the layer. Run it in its own
 * JVM under {@code /usr/bin/time -v} to see peak RSS:
 *
 * <pre>
 * java -cp ... dev.accretion.core.archive.ArchiveBench out.zip threads wheel1.whl wheel2.whl ...
 * </pre>
 */
public final class ArchiveBench {
  private ArchiveBench() {}

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    ZipLimits limits = ZipLimits.lambda();
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    List<ZipArchive> archives = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<int[]>> results = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      ZipArchive archive = ZipArchive.open(Path.of(args[i]), limits);
      archives.add(archive);
      String source = Path.of(args[i]).getFileName().toString().split("-")[0];
      results.add(
          pool.submit(
              () -> {
                int elf = 0;
                for (ZipEntryInfo e : archive.entries()) {
                  if (e.isDirectory()) {
                    continue;
                  }
                  EntryDigest d;
                  if (Boolean.parseBoolean(System.getProperty("bench.elf", "true"))) {
                    ElfScanner scanner = new ElfScanner(archive.file() + "!" + e.path());
                    d = archive.digest(e, scanner);
                    Optional<ElfInfo> info = scanner.finish(() -> archive.open(e));
                    if (info.isPresent()) {
                      elf++;
                    }
                  } else {
                    d = archive.digest(e);
                  }
                  writer.addRaw("python/" + e.path(), archive, e, d.sha256Hex(), source);
                }
                return new int[] {elf};
              }));
    }
    int elf = 0;
    for (Future<int[]> f : results) {
      elf += f.get()[0];
    }
    pool.shutdown();
    long read = System.nanoTime();
    ZipResult result = writer.write(output);
    long end = System.nanoTime();
    for (ZipArchive a : archives) {
      a.close();
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "read+verify %.2fs, write %.2fs, total %.2fs; %d entries, %d ELF, %.1f MB unzipped, %.1f MB"
            + " zipped; heap used %.0f MB of %.0f MB committed%n",
        (read - start) / 1e9,
        (end - read) / 1e9,
        (end - start) / 1e9,
        result.entryCount(),
        elf,
        result.unzippedBytes() / 1e6,
        result.zippedBytes() / 1e6,
        (rt.totalMemory() - rt.freeMemory()) / 1e6,
        rt.totalMemory() / 1e6);
    System.out.println(result.sha256Hex());
  }
}
