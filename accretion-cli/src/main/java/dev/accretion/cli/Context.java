package dev.accretion.cli;

import dev.accretion.app.Environment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch: its output streams, its environment (never System.*) and how progress
 * may be shown on stderr.
 */
record Context(
    PrintWriter out,
    PrintWriter err,
    Map<String, String> env,
    Path workingDirectory,
    ProgressStyle progressStyle) {
  Context {
    env = Map.copyOf(env);
  }

  /** How progress appears on stderr. */
  enum ProgressStyle {
    /** An interactive terminal: one self-overwriting status line. */
    LIVE,
    /** A log (CI, a pipe, a file): one plain line per finished stage, as uv and pip print them. */
    PLAIN,
    /** Nothing but warnings (in-process runs that don't ask for more). */
    OFF;

    /**
     * The style for a process whose stderr is a terminal or not: a terminal that is not marked as
     * CI or dumb draws; anything else gets plain lines.
     */
    static ProgressStyle detect(boolean stderrIsTerminal, Map<String, String> env) {
      return stderrIsTerminal && !env.containsKey("CI") && !"dumb".equals(env.get("TERM"))
          ? LIVE
          : PLAIN;
    }
  }

  /** The environment use cases run in. */
  Environment environment() {
    return Environment.of(env, workingDirectory);
  }

  /** A path from the command line, relative to the working directory. */
  Path resolve(Path path) {
    return workingDirectory.resolve(path).normalize();
  }
}
