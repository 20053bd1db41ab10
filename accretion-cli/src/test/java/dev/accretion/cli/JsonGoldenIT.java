package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.MotoServer;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json} documents of {@code publish} (a zip, a listing, a project) and of the read
 * commands ({@code ls}, {@code describe}, {@code diff}, {@code prune}), byte for byte against moto
 * (issue 9: the shapes move out of the CLI unchanged). Layer names, digests and times are computed
 * or read by the test and filled into the templates.
 */
class JsonGoldenIT {
  /** A region no other test publishes to, so {@code ls} sees only this test's layers. */
  private static final String REGION = "eu-south-1";

  @TempDir Path dir;

  private final Map<String, String> values = new HashMap<>();

  private Map<String, String> env() {
    return MotoServer.environment(dir, REGION);
  }

  private CliRun run(String... args) {
    CliRun r = CliRun.run(env(), dir, args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private void zipValues(String key, Path zip) throws Exception {
    byte[] bytes = Files.readAllBytes(zip);
    values.put(key + ".sha256", WheelBuilder.sha256Hex(bytes));
    values.put(key + ".codeSha256", Base64.getEncoder().encodeToString(WheelBuilder.sha256(bytes)));
    values.put(key + ".size", Long.toString(bytes.length));
  }

  /** Timestamps from AWS differ per run: the created times become placeholders. */
  private String times(String json) {
    return json.replaceAll("\"created\" : \"[^\"]*\"", "\"created\" : \"\\${created}\"");
  }

  @Test
  void publishZip_thenReadCommands() throws Exception {
    String layer = TestZips.unique("golden-zip");
    values.put("layer", layer);
    values.put("created", "${created}");
    Path v1 =
        TestZips.write(
            dir.resolve("dist/v1.zip"),
            Map.of("requests", "2.32.3", "idna", "3.10"),
            List.of("python3.12"),
            List.of("x86_64"));
    Path v2 =
        TestZips.write(
            dir.resolve("dist/v2.zip"),
            Map.of("requests", "2.32.4", "urllib3", "2.2.3"),
            List.of("python3.12"),
            List.of("x86_64"));
    zipValues("v1", v1);
    zipValues("v2", v2);

    CliRun first =
        run(
            "publish",
            "dist/v1.zip",
            "--layer",
            layer,
            "--regions",
            REGION + ",eu-north-1",
            "--description",
            "golden",
            "--license",
            "MIT",
            "--json");
    Golden.assertMatches("publish-zip.json", first.out(), values);
    CliRun unchanged =
        run(
            "publish",
            "dist/v1.zip",
            "--layer",
            layer,
            "--regions",
            REGION + ",eu-north-1",
            "--description",
            "golden",
            "--license",
            "MIT",
            "--json");
    Golden.assertMatches("publish-zip-unchanged.json", unchanged.out(), values);
    run("publish", "dist/v2.zip", "--layer", layer, "--regions", REGION, "--json");

    Golden.assertMatches(
        "describe.json", times(run("describe", layer + ":1", "--json").out()), values);
    Golden.assertMatches("diff.json", run("diff", layer, "1", "2", "--json").out(), values);
    Golden.assertMatches(
        "prune.json", times(run("prune", layer, "--keep", "1", "--json").out()), values);

    // ls lists every managed layer of the region: this layer's entry, byte for byte
    String ls = times(run("ls", "--region", REGION, "--json").out());
    assertThat(ls).startsWith("{\n  \"regions\" : [ \"" + REGION + "\" ],\n  \"layers\" : [ ");
    String entry = Golden.fill(template("ls-entry.json"), values);
    assertThat(ls).contains(entry);
  }

  @Test
  void publishListing_json() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(wheel("greeter", "1.0").file("greeter/__init__.py", "def hello():\n    return 1\n"));
    Files.writeString(dir.resolve("requirements.txt"), "greeter\n");
    String layer = TestZips.unique("golden-listing");
    values.put("layer", layer);
    Map<String, String> env = new LinkedHashMap<>(env());
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PIP_INDEX_URL", index.url());
    CliRun r =
        CliRun.run(
            env,
            dir,
            "publish",
            "requirements.txt",
            "--layer",
            layer,
            "--runtime",
            "python3.12",
            "--arch",
            "x86_64,arm64",
            "--regions",
            "eu-north-1",
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    try (var files = Files.list(dir.resolve("dist"))) {
      List<Path> zips = files.filter(f -> f.toString().endsWith(".zip")).toList();
      assertThat(zips).hasSize(1);
      zipValues("zip", zips.get(0));
    }
    Golden.assertMatches("publish-listing.json", r.out(), values);
  }

  @Test
  void publishProject_json() throws Exception {
    String layer = TestZips.unique("golden-proj");
    values.put("layer", layer);
    Path x86 =
        TestZips.write(
            dir.resolve("dist/x86.zip"),
            Map.of("requests", "2.32.3"),
            List.of("python3.12"),
            List.of("x86_64"));
    Path arm =
        TestZips.write(
            dir.resolve("dist/arm.zip"),
            Map.of("requests", "2.32.3"),
            List.of("python3.12"),
            List.of("arm64"));
    zipValues("x86", x86);
    zipValues("arm", arm);
    Files.writeString(
        dir.resolve("accretion.toml"),
        "[layers."
            + layer
            + "]\n"
            + "artifact = [\"dist/x86.zip\", \"dist/arm.zip\"]\n"
            + "runtimes = [\"python3.12\"]\n"
            + "architectures = [\"x86_64\", \"arm64\"]\n"
            + "regions = [\"eu-north-1\", \"eu-west-2\"]\n");
    CliRun r = run("publish", "--json");
    Golden.assertMatches("publish-project.json", r.out(), values);
  }

  private static String template(String name) throws Exception {
    try (var in = JsonGoldenIT.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("no golden " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
