package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java and command-builder layers go through publish, describe and diff like Python ones (against
 * moto): the builder flags reach the build of {@code publish <listing>}, and a project layer's
 * builder keys reach the build of {@code publish}.
 */
class BuilderPublishIT {
  @TempDir Path dir;

  private CliRun run(String... args) {
    Map<String, String> env = new LinkedHashMap<>(MotoServer.environment(dir, "us-east-1"));
    env.put("PATH", "/usr/bin:/bin");
    return CliRun.run(env, dir, args);
  }

  @Test
  void javaLayer_publishedWithSettingsFlag_describedAndDiffed() throws Exception {
    Path repository = BuilderFixtures.mavenRepository(dir.resolve("repo"));
    BuilderFixtures.mirrorSettings(dir.resolve("ci/settings.xml"), repository);
    String layer = TestZips.unique("jvm");
    Files.writeString(dir.resolve("maven.txt"), BuilderFixtures.ONLY_LOCAL + "\n");
    String[] publish = {
      "publish",
      "maven.txt",
      "--layer",
      layer,
      "--runtime",
      "java21",
      "-s",
      "ci/settings.xml",
      "--cache-dir",
      "cache",
      "--regions",
      "us-east-1",
      "--json"
    };
    CliRun first = run(publish);
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.json().at("/layers/0/regions/0/version").asInt()).isEqualTo(1);

    Files.writeString(
        dir.resolve("maven.txt"),
        BuilderFixtures.ONLY_LOCAL + "\n" + BuilderFixtures.ALSO_LOCAL + "\n");
    CliRun second = run(publish);
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.json().at("/layers/0/regions/0/version").asInt()).isEqualTo(2);

    CliRun describe = run("describe", layer + ":2", "--region", "us-east-1", "--json");
    assertThat(describe.code()).as(describe.toString()).isZero();
    JsonNode d = describe.json();
    assertThat(d.toString())
        .contains("org.example.integ:only-local")
        .contains("pkg:maven/org.example.integ/also-local@2.0");

    CliRun diff = run("diff", layer, "1", "2", "--region", "us-east-1", "--json");
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.json().get("added").toString()).contains("also-local");
    assertThat(diff.json().get("removed")).isEmpty();
  }

  @Test
  void commandLayerOfTheProjectFile_isBuiltAndPublished() throws Exception {
    Files.createDirectories(dir.resolve("tools"));
    String layer = TestZips.unique("tools");
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [layers.%s]
        builder = "command"
        source = "tools"
        command = ["sh", "-c", "mkdir -p \\"$ARTIFACTS_DIR/bin\\" && echo hi > \\"$ARTIFACTS_DIR/bin/hi\\""]
        runtimes = ["python3.12", "nodejs22.x"]
        regions = ["us-east-1"]
        """
            .formatted(layer));
    CliRun r = run("publish", "--cache-dir", "cache", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().at("/layers/0/regions/0/published").asBoolean()).isTrue();
    CliRun describe = run("describe", layer + ":1", "--region", "us-east-1", "--json");
    assertThat(describe.code()).as(describe.toString()).isZero();
    assertThat(describe.json().get("runtimes").toString()).contains("python3.12", "nodejs22.x");
  }
}
