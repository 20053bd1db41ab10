package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accretion inspect} on a function in moto with three layers made by pip and zip: two carry
 * tabulate in different versions, two overlap on one path. Both conflicts are reported with the
 * layer that wins, and the total size is the sum of what Lambda extracts.
 */
class InspectFunctionIT {
  static InspectMoto moto;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    moto = new InspectMoto();
  }

  @AfterAll
  static void stop() {
    moto.close();
  }

  static long unzipped(Path zip) throws Exception {
    long sum = 0;
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> e = z.entries();
      while (e.hasMoreElements()) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          sum += entry.getSize();
        }
      }
    }
    return sum;
  }

  @Test
  void threeLayers_overlapAndTwoVersions_reportedWithTheWinningLayer() throws Exception {
    Path one = Files.createDirectories(dir.resolve("one"));
    LayerTools.pip(one, "python", "tabulate==0.8.10");
    Files.writeString(one.resolve("python/settings.py"), "LEVEL = 'one'\n");
    Path two = Files.createDirectories(dir.resolve("two"));
    LayerTools.pip(two, "python", "tabulate==0.10.0");
    Path three = Files.createDirectories(dir.resolve("three/python"));
    Files.writeString(three.resolve("settings.py"), "LEVEL = 'three'\n");
    Files.writeString(three.resolve("helpers.py"), "def helper():\n    return 3\n");
    Path code = Files.createDirectories(dir.resolve("code"));
    Files.writeString(code.resolve("app.py"), "def handler(event, context):\n    return 1\n");

    Path z1 = LayerTools.zip(one, dir.resolve("one.zip").toString(), "python");
    Path z2 = LayerTools.zip(two, dir.resolve("two.zip").toString(), "python");
    Path z3 = LayerTools.zip(dir.resolve("three"), dir.resolve("three.zip").toString(), "python");
    Path zc = LayerTools.zip(code, dir.resolve("code.zip").toString(), "app.py");
    List<String> py = List.of("python3.12");
    String l1 = moto.publish(moto.name("tab-old"), z1, py, List.of());
    String l2 = moto.publish(moto.name("tab-new"), z2, py, List.of());
    String l3 = moto.publish(moto.name("settings"), z3, py, List.of());
    String function = moto.name("api");
    String functionArn =
        moto.createFunction(function, zc, "python3.12", "x86_64", List.of(l1, l2, l3));

    CliRun run =
        CliRun.run(moto.env(dir), dir, "inspect", function, "--region", "us-east-1", "--json");
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    JsonNode r = run.json();
    assertThat(r.path("kind").asText()).isEqualTo("function");
    assertThat(r.path("functionArn").asText()).isEqualTo(functionArn);
    assertThat(r.path("target").asText()).isEqualTo("python3.12/x86_64");
    assertThat(r.path("layers")).hasSize(3);
    assertThat(r.path("layers").get(0).path("layerVersionArn").asText()).isEqualTo(l1);

    // Two versions of tabulate, both in /opt/python: the later layer's files win, mixed.
    JsonNode conflicts = r.path("versionConflicts");
    assertThat(conflicts).hasSize(1);
    JsonNode tabulate = conflicts.get(0);
    assertThat(tabulate.path("name").asText()).isEqualTo("tabulate");
    assertThat(tabulate.path("winner").path("layer").asText()).isEqualTo(l2);
    assertThat(tabulate.path("winner").path("version").asText()).isEqualTo("0.10.0");
    assertThat(tabulate.path("mixed").asBoolean()).isTrue();
    assertThat(tabulate.path("copies").toString()).contains("0.8.10", l1, "0.10.0", l2);

    // One path in layers 1 and 3 with different content: layer 3's copy is what runs.
    JsonNode settings = null;
    for (JsonNode o : r.path("overlaps")) {
      if (o.path("path").asText().equals("python/settings.py")) {
        settings = o;
      }
    }
    assertThat(settings).as(r.path("overlaps").toString()).isNotNull();
    assertThat(settings.path("layers").toString()).isEqualTo("[\"" + l1 + "\",\"" + l3 + "\"]");
    assertThat(settings.path("winner").asText()).isEqualTo(l3);
    assertThat(settings.path("identical").asBoolean()).isFalse();

    String problems = r.path("problems").toString();
    assertThat(problems)
        .contains(
            "\"code\":\"two-versions\"",
            "\"code\":\"overlap\"",
            "files they share come from " + l2,
            "the function sees those of " + l3);
    long total = unzipped(zc) + unzipped(z1) + unzipped(z2) + unzipped(z3);
    assertThat(r.path("sizes").path("unzippedBytes").asLong()).isEqualTo(total);
    assertThat(r.path("sizes").path("limitBytes").asLong()).isEqualTo(262_144_000L);

    // By ARN, as text.
    CliRun text = CliRun.run(moto.env(dir), dir, "inspect", functionArn);
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out())
        .contains(
            "Function  " + functionArn,
            "Runtime   python3.12 on x86_64",
            "tabulate: 0.8.10 (layer 1), 0.10.0 (layer 2) -> 0.10.0 from layer 2 is loaded",
            "python/settings.py",
            "Unfit for python3.12/x86_64");
  }
}
