package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accretion build} and {@code accretion cache}, run in-process against a test index. */
class BuildCommandTest {
  @TempDir Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SimpleIndexBuilder index;
  private Path listing;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void index() throws Exception {
    index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(
        WheelBuilder.wheel("webby", "2.0")
            .file("webby/__init__.py", "from tiny import T\n" + "#".repeat(5000) + "\n")
            .requires("tiny>=1"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    index.add(WheelBuilder.wheel("huge", "1.0").file("huge/blob.bin", new byte[2 * 1024 * 1024]));
    listing = Files.createDirectories(temp.resolve("svc")).resolve("requirements.txt");
    Files.writeString(listing, "webby\n");
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 0 && args[0].equals("build")) {
      all.addAll(List.of("--index-url", index.url()));
    }
    if (args.length > 0 && (args[0].equals("build") || args[0].equals("cache"))) {
      all.addAll(List.of("--cache-dir", temp.resolve("cache").toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of("PIP_CONFIG_FILE", "/dev/null", "HOME", temp.resolve("home").toString()),
            temp);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void json_printsExactlyTheArtifactsObject() throws Exception {
    Run r = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(fieldNames(root)).containsExactly("artifacts");
    JsonNode a = root.get("artifacts").get(0);
    assertThat(fieldNames(a))
        .containsExactly(
            "path",
            "runtimes",
            "architectures",
            "sha256",
            "codeSha256",
            "contentDigest",
            "zippedBytes",
            "unzippedBytes",
            "packages");
    Path zip = temp.resolve("dist/svc-python3.12-x86_64.zip");
    assertThat(a.get("path").asText()).isEqualTo(zip.toString());
    assertThat(zip).exists();
    assertThat(a.get("runtimes").toString()).isEqualTo("[\"python3.12\"]");
    assertThat(a.get("architectures").toString()).isEqualTo("[\"x86_64\"]");
    assertThat(a.get("sha256").asText()).isEqualTo(WheelBuilder.sha256Hex(Files.readAllBytes(zip)));
    assertThat(a.get("codeSha256").asText())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(WheelBuilder.sha256(Files.readAllBytes(zip))));
    assertThat(a.get("contentDigest").asText()).hasSize(64);
    assertThat(a.get("zippedBytes").asLong()).isEqualTo(Files.size(zip));
    assertThat(a.get("unzippedBytes").asLong()).isGreaterThan(5000);
    assertThat(a.get("packages").toString())
        .isEqualTo(
            "[{\"name\":\"tiny\",\"version\":\"1.0\"},{\"name\":\"webby\",\"version\":\"2.0\"}]");
    assertThat(temp.resolve("dist/svc-python3.12-x86_64.json")).exists();
    assertThat(temp.resolve("dist/svc-python3.12-x86_64.cdx.json")).exists();
    assertThat(temp.resolve("dist/pylock.svc-python312-x86_64.toml")).exists();

    // the unchanged rebuild prints the same object, from the cache
    Run again = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--json");
    assertThat(again.code()).isZero();
    assertThat(JSON.readTree(again.out())).isEqualTo(root);
  }

  @Test
  void human_showsPackagesLargestFirstWithBudgetShareThenUnchangedOnRebuild() {
    Run r =
        run(
            "build",
            "svc/requirements.txt",
            "--runtime",
            "python3.11",
            "--runtime",
            "python3.12",
            "--name",
            "web",
            "--output",
            "out");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("Built layer web: 1 artifact in ")
        .contains("out/web-python3.11+python3.12-x86_64.zip  (python3.11, python3.12 on x86_64)")
        .containsPattern("package +version +unzipped +share")
        .containsPattern("(?s)webby .*tiny ")
        .contains("% of the 250 MiB budget")
        .contains("sha256 ")
        .contains("CodeSha256 ");
    Run again =
        run(
            "build",
            "svc/requirements.txt",
            "--runtime",
            "python3.12",
            "--runtime",
            "python3.11",
            "--name",
            "web",
            "--output",
            "out");
    assertThat(again.code()).isZero();
    assertThat(again.out())
        .startsWith("Unchanged: layer web (1 artifact) from the cache")
        .contains("nothing was resolved or assembled")
        .contains("webby");
  }

  @Test
  void overBudget_failsWithExitOneListingLargestPackagesAndWaysOut() throws Exception {
    Files.writeString(listing, "webby\nhuge\n");
    Run r = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--reserve", "249");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("accretion: error: layer svc for python3.12/x86_64 declares ")
        .contains("over the budget of")
        .contains("minus --reserve 249.0 MiB")
        .contains("Largest packages: huge 1.0 2.0 MiB")
        .contains("--exclude")
        .contains("--slim")
        .contains("EFS");
    assertThat(temp.resolve("dist")).doesNotExist();
  }

  @Test
  void lockWrittenByBuild_hasAPep751NameAndIsReadBackWithoutFormat() throws Exception {
    Run r = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--name", "svc");
    assertThat(r.code()).as(r.err()).isZero();
    Path lock = temp.resolve("dist/pylock.svc-python312-x86_64.toml");
    assertThat(lock).exists();
    assertThat(temp.resolve("dist/svc-python3.12-x86_64.pylock.toml")).doesNotExist();
    // the lock is a listing `build` recognises by its PEP 751 name, and installs the same files
    Run again =
        run(
            "build",
            "dist/pylock.svc-python312-x86_64.toml",
            "--runtime",
            "python3.12",
            "--name",
            "svc",
            "--output",
            "again",
            "--json");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(JSON.readTree(again.out()).get("artifacts").get(0).get("packages").toString())
        .isEqualTo(
            "[{\"name\":\"tiny\",\"version\":\"1.0\"},{\"name\":\"webby\",\"version\":\"2.0\"}]");
  }

  @Test
  void partialFilesOfAKilledBuild_areRemovedByTheNextBuild() throws Exception {
    Path dist = Files.createDirectories(temp.resolve("dist"));
    // what a build killed while writing its zip leaves: a temporary name with its pid
    Process killed = new ProcessBuilder("true").start();
    killed.waitFor();
    Path partial =
        Files.write(
            dist.resolve(".svc-python3.12-x86_64.zip." + killed.pid() + "-a1b2c3.tmp"),
            new byte[4096]);
    Run r = run("build", "svc/requirements.txt", "--runtime", "python3.12");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(partial).doesNotExist();
    try (var files = Files.list(dist)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void emptyListing_failsNamingTheFileUnlessAllowEmpty() throws Exception {
    Files.writeString(listing, "# the dependencies come later\n");
    Run r = run("build", "svc/requirements.txt", "--runtime", "python3.12");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(listing.toString())
        .contains("asks for nothing")
        .contains("--allow-empty");
    assertThat(temp.resolve("dist")).doesNotExist();
    Run allowed = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--allow-empty");
    assertThat(allowed.code()).as(allowed.err()).isZero();
  }

  @Test
  void usageErrors_exitTwo() {
    assertThat(
            run("build", "svc/requirements.txt", "--runtime", "python3.12", "--layout", "x").code())
        .isEqualTo(2);
    assertThat(
            run("build", "svc/requirements.txt", "--runtime", "python3.12", "--name", "a b").code())
        .isEqualTo(2);
    Run reserve =
        run("build", "svc/requirements.txt", "--runtime", "python3.12", "--reserve", "250");
    assertThat(reserve.code()).isEqualTo(2);
    assertThat(reserve.err()).contains("--reserve");
    assertThat(run("build", "svc/requirements.txt").code()).as("no target").isEqualTo(2);
    // a target of another language than the listing's is a usage error naming both
    Run node = run("build", "svc/requirements.txt", "--runtime", "nodejs20.x");
    assertThat(node.code()).isEqualTo(2);
    assertThat(node.err())
        .contains("'requirements.txt' is a python listing")
        .contains("nodejs20.x (a nodejs runtime)");
    Run java = run("build", "svc/requirements.txt", "--runtime", "java21");
    assertThat(java.code()).isEqualTo(2);
    assertThat(java.err()).contains("java21 (a java runtime)");
  }

  @Test
  void help_describesBuildAndCacheCommands() {
    Run build = run("build", "--help");
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out())
        .contains("Usage: accretion build")
        .contains("--exclude=NAME")
        .contains("accretion/<name>/manifest.json");
    Run gc = run("cache", "gc", "--help");
    assertThat(gc.code()).isZero();
    assertThat(gc.out()).contains("--older-than=DAYS").contains("--dry-run");
  }

  @Test
  void missingListing_failsWithExitOne() {
    Run r = run("build", "nope/requirements.txt", "--runtime", "python3.12");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void cacheCommands_listVerifyAndCollect() throws Exception {
    assertThat(run("build", "svc/requirements.txt", "--runtime", "python3.12").code()).isZero();
    Run ls = run("cache", "ls");
    assertThat(ls.code()).isZero();
    assertThat(ls.out())
        .startsWith("Cache " + temp.resolve("cache"))
        .contains("blobs")
        .contains("selectors")
        .contains("svc-python3.12-x86_64.zip");
    Run lsJson = run("cache", "ls", "--json");
    assertThat(JSON.readTree(lsJson.out()).path("usage").path("selectors").path("count").asLong())
        .isEqualTo(1);

    Run verify = run("cache", "verify");
    assertThat(verify.code()).isZero();
    assertThat(verify.out()).contains("all good");
    // corrupt a blob: verify reports it, sets it aside, exits 1
    Path blobs = temp.resolve("cache/blobs/sha256");
    Path victim;
    try (var s = Files.list(blobs)) {
      victim = s.sorted().findFirst().orElseThrow();
    }
    victim.toFile().setWritable(true);
    Files.writeString(victim, "garbage");
    Run bad = run("cache", "verify");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("corrupt: blob " + victim.getFileName());

    Run dry = run("cache", "gc", "--dry-run", "--older-than", "0");
    assertThat(dry.code()).isZero();
    assertThat(dry.out()).startsWith("Would remove").contains("dry run");
    Run gc = run("cache", "gc", "--json");
    assertThat(gc.code()).isZero();
    assertThat(JSON.readTree(gc.out()).path("dryRun").asBoolean()).isFalse();
    assertThat(run("cache").code()).isEqualTo(2);
  }

  @Test
  void build_corruptCacheEntry_saysSoInOneWarningLine_andVerifyReportsLeftovers() throws Exception {
    assertThat(run("build", "svc/requirements.txt", "--runtime", "python3.12").code()).isZero();
    Path blobs = temp.resolve("cache/blobs/sha256");
    List<Path> all;
    try (var s = Files.list(blobs)) {
      all = s.sorted().toList();
    }
    for (Path blob : all) {
      blob.toFile().setWritable(true);
      Files.writeString(blob, "garbage");
    }
    Run again = run("build", "svc/requirements.txt", "--runtime", "python3.12", "--refresh");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err())
        .contains("the cache entry sha256 ")
        .contains("was corrupt (its content hashes to ")
        .contains("set aside in " + temp.resolve("cache/quarantine"))
        .contains("and fetched again");

    // a build killed while writing left a partial file: its pid no longer runs
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path partial = temp.resolve("cache/tmp/" + gone.pid() + "-42.part");
    Files.write(partial, new byte[1000]);
    Run verify = run("cache", "verify");
    assertThat(verify.out()).contains("leftover of a killed build (removed): " + partial);
    assertThat(partial).doesNotExist();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
