package dev.accretion.cli;

import java.io.PrintWriter;
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
    int code = Cli.execute(args, out, err, System.getenv(), Path.of(""));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the CLI in-process; used by tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return Cli.execute(args, out, err, env, Path.of(""));
  }

  /** Runs the CLI in-process in a given working directory; used by tests. */
  public static int run(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd) {
    return Cli.execute(args, out, err, env, cwd);
  }
}
