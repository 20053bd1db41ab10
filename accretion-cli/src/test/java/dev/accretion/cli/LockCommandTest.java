package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.SimpleIndexBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockCommandTest {
  @TempDir Path dir;
  SimpleIndexBuilder index;
  Map<String, String> env;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(
        wheel("numpy", "2.4.6").tag("cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64"));
    index.add(
        wheel("numpy", "2.2.6").tag("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"));
    index.add(
        wheel("pandas", "3.0.0").tag("cp311-cp311-manylinux_2_17_x86_64").requires("numpy>=1.26"));
    index.add(wheel("requests", "2.34.0").requires("idna"));
    index.add(wheel("idna", "3.10"));
    // an isolated home and no pip configuration: only the flags decide the indexes
    Files.createDirectories(dir.resolve("home"));
    env = Map.of("HOME", dir.resolve("home").toString(), "PIP_CONFIG_FILE", "/dev/null");
  }

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--index-url", index.url(), "--cache-dir", dir.resolve("cache").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), env, dir);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void lock_writesPylockBesideTheListing() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "pandas\nrequests\n");
    Run run = run("lock", "requirements.txt", "--runtime", "python3.11", "--arch", "x86_64");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Locked 4 packages for python3.11 (Amazon Linux 2, glibc 2.26)");
    String lock = Files.readString(dir.resolve("pylock.toml"));
    assertThat(lock)
        .contains("lock-version = \"1.0\"")
        .contains("name = \"numpy\"\nversion = \"2.2.6\"")
        .contains("numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        .contains("hashes = {sha256 = \"");
  }

  @Test
  void lock_json_printsOnlyJsonWithPackagesTargetAndTimings() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "requests\n");
    Run run =
        run(
            "lock",
            "requirements.txt",
            "--runtime",
            "python3.11,python3.12",
            "--json",
            "-o",
            "locks");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("locks")).hasSize(2);
    JsonNode first = json.get("locks").get(0);
    assertThat(first.get("runtime").asText()).isEqualTo("python3.11");
    assertThat(first.get("architecture").asText()).isEqualTo("x86_64");
    assertThat(first.get("packages").findValuesAsText("name")).containsExactly("idna", "requests");
    assertThat(first.get("elapsedMillis").isNumber()).isTrue();
    assertThat(dir.resolve("locks/pylock.python311-x86_64.toml")).exists();
    assertThat(dir.resolve("locks/pylock.python312-x86_64.toml")).exists();
  }

  @Test
  void lock_noSolution_exitsOneWithExplanation() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "numpy>=2.3\n");
    Run run = run("lock", "requirements.txt", "--runtime", "python3.11");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("accretion: error: no set of wheels satisfies the requirements")
        .contains("needs glibc 2.27")
        .contains("newest numpy that fits this target is 2.2.6, which numpy>=2.3 excludes");
    assertThat(dir.resolve("pylock.toml")).doesNotExist();
  }

  @Test
  void lock_badUsage_exitsTwo() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "requests\n");
    assertThat(run("lock", "requirements.txt").code()).isEqualTo(2); // no --runtime
    Run badArch = run("lock", "requirements.txt", "--runtime", "python3.11", "--arch", "sparc");
    assertThat(badArch.code()).isEqualTo(1);
    assertThat(badArch.err()).contains("sparc");
    Run badRuntime = run("lock", "requirements.txt", "--runtime", "python2.7");
    assertThat(badRuntime.err()).contains("python2.7").contains("python3.1");
  }

  @Test
  void lock_missingListing_saysSo() {
    Run run = run("lock", "nope.txt", "--runtime", "python3.11");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("listing").contains("nope.txt").contains("does not exist");
  }

  @Test
  void lock_oneTargetWithoutSolution_stillWritesTheOthersAndExitsOne() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "pandas\n");
    Run run =
        run(
            "lock",
            "requirements.txt",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64,arm64",
            "-o",
            "out");
    assertThat(run.code()).isEqualTo(1);
    assertThat(dir.resolve("out/pylock.python311-x86_64.toml")).exists();
    assertThat(dir.resolve("out/pylock.python311-arm64.toml")).doesNotExist();
    assertThat(run.err()).contains("python3.11/arm64").contains("no lock for 1 of 2 targets");
  }

  @Test
  void lock_cert_readsAnHttpsIndexBehindAPrivateCa() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "requests\n");
    try (dev.accretion.testkit.HttpsFileServer https =
        new dev.accretion.testkit.HttpsFileServer(index.root(), dir.resolve("tls"), "Test CA")) {
      List<String> args =
          List.of(
              "lock",
              "requirements.txt",
              "--runtime",
              "python3.11",
              "--index-url",
              https.url("simple/"),
              "--cache-dir",
              dir.resolve("cache").toString(),
              "--json");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          Main.run(
              args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), env, dir);
      assertThat(code).as("without --cert: %s", err).isEqualTo(1);
      assertThat(err.toString()).contains("TLS handshake").contains("--cert");

      List<String> withCert = new ArrayList<>(args);
      withCert.addAll(List.of("--cert", "tls/ca.pem"));
      out = new StringWriter();
      err = new StringWriter();
      code =
          Main.run(
              withCert.toArray(String[]::new),
              new PrintWriter(out),
              new PrintWriter(err),
              env,
              dir);
      assertThat(code).as(err.toString()).isZero();
      JsonNode json = new ObjectMapper().readTree(out.toString());
      assertThat(json.get("locks").get(0).get("packages").findValuesAsText("name"))
          .containsExactly("idna", "requests");
    }
  }
}
