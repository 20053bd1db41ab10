package dev.accretion.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** What a command may touch: its output streams and its environment (never System.*). */
record Context(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDirectory) {
  Context {
    env = Map.copyOf(env);
  }

  /** The user's home: {@code $HOME}, else the JVM's idea of it. */
  Path home() {
    String home = env.get("HOME");
    return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
  }

  /** A path from the command line, relative to the working directory. */
  Path resolve(Path path) {
    return workingDirectory.resolve(path).normalize();
  }

  /** Whether progress may be drawn on stderr (an interactive terminal, not CI). */
  boolean interactive() {
    return System.console() != null && !env.containsKey("CI") && !"dumb".equals(env.get("TERM"));
  }
}
