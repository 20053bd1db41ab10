package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.build.ListingFormats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

/** Help text as a new user reads it in an 80-column terminal (issue 17). */
class HelpTest {
  private static final Map<String, Class<?>> COMMANDS =
      Map.ofEntries(
          Map.entry("lock", LockCommand.class),
          Map.entry("build", BuildCommand.class),
          Map.entry("cache", CacheCommand.class),
          Map.entry("cache ls", CacheLsCommand.class),
          Map.entry("cache verify", CacheVerifyCommand.class),
          Map.entry("cache gc", CacheGcCommand.class),
          Map.entry("runtimes", RuntimesCommand.class),
          Map.entry("publish", PublishCommand.class),
          Map.entry("ls", LsCommand.class),
          Map.entry("describe", DescribeCommand.class),
          Map.entry("diff", DiffCommand.class),
          Map.entry("arn", ArnCommand.class),
          Map.entry("prune", PruneCommand.class),
          Map.entry("template", TemplateCommand.class),
          Map.entry("template update", TemplateUpdateCommand.class),
          Map.entry("functions", FunctionsCommand.class),
          Map.entry("functions sync", FunctionsSyncCommand.class),
          Map.entry("efs", EfsCommand.class),
          Map.entry("efs install", EfsInstallCommand.class),
          Map.entry("efs bootstrap", EfsBootstrapCommand.class),
          Map.entry("efs ls", EfsLsCommand.class),
          Map.entry("efs gc", EfsGcCommand.class),
          Map.entry("efs request", EfsRequestCommand.class),
          Map.entry("efs worker", EfsWorkerCommand.class));

  @Test
  void buildAndLockHelp_listEveryFormat() {
    assertThat(ListingFormats.ids())
        .contains("requirements", "pyproject", "pylock", "uv-lock", "poetry-lock", "pipfile-lock");
    for (String command : List.of("build", "lock")) {
      String help = CliTest.run(command, "--help").out().replaceAll("\\s+", " ");
      for (String format : ListingFormats.ids()) {
        assertThat(help).as(command + " --help").contains(format);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lock",
        "build",
        "cache",
        "cache ls",
        "cache verify",
        "cache gc",
        "runtimes",
        "publish",
        "ls",
        "describe",
        "diff",
        "arn",
        "prune",
        "template",
        "template update",
        "functions",
        "functions sync",
        "efs",
        "efs install",
        "efs bootstrap",
        "efs ls",
        "efs gc",
        "efs request",
        "efs worker"
      })
  void examples_areWholeLinesAt80Columns(String command) {
    List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
    args.add("--help");
    CliTest.Run run = CliTest.run(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    Command annotation = COMMANDS.get(command).getAnnotation(Command.class);
    List<String> examples = new ArrayList<>();
    for (String line : annotation.footer()) {
      if (line.startsWith("  ")) {
        examples.add(line);
      }
    }
    for (String line : annotation.description()) {
      if (line.startsWith("  ")) {
        examples.add(line);
      }
    }
    for (String example : examples) {
      assertThat(example.length()).as("'%s' fits 80 columns", example).isLessThanOrEqualTo(80);
      assertThat(lines).as("help of %s shows '%s' on one line", command, example).contains(example);
    }
  }
}
