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
}
