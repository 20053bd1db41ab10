package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.BuilderVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void version_printsBuilderVersionAndExitsZero() {
    Run run = run("--version");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("accretion " + BuilderVersion.get());
  }

  @Test
  void help_describesTheToolAndExitCodes() {
    Run run = run("--help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Usage: accretion").contains("Exit codes");
  }

  @Test
  void unknownOption_isUsageErrorWithOneLineMessage() {
    Run run = run("--bogus");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("accretion: Unknown option: '--bogus'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noCommand_isUsageError() {
    Run run = run();
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing a command");
  }

  @Test
  void runtimes_listsTheMatrixWithOsAndGlibc() {
    Run run = run("runtimes");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("python3.11   python   Amazon Linux 2     2.26")
        .contains("python3.12   python   Amazon Linux 2023  2.34")
        .contains("nodejs20.x")
        .contains("java21");
  }

  @Test
  void runtimes_forOneTargetShowsTagsAndMarkers() {
    Run run = run("runtimes", "python3.12", "--arch", "arm64");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("platform_machine = aarch64")
        .contains("cp312-cp312-manylinux_2_34_aarch64")
        .contains("py3-none-any");
    assertThat(run.out().indexOf("cp312-cp312-manylinux_2_34_aarch64"))
        .isLessThan(run.out().indexOf("cp312-abi3-manylinux_2_34_aarch64"));
  }

  @Test
  void runtimes_unknownRuntimeSuggestsTheClosest() {
    Run run = run("runtimes", "python3.1O");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("python3.1O").contains("python3.1");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"lock", "runtimes", "publish", "ls", "describe", "diff", "arn", "prune"})
  void everyCommand_hasHelpWithExamples(String command) {
    Run run = run(command, "--help");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("Usage: accretion " + command)
        .contains("accretion " + command + " ");
  }
}
