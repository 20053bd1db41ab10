package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json} documents of {@code build}, {@code lock}, {@code runtimes} and {@code cache},
 * byte for byte (issue 9: the shapes move out of the CLI unchanged). Values that differ between
 * runs or machines (folders, digests, timings) are computed by the test and filled into the
 * template; everything else — keys, their order, indentation, numbers — is fixed.
 */
class JsonGoldenTest {
  @TempDir Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SimpleIndexBuilder index;
  private final Map<String, String> values = new HashMap<>();

  @BeforeEach
  void index() throws Exception {
    index = new SimpleIndexBuilder(temp.resolve("index"));
    WheelBuilder webby =
        WheelBuilder.wheel("webby", "2.0")
            .file("webby/__init__.py", "from tiny import T\n")
            .requires("tiny>=1");
    WheelBuilder tiny = WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n");
    index.add(webby);
    index.add(tiny);
    values.put("sha:webby", WheelBuilder.sha256Hex(webby.bytes()));
    values.put("sha:tiny", WheelBuilder.sha256Hex(tiny.bytes()));
    values.put("dir", temp.toString());
    values.put("index", index.url());
    Files.createDirectories(temp.resolve("svc"));
    Files.writeString(temp.resolve("svc/requirements.txt"), "webby\n");
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args[0].equals("build") || args[0].equals("lock")) {
      all.addAll(List.of("--index-url", index.url()));
    }
    if (args[0].equals("build") || args[0].equals("lock") || args[0].equals("cache")) {
      all.addAll(List.of("--cache-dir", temp.resolve("cache").toString()));
    }
    return CliRun.run(
        Map.of("PIP_CONFIG_FILE", "/dev/null", "HOME", temp.resolve("home").toString()),
        temp,
        all.toArray(String[]::new));
  }

  /** The digests and sizes of a built zip, read from the zip itself and its manifest. */
  private void artifactValues(String key, Path zip) throws Exception {
    byte[] bytes = Files.readAllBytes(zip);
    values.put(key + ".sha256", WheelBuilder.sha256Hex(bytes));
    values.put(key + ".codeSha256", Base64.getEncoder().encodeToString(WheelBuilder.sha256(bytes)));
    values.put(key + ".zippedBytes", Long.toString(bytes.length));
    String name = zip.getFileName().toString();
    JsonNode manifest =
        JSON.readTree(zip.resolveSibling(name.substring(0, name.length() - 4) + ".json").toFile());
    values.put(key + ".contentDigest", manifest.at("/artifact/contentDigest").asText());
    values.put(key + ".unzippedBytes", manifest.at("/artifact/unzippedBytes").asText());
  }

  @Test
  void build_json_isByteForByteTheDocumentedObject() throws Exception {
    CliRun r =
        run(
            "build",
            "svc/requirements.txt",
            "--runtime",
            "python3.12,python3.13",
            "--arch",
            "x86_64",
            "--runtime",
            "python3.12",
            "--arch",
            "arm64",
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    List<Path> zips;
    try (var files = Files.list(temp.resolve("dist"))) {
      zips = files.filter(f -> f.toString().endsWith(".zip")).sorted().toList();
    }
    assertThat(zips).hasSize(1);
    values.put("a.zip", zips.get(0).getFileName().toString());
    artifactValues("a", zips.get(0));
    Golden.assertMatches("build.json", r.out(), values);

    // the unchanged rebuild prints the same bytes, from the cache
    CliRun again =
        run(
            "build",
            "svc/requirements.txt",
            "--runtime",
            "python3.12,python3.13",
            "--arch",
            "x86_64",
            "--runtime",
            "python3.12",
            "--arch",
            "arm64",
            "--json");
    assertThat(again.out()).isEqualTo(r.out());
  }

  @Test
  void lock_json_isByteForByteTheDocumentedObject() throws Exception {
    CliRun r =
        run(
            "lock",
            "svc/requirements.txt",
            "--runtime",
            "python3.11,python3.12",
            "--arch",
            "arm64",
            "--output",
            "locks",
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    String normalized = r.out().replaceAll("\"elapsedMillis\" : \\d+", "\"elapsedMillis\" : 0");
    Golden.assertMatches("lock.json", normalized, values);
  }

  @Test
  void lock_json_keepsAFailedTargetsError() throws Exception {
    Files.writeString(temp.resolve("svc/requirements.txt"), "webby>=3\n");
    CliRun r = run("lock", "svc/requirements.txt", "--runtime", "python3.12", "--json");
    assertThat(r.code()).isEqualTo(1);
    String normalized = r.out().replaceAll("\"elapsedMillis\" : \\d+", "\"elapsedMillis\" : 0");
    // the wording of the explanation is the resolver's, not this document's
    String error = JSON.readTree(r.out()).at("/locks/0/error").asText();
    assertThat(error).startsWith("no set of wheels satisfies the requirements");
    values.put("error", JSON.writeValueAsString(error).replaceAll("^\"|\"$", ""));
    Golden.assertMatches("lock-failed.json", normalized, values);
  }

  @Test
  void runtimes_json_isByteForByteTheDocumentedObject() {
    CliRun r = run("runtimes", "python3.12", "--arch", "arm64", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Golden.assertMatches("runtimes-python3.12-arm64.json", r.out(), values);
  }

  @Test
  void cache_json_documentsKeepTheirKeys() throws Exception {
    assertThat(run("build", "svc/requirements.txt", "--runtime", "python3.12").code()).isZero();
    // key order inside the per-kind usage and corrupt-blob objects was never fixed (Map.of), so
    // these compare as trees; the values that vary are blanked first
    JsonNode ls = JSON.readTree(run("cache", "ls", "--json").out());
    assertThat(fieldNames(ls)).containsExactly("root", "totalBytes", "usage", "largest");
    assertThat(fieldNames(ls.get("usage")))
        .containsExactly("blobs", "selectors", "quarantine", "tmp");
    assertThat(fieldNames(ls.at("/usage/blobs"))).containsExactlyInAnyOrder("count", "bytes");
    assertThat(fieldNames(ls.at("/largest/0")))
        .containsExactly("sha256", "bytes", "lastUsed", "names");
    assertThat(ls.get("root").asText()).isEqualTo(temp.resolve("cache").toString());
    assertThat(ls.at("/usage/selectors/count").asLong()).isEqualTo(1);

    JsonNode verify = JSON.readTree(run("cache", "verify", "--json").out());
    assertThat(fieldNames(verify))
        .containsExactly(
            "ok",
            "blobsChecked",
            "bytesChecked",
            "corrupt",
            "brokenSelectors",
            "unexpectedFiles",
            "leftoversRemoved");
    assertThat(verify.get("ok").asBoolean()).isTrue();

    JsonNode gc =
        JSON.readTree(run("cache", "gc", "--dry-run", "--older-than", "0", "--json").out());
    assertThat(fieldNames(gc)).containsExactly("dryRun", "bytes", "removals");
    assertThat(gc.get("dryRun").asBoolean()).isTrue();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
