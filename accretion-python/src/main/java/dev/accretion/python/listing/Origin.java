package dev.accretion.python.listing;

import java.nio.file.Path;

/**
 * Where a requirement came from, for messages: a file and a 1-based line, or a command-line
 * argument (file null).
 */
public record Origin(Path file, int line) {
  public static Origin commandLine() {
    return new Origin(null, 0);
  }

  @Override
  public String toString() {
    if (file == null) {
      return "the command line";
    }
    return line > 0 ? file + ":" + line : file.toString();
  }
}
