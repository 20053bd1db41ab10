package dev.accretion.python.install;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code --slim} and {@code --slim-pattern} leave out of a layer. With {@code slim}: {@code
 * __pycache__} folders and {@code *.pyc} / {@code *.pyo} files (byte code the interpreter can
 * rebuild). Each pattern is a glob matched against a path relative to the folder packages install
 * into ({@code numpy/core/tests/test_x.py}) and against each of its parent folders, so {@code
 * *}{@code /tests} drops every {@code tests} folder one level down: {@code *} matches within one
 * path segment, {@code **} across segments ({@code **}{@code /tests} matches at any depth), {@code
 * ?} one character. Globs are the JDK's {@link java.nio.file.FileSystem#getPathMatcher} glob syntax
 * (so {@code [abc]} and {@code {a,b}} work too), with one addition that keeps the documented
 * meaning of {@code **}{@code /}: it may also match no folder at all ({@code **}{@code /tests}
 * matches a top-level {@code tests}, {@code a/**}{@code /b} matches {@code a/b}), which the JDK's
 * glob alone does not. Nothing inside a {@code .dist-info} folder is ever dropped: {@code
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
      glob(p);
    }
  }

  /** Keeps everything. */
  public static Slimming none() {
    return new Slimming(false, List.of());
  }

  private List<PathMatcher> compiled() {
    List<PathMatcher> out = new ArrayList<>();
    for (String p : patterns) {
      out.addAll(glob(p));
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
    private final List<PathMatcher> patterns;

    private Matcher(boolean slim, List<PathMatcher> patterns) {
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
        Path prefix = Path.of(path.substring(0, end));
        for (PathMatcher p : patterns) {
          if (p.matches(prefix)) {
            return true;
          }
        }
        end = path.lastIndexOf('/', end - 1);
      }
      return false;
    }
  }

  /**
   * The JDK path matchers of a glob: the glob itself and, for every {@code **}{@code /} in it, the
   * glob without it (so that {@code **}{@code /} also matches no folder).
   *
   * @throws IllegalArgumentException naming the pattern when the JDK refuses its syntax
   */
  static List<PathMatcher> glob(String glob) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(glob);
    for (int round = 0; round < 4; round++) {
      Set<String> more = new LinkedHashSet<>();
      for (String v : variants) {
        for (int at = v.indexOf("**/"); at >= 0; at = v.indexOf("**/", at + 1)) {
          more.add(v.substring(0, at) + v.substring(at + 3));
        }
      }
      if (!variants.addAll(more)) {
        break;
      }
    }
    List<PathMatcher> out = new ArrayList<>();
    for (String v : variants) {
      if (v.isEmpty()) {
        continue;
      }
      try {
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + v));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "slim pattern '" + glob + "' is not a valid glob: " + e.getDescription(), e);
      }
    }
    return out;
  }
}
