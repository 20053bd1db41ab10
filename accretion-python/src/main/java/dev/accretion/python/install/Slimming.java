package dev.accretion.python.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code --slim} and {@code --slim-pattern} leave out of a layer. With {@code slim}: {@code
 * __pycache__} folders and {@code *.pyc} / {@code *.pyo} files (byte code the interpreter can
 * rebuild). Each pattern is a glob matched against a path relative to the folder packages install
 * into ({@code numpy/core/tests/test_x.py}) and against each of its parent folders, so {@code
 * *}{@code /tests} drops every {@code tests} folder one level down: {@code *} matches within one
 * path segment, {@code **} across segments ({@code **}{@code /tests} matches at any depth), {@code
 * ?} one character. Nothing inside a {@code .dist-info} folder is ever dropped: {@code
 * importlib.metadata} needs it. Immutable.
 *
 * @param slim drop byte code
 * @param patterns the extra globs
 */
public record Slimming(boolean slim, List<String> patterns) {
  public Slimming {
    patterns = List.copyOf(patterns);
    for (String p : patterns) {
      if (p.isBlank() || p.startsWith("/")) {
        throw new IllegalArgumentException(
            "slim pattern '" + p + "' must be a relative glob such as */tests");
      }
    }
  }

  /** Keeps everything. */
  public static Slimming none() {
    return new Slimming(false, List.of());
  }

  private List<Pattern> compiled() {
    List<Pattern> out = new ArrayList<>();
    for (String p : patterns) {
      out.add(glob(p));
    }
    return out;
  }

  /** A matcher for paths relative to the install folder. */
  public Matcher matcher() {
    return new Matcher(slim, compiled());
  }

  /** Thread-safe test of paths. */
  public static final class Matcher {
    private final boolean slim;
    private final List<Pattern> patterns;

    private Matcher(boolean slim, List<Pattern> patterns) {
      this.slim = slim;
      this.patterns = patterns;
    }

    /** Whether nothing is ever dropped. */
    public boolean keepsEverything() {
      return !slim && patterns.isEmpty();
    }

    /**
     * Whether {@code path} (relative to the install folder, {@code /}-separated) is left out. Never
     * true for anything in a {@code .dist-info} folder.
     */
    public boolean drops(String path) {
      Objects.requireNonNull(path, "path");
      String[] segments = path.split("/");
      for (String segment : segments) {
        if (segment.endsWith(".dist-info")) {
          return false;
        }
      }
      if (slim) {
        String last = segments[segments.length - 1];
        if (last.endsWith(".pyc") || last.endsWith(".pyo")) {
          return true;
        }
        for (String segment : segments) {
          if (segment.equals("__pycache__")) {
            return true;
          }
        }
      }
      if (patterns.isEmpty()) {
        return false;
      }
      int end = path.length();
      while (end > 0) {
        String prefix = path.substring(0, end);
        for (Pattern p : patterns) {
          if (p.matcher(prefix).matches()) {
            return true;
          }
        }
        end = path.lastIndexOf('/', end - 1);
      }
      return false;
    }
  }

  /** Translates a glob to a regular expression. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
          // "**/" may match nothing: "**/tests" matches "tests" too
          re.append(slash ? "(?:.*/)?" : ".*");
          i += slash ? 3 : 2;
          continue;
        }
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return Pattern.compile(re.toString());
  }
}
