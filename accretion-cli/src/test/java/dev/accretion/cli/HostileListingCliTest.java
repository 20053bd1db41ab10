package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.SimpleIndexBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile, oversized and odd listings through the CLI: each ends in an error naming the file and
 * line, with a bounded message and no stack trace, or works as pip would.
 */
class HostileListingCliTest {
  @TempDir Path dir;
  SimpleIndexBuilder index;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(wheel("idna", "3.10"));
    Files.createDirectories(dir.resolve("home"));
    env = Map.of("HOME", dir.resolve("home").toString(), "PIP_CONFIG_FILE", "/dev/null");
  }

  CliRun lock(String listing) throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), listing);
    return CliRun.run(
        env,
        dir,
        "lock",
        "requirements.txt",
        "--runtime",
        "python3.12",
        "--index-url",
        index.url(),
        "--cache-dir",
        dir.resolve("cache").toString());
  }

  static void assertCleanError(CliRun run, String... expected) {
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .as(run.toString())
        .startsWith("accretion: error: ")
        .doesNotContain("internal error")
        .doesNotContain("\tat ")
        .contains(expected);
    assertThat(run.err().length()).as("stderr stays small").isLessThan(4_000);
  }

  @Test
  void undefinedMarkerComparisons_nameTheFileAndLine() throws Exception {
    assertCleanError(
        lock("idna\nsix; platform_machine ~= \"x86\"\n"),
        "requirements.txt:2: cannot evaluate marker",
        "'~=' is undefined");
    assertCleanError(
        lock("idna; os_name === \"posix\"\n"),
        "requirements.txt:1: cannot evaluate marker",
        "'===' is undefined");
  }

  @Test
  void nulInAnIncludePath_namesTheFileAndLine() throws Exception {
    assertCleanError(
        lock("idna\n-r a\u0000b.txt\n"), "requirements.txt:2:", "not a valid file path");
  }

  @Test
  void deepMarkerNesting_andHugeLines_endInBoundedErrors() throws Exception {
    assertCleanError(
        lock("idna; " + "(".repeat(20_000) + "os_name == \"posix\"" + ")".repeat(20_000) + "\n"),
        "requirements.txt:1:",
        "nested more than 100 deep");
    assertCleanError(lock("idna>=1 " + "x".repeat(5_000_000) + "\n"), "requirements.txt:1:");
  }

  @Test
  void deeplyNestedLockFile_endsInAnErrorWithFileAndLine() throws Exception {
    Files.writeString(
        dir.resolve("uv.lock"),
        "version = 1\n[[package]]\nname = \"x\"\nv = "
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + "\n");
    CliRun run =
        CliRun.run(
            env,
            dir,
            "lock",
            "uv.lock",
            "--runtime",
            "python3.12",
            "--cache-dir",
            dir.resolve("cache").toString());
    assertCleanError(run, "uv.lock:4:", "nest more than 100 deep");
  }

  @Test
  void devZeroInclude_stopsAtTheLimit() throws Exception {
    assertCleanError(lock("-r /dev/zero\n"), "is larger than 16 MiB");
  }

  @Test
  void manyUnknownExtras_giveOneBoundedWarning() throws Exception {
    StringBuilder extras = new StringBuilder();
    for (int i = 0; i < 400_000; i++) {
      extras.append(i == 0 ? "" : ",").append("e").append(i);
    }
    CliRun run = lock("idna[" + extras + "]\n");
    assertThat(run.code()).as(run.err().substring(0, Math.min(2000, run.err().length()))).isZero();
    assertThat(run.err()).contains("does not provide the extras 'e0'");
    assertThat(run.err().length()).isLessThan(4_000);
  }

  @Test
  void unsetVariable_saysSo() throws Exception {
    assertCleanError(
        lock("idna==${IDNA_VERSION}\n"), "requirements.txt:1: IDNA_VERSION is not set");
  }

  @Test
  void namedFileUrlOfAWheel_locksAsInPip() throws Exception {
    Path wheelFile = wheel("acme", "1.0").writeTo(dir.resolve("wheels"));
    CliRun run = lock("acme @ " + wheelFile.toUri() + "\n");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(Files.readString(dir.resolve("pylock.toml")))
        .contains("name = \"acme\"")
        .contains("acme-1.0-py3-none-any.whl");
  }
}
