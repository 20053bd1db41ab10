package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a warning reported several times (per target, again at the end) is printed once. */
class WarningsOnceTest {
  @TempDir Path dir;
  SimpleIndexBuilder index;

  @BeforeEach
  void setUp() throws Exception {
    index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    // a yanked release pinned by the listing: the resolver warns for every target
    index.add(WheelBuilder.wheel("old", "1.0").file("old/__init__.py", "O = 1\n"), null, "broken");
    Files.writeString(dir.resolve("requirements.txt"), "tiny\nold==1.0\n");
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--index-url";
    all[args.length + 1] = index.url();
    all[args.length + 2] = "--cache-dir";
    all[args.length + 3] = dir.resolve("cache").toString();
    return CliRun.run(
        Map.of("PIP_CONFIG_FILE", "/dev/null", "HOME", dir.resolve("home").toString()), dir, all);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void build_printsEachWarningOnce() {
    CliRun r =
        run(
            "build",
            "requirements.txt",
            "--runtime",
            "python3.11,python3.12,python3.13",
            "--exclude",
            "nothere");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(count(r.err(), "--exclude nothere: no target's resolution has it")).isEqualTo(1);
    assertThat(r.err()).contains("yanked");
    for (String line : r.err().lines().toList()) {
      assertThat(count(r.err(), line)).as("printed once: %s", line).isEqualTo(1);
    }
  }

  @Test
  void lock_printsEachWarningOnceAcrossTargets() {
    CliRun r = run("lock", "requirements.txt", "--runtime", "python3.11,python3.12", "-o", "locks");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("yanked");
    for (String line : r.err().lines().toList()) {
      assertThat(count(r.err(), line)).as("printed once: %s", line).isEqualTo(1);
    }
  }

  /**
   * The issue's own case: a Pipfile.lock (its sources note, a yanked pin) built for several
   * runtimes and architectures printed the same warning seven times; each is printed once.
   */
  @Test
  void build_pipfileLockForSeveralTargets_printsEachWarningOnce() throws Exception {
    String tiny =
        WheelBuilder.sha256Hex(
            Files.readAllBytes(dir.resolve("index/files/tiny-1.0-py3-none-any.whl")));
    String old =
        WheelBuilder.sha256Hex(
            Files.readAllBytes(dir.resolve("index/files/old-1.0-py3-none-any.whl")));
    Files.createDirectories(dir.resolve("pipenv"));
    Files.writeString(
        dir.resolve("pipenv/Pipfile.lock"),
        """
        {
            "_meta": {
                "hash": {"sha256": "7d1f0b6a5c4e3d2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b"},
                "pipfile-spec": 6,
                "requires": {"python_version": "3.12"},
                "sources": [{"name": "corp", "url": "%s", "verify_ssl": true}]
            },
            "default": {
                "tiny": {"hashes": ["sha256:%s"], "index": "corp", "version": "==1.0"},
                "old": {"hashes": ["sha256:%s"], "index": "corp", "version": "==1.0"}
            },
            "develop": {}
        }
        """
            .formatted(index.url(), tiny, old));
    CliRun r =
        run(
            "build",
            "pipenv/Pipfile.lock",
            "--runtime",
            "python3.11,python3.12,python3.13",
            "--arch",
            "x86_64,arm64",
            "--name",
            "pipenv");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(count(r.err(), "its sources (")).as(r.err()).isEqualTo(1);
    for (String line : r.err().lines().toList()) {
      assertThat(count(r.err(), line)).as("printed once: %s", line).isEqualTo(1);
    }
  }
}
