package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole {@code accretion build} processes: the same inputs give the same bytes whatever the input
 * order, time zone, umask, locale and cache; two builds sharing one cache at the same time both
 * succeed with identical outputs.
 */
class BuildProcessIT {
  @TempDir Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Starts the CLI in a child JVM through {@code sh}, so the umask can be set. */
  private Process start(Path cwd, String umask, Map<String, String> env, List<String> args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Duser.language=tr");
    command.add("-Duser.country=TR");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    StringBuilder sh = new StringBuilder("umask " + umask + "; exec");
    for (String c : command) {
      sh.append(" '").append(c.replace("'", "'\\''")).append('\'');
    }
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", sh.toString()).directory(cwd.toFile());
    builder.environment().putAll(env);
    Files.createDirectories(temp.resolve("logs"));
    String name = "p" + System.nanoTime();
    builder.redirectOutput(temp.resolve("logs/" + name + ".out").toFile());
    builder.redirectError(temp.resolve("logs/" + name + ".err").toFile());
    Process p = builder.start();
    logs.put(p, name);
    return p;
  }

  private final Map<Process, String> logs = new HashMap<>();

  private String finish(Process p) throws Exception {
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("child build finished").isTrue();
    String out = Files.readString(temp.resolve("logs/" + logs.get(p) + ".out"));
    String err = Files.readString(temp.resolve("logs/" + logs.get(p) + ".err"));
    assertThat(p.exitValue()).as("child build: %s", err).isZero();
    return out;
  }

  @Test
  void sameInputs_giveIdenticalBytesAcrossOrderTimeZoneUmaskLocaleAndCache() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(
        WheelBuilder.wheel("zeta", "1.0")
            .file("zeta/__init__.py", "import alpha\n")
            .executable("zeta/run.sh", "#!/bin/sh\n")
            .file("zeta-1.0.data/scripts/zeta", "#!python\nimport zeta\n")
            .requires("alpha"));
    index.add(WheelBuilder.wheel("alpha", "2.0").file("alpha/__init__.py", "A = 2\n"));
    index.add(WheelBuilder.wheel("mid", "0.5").file("mid.py", "M = 5\n"));
    Path one = Files.createDirectories(temp.resolve("one/svc"));
    Files.writeString(one.resolve("requirements.txt"), "zeta\nmid\nalpha\n");
    Path two = Files.createDirectories(temp.resolve("two/svc"));
    Files.writeString(two.resolve("requirements.txt"), "alpha  # first now\nmid\nzeta>=1\n");
    Map<String, String> env = Map.of("PIP_CONFIG_FILE", "/dev/null");
    Process a =
        start(
            one,
            "022",
            merge(env, Map.of("TZ", "UTC", "LC_ALL", "C")),
            List.of(
                "build",
                "requirements.txt",
                "--runtime",
                "python3.11",
                "--runtime",
                "python3.12",
                "--name",
                "repro",
                "--index-url",
                index.url(),
                "--cache-dir",
                temp.resolve("cache-a").toString(),
                "--json"));
    Process b =
        start(
            two,
            "077",
            merge(env, Map.of("TZ", "Pacific/Kiritimati", "LC_ALL", "tr_TR.UTF-8")),
            List.of(
                "build",
                "requirements.txt",
                "--runtime",
                "python3.12",
                "--runtime",
                "python3.11",
                "--name",
                "repro",
                "--index-url",
                index.url(),
                "--cache-dir",
                temp.resolve("cache-b").toString(),
                "--json",
                "--output",
                "elsewhere"));
    JsonNode first = JSON.readTree(finish(a));
    JsonNode second = JSON.readTree(finish(b));
    // and once more in this JVM, with its own time zone, umask and a third cache
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "build",
              "svc/requirements.txt",
              "--runtime",
              "python3.12",
              "--runtime",
              "python3.11",
              "--name",
              "repro",
              "--index-url",
              index.url(),
              "--cache-dir",
              temp.resolve("cache-c").toString(),
              "--json",
              "--output",
              "third"
            },
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            env,
            temp.resolve("one"));
    assertThat(code).isZero();
    JsonNode third = JSON.readTree(out.toString());

    // one zip for both runtimes: since issue 17 the wheel's script starts with
    // #!/usr/bin/env python3, the same for every Python runtime, so it no longer splits the layer
    assertThat(first.get("artifacts")).hasSize(1);
    for (int i = 0; i < 1; i++) {
      JsonNode x = first.get("artifacts").get(i);
      for (JsonNode other :
          List.of(second.get("artifacts").get(i), third.get("artifacts").get(i))) {
        assertThat(other.get("sha256")).isEqualTo(x.get("sha256"));
        assertThat(other.get("contentDigest")).isEqualTo(x.get("contentDigest"));
        assertThat(Path.of(other.get("path").asText()).getFileName())
            .isEqualTo(Path.of(x.get("path").asText()).getFileName());
      }
      Path zipA = Path.of(x.get("path").asText());
      Path zipB = Path.of(second.get("artifacts").get(i).get("path").asText());
      assertThat(Files.readAllBytes(zipB)).isEqualTo(Files.readAllBytes(zipA));
      assertThat(WheelBuilder.sha256Hex(Files.readAllBytes(zipA)))
          .isEqualTo(x.get("sha256").asText());
    }
    assertThat(Path.of(first.get("artifacts").get(0).get("path").asText()))
        .hasFileName("repro-python3.11+python3.12-x86_64.zip");
  }

  @Test
  void twoConcurrentBuilds_shareOneCacheAndAgree() throws Exception {
    Path project = Files.createDirectories(temp.resolve("proj"));
    Files.writeString(project.resolve("requirements.txt"), "pandas\nrequests\n");
    Path cache = temp.resolve("shared-cache");
    List<String> base =
        List.of(
            "build",
            "requirements.txt",
            "--runtime",
            "python3.11",
            "--cache-dir",
            cache.toString(),
            "--json",
            "--output");
    List<String> argsA = new ArrayList<>(base);
    argsA.add("out-a");
    List<String> argsB = new ArrayList<>(base);
    argsB.add("out-b");
    Process a = start(project, "022", System.getenv(), argsA);
    Process b = start(project, "022", System.getenv(), argsB);
    JsonNode ra = JSON.readTree(finish(a));
    JsonNode rb = JSON.readTree(finish(b));
    String shaA = ra.get("artifacts").get(0).get("sha256").asText();
    assertThat(rb.get("artifacts").get(0).get("sha256").asText()).isEqualTo(shaA);
    byte[] zipA = Files.readAllBytes(project.resolve("out-a/proj-python3.11-x86_64.zip"));
    byte[] zipB = Files.readAllBytes(project.resolve("out-b/proj-python3.11-x86_64.zip"));
    assertThat(zipB).isEqualTo(zipA);
    assertThat(WheelBuilder.sha256Hex(zipA)).isEqualTo(shaA);
    // the shared cache is consistent afterwards and answers the next build
    StringWriter out = new StringWriter();
    int verify =
        Main.run(
            new String[] {"cache", "verify", "--cache-dir", cache.toString()},
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            System.getenv(),
            project);
    assertThat(verify).as(out.toString()).isZero();
    StringWriter again = new StringWriter();
    assertThat(
            Main.run(
                argsA.toArray(String[]::new),
                new PrintWriter(new StringWriter()),
                new PrintWriter(again),
                System.getenv(),
                project))
        .isZero();
    assertThat(
            WheelBuilder.sha256Hex(
                Files.readAllBytes(project.resolve("out-a/proj-python3.11-x86_64.zip"))))
        .isEqualTo(shaA);
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new HashMap<>(System.getenv());
    m.putAll(a);
    m.putAll(b);
    return m;
  }
}
