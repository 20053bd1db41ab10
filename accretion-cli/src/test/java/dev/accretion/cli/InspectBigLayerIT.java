package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.ElfBuilder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB layer in moto is listed by reading a few MB of it: the central directory, the package
 * metadata and the first bytes of its native code. Counted by the proxy that serves the content
 * locations, byte for byte.
 */
class InspectBigLayerIT {
  @TempDir Path dir;

  @Test
  void twoHundredMegabyteLayer_isListedByReadingAFewMegabytes() throws Exception {
    Path python = Files.createDirectories(dir.resolve("python/model"));
    Random random = new Random(200);
    byte[] chunk = new byte[1 << 20];
    for (int part = 0; part < 4; part++) {
      try (OutputStream out = Files.newOutputStream(python.resolve("weights-" + part + ".bin"))) {
        for (int i = 0; i < 48; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
    Files.write(
        python.resolve("_native.cpython-312-x86_64-linux-gnu.so"),
        ElfBuilder.glibc228().trailing(8 << 20).build());
    Files.writeString(python.resolve("__init__.py"), "from . import _native\n");
    Path info = Files.createDirectories(dir.resolve("python/model-1.0.dist-info"));
    Files.writeString(
        info.resolve("METADATA"), "Metadata-Version: 2.1\nName: model\nVersion: 1.0\n");
    Files.writeString(info.resolve("INSTALLER"), "pip\n");
    StringBuilder record = new StringBuilder();
    try (var files = Files.walk(python)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        record
            .append(dir.resolve("python").relativize(f))
            .append(",,")
            .append(Files.size(f))
            .append('\n');
      }
    }
    record
        .append("model-1.0.dist-info/METADATA,,\nmodel-1.0.dist-info/INSTALLER,,\n")
        .append("model-1.0.dist-info/RECORD,,\n");
    Files.writeString(info.resolve("RECORD"), record);
    // Random bytes do not compress: store them (as zip would find anyway, only slower).
    Path zip = LayerTools.zip(dir, "big.zip", "-n", ".bin:.so", "python");
    assertThat(Files.size(zip)).isGreaterThan(200_000_000L);

    try (InspectMoto moto = new InspectMoto()) {
      String arn = moto.publish(moto.name("big"), zip, List.of("python3.12"), List.of("x86_64"));
      try {
        moto.proxy.resetCounts();
        CliRun run = CliRun.run(moto.env(dir), dir, "inspect", arn, "--json");
        assertThat(run.code()).as(run.toString()).isZero();
        JsonNode r = run.json();
        long read = moto.proxy.contentBytes();
        assertThat(read).isPositive().isLessThan(4L << 20);
        assertThat(r.path("read").path("bytes").asLong()).isEqualTo(read);
        assertThat(r.path("read").path("requests").asInt()).isEqualTo(moto.proxy.contentRequests());
        assertThat(r.path("sizes").path("zippedBytes").asLong()).isEqualTo(Files.size(zip));
        assertThat(r.path("packages").get(0).path("name").asText()).isEqualTo("model");
        assertThat(r.path("packages").get(0).path("unzippedBytes").asLong())
            .isGreaterThan(200_000_000L);
        assertThat(r.path("elf").get(0).path("glibc").asText()).isEqualTo("2.28");
        assertThat(r.path("problems").toString()).doesNotContain("record-");
      } finally {
        moto.delete(arn);
      }
    }
  }
}
