package dev.accretion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.pipeline.spi.LayerFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries deflated on several threads give the very archive deflating them one by one gives. */
class ParallelCompressionTest {
  @TempDir Path dir;

  @Test
  void theArchiveIsTheSameAsWithOneThread() throws Exception {
    Random random = new Random(42);
    List<LayerFile> files = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      StringBuilder text = new StringBuilder();
      int lines = random.nextInt(i % 10 == 0 ? 5000 : 60) + 1;
      for (int l = 0; l < lines; l++) {
        text.append("module.exports.f").append(random.nextInt(1000)).append(" = ").append(l);
        text.append(random.nextBoolean() ? ";\n" : "; // comment\n");
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (i % 17 == 0) {
        bytes = new byte[3]; // too small to shrink: stored
        random.nextBytes(bytes);
      }
      files.add(
          new LayerFile(
              String.format("nodejs/node_modules/p%03d/index.js", i),
              i % 5 == 0,
              "0".repeat(64),
              bytes.length,
              new LayerFile.Compressed(bytes),
              null));
    }

    Map<LayerFile, ReproducibleZipWriter.Compressed> parallel = ArtifactWriter.compressAll(files);
    assertThat(parallel).hasSize(files.size());
    ReproducibleZipWriter one = new ReproducibleZipWriter();
    ReproducibleZipWriter many = new ReproducibleZipWriter();
    for (LayerFile f : files) {
      byte[] bytes = ((LayerFile.Compressed) f.content()).bytes();
      one.addCompressed(f.path(), bytes, f.executable(), "test");
      many.addCompressed(f.path(), parallel.get(f), f.executable(), "test");
    }
    one.write(dir.resolve("one.zip"));
    many.write(dir.resolve("many.zip"));

    assertThat(Files.readAllBytes(dir.resolve("many.zip")))
        .isEqualTo(Files.readAllBytes(dir.resolve("one.zip")));
  }
}
