package dev.accretion.cli;

import java.io.PrintWriter;
import java.util.Map;

/** What a command may touch: its output streams and its environment (never System.*). */
record Context(PrintWriter out, PrintWriter err, Map<String, String> env) {
  Context {
    env = Map.copyOf(env);
  }
}
