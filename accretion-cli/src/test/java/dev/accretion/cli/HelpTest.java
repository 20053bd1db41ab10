package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.build.ListingFormats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Command;

/** Help text as a new user reads it in an 80-column terminal (issue 17). */
class HelpTest {
  /**
   * Every command and subcommand the CLI has, by its full name ("cache verify"), found from {@link
   * Cli#COMMANDS} and each command's {@code subcommands}: a command added later is checked too.
   */
  private static final Map<String, Class<?>> COMMANDS = allCommands();

  private static Map<String, Class<?>> allCommands() {
    Map<String, Class<?>> all = new java.util.TreeMap<>();
    for (Map.Entry<String, Class<?>> e : Cli.COMMANDS.entrySet()) {
      // help, and the hidden internal-* commands the build runs (they take no --help)
      if (!e.getKey().equals("help") && !e.getKey().startsWith("internal-")) {
        add(all, e.getKey(), e.getValue());
      }
    }
    return all;
  }

  private static void add(Map<String, Class<?>> all, String name, Class<?> type) {
    all.put(name, type);
    Command command = type.getAnnotation(Command.class);
    for (Class<?> sub : command.subcommands()) {
      add(all, name + " " + sub.getAnnotation(Command.class).name(), sub);
    }
  }

  static java.util.stream.Stream<String> commands() {
    return COMMANDS.keySet().stream();
  }

  @Test
  void everyCommandIsChecked() {
    assertThat(COMMANDS)
        .containsKeys("lock", "build", "cache verify", "efs gc", "efs worker", "serve", "inspect")
        .hasSizeGreaterThan(20);
  }

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
  @MethodSource("commands")
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
