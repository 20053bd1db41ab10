package dev.accretion.cli;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Entry point of the {@code accretion} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    Map<String, String> env = System.getenv();
    int code =
        Cli.execute(
            args, out, err, env, Path.of(""), Context.ProgressStyle.detect(isTerminal(), env));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Whether this process talks to a terminal. The JDK can't ask about stderr alone: a console
   * exists when the process was started from a terminal, and from JDK 22 {@code
   * Console.isTerminal()} says whether it still is one (stdin and stdout not redirected).
   */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Runs the CLI in-process; used by tests. Progress: warnings only. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return run(args, out, err, env, Path.of(""));
  }

  /** Runs the CLI in-process in a given working directory; used by tests. Warnings only. */
  public static int run(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd) {
    return Cli.execute(args, out, err, env, cwd, Context.ProgressStyle.OFF);
  }

  /**
   * Runs the CLI in-process as a process whose stderr is ({@code true}) or is not a terminal:
   * progress is drawn, or printed as one plain line per stage.
   */
  public static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      Path cwd,
      boolean stderrIsTerminal) {
    return Cli.execute(
        args, out, err, env, cwd, Context.ProgressStyle.detect(stderrIsTerminal, env));
  }
}
