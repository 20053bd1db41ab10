package dev.accretion.core.archive;

import dev.accretion.testkit.Python;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The real wheels of the machine's local mirror, found the way pip finds them: the {@code file://}
 * indexes of {@code extra-index-url}/{@code index-url} in {@code pip config list} (their files sit
 * in a sibling {@code files} folder) plus the {@code find-links} folders (and {@code
 * PIP_FIND_LINKS}). Fails loudly when none are found: tests that need them must not pass without.
 */
public final class MirrorWheels {
  private static List<Path> cached;

  private MirrorWheels() {}

  /** Every {@code .whl} file, sorted by file name then path. */
  public static synchronized List<Path> all() throws IOException {
    if (cached != null) {
      return cached;
    }
    Set<Path> folders = new LinkedHashSet<>();
    Python.Result config = Python.of("3.11").run(List.of("-m", "pip", "config", "list"), null);
    if (config.code() != 0) {
      throw new AssertionError("pip config list failed: " + config.stderr());
    }
    for (String line : config.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("'") || value.startsWith("\""))) {
        value = value.substring(1, value.length() - 1);
      }
      if (key.endsWith("index-url")) {
        for (String url : value.split("\\s+")) {
          if (url.startsWith("file:")) {
            Path simple = Path.of(URI.create(url));
            folders.add(simple.resolveSibling("files"));
          }
        }
      } else if (key.endsWith("find-links")) {
        for (String link : value.split("\\s+")) {
          folders.add(link.startsWith("file:") ? Path.of(URI.create(link)) : Path.of(link));
        }
      }
    }
    String env = System.getenv("PIP_FIND_LINKS");
    if (env != null) {
      for (String link : env.split("\\s+")) {
        if (!link.isBlank()) {
          folders.add(link.startsWith("file:") ? Path.of(URI.create(link)) : Path.of(link));
        }
      }
    }
    List<Path> wheels = new ArrayList<>();
    for (Path folder : folders) {
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          files.filter(p -> p.getFileName().toString().endsWith(".whl")).forEach(wheels::add);
        }
      }
    }
    if (wheels.isEmpty()) {
      throw new AssertionError(
          "no wheels found in the pip configuration's file:// indexes and find-links "
              + folders
              + "; these tests need the local wheel mirror");
    }
    wheels.sort(
        (a, b) -> {
          int c = a.getFileName().toString().compareTo(b.getFileName().toString());
          return c != 0 ? c : a.compareTo(b);
        });
    cached = List.copyOf(wheels);
    return cached;
  }

  /** The wheel whose file name starts with {@code prefix} (e.g. "numpy-2.2.6-"); fails if none. */
  public static Path named(String prefix) throws IOException {
    return all().stream()
        .filter(p -> p.getFileName().toString().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no wheel named " + prefix + "* in the mirror"));
  }
}
