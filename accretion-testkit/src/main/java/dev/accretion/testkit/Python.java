package dev.accretion.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the real Python interpreters tests use as oracles and peers (Python's {@code packaging},
 * pip, the interpreter that imports a built layer). Never skips: a missing interpreter fails the
 * test with a message saying what was looked for, because CI must not pass without its oracles.
 */
public final class Python {
  private static final Map<String, Path> FOUND = new ConcurrentHashMap<>();

  private final Path executable;
  private final String version;

  private Python(Path executable, String version) {
    this.executable = executable;
    this.version = version;
  }

  /**
   * Returns an interpreter for {@code major.minor} (e.g. "3.11"): {@code pythonX.Y} on PATH if it
   * runs, else {@code $PYENV_ROOT/versions/X.Y.*}/bin/pythonX.Y (pyenv shims only answer for the
   * selected version), else fails.
   */
  public static Python of(String majorMinor) {
    Path path =
        FOUND.computeIfAbsent(
            majorMinor,
            v -> {
              List<Path> candidates = new ArrayList<>();
              String pathVar = System.getenv().getOrDefault("PATH", "");
              for (String dir : pathVar.split(":")) {
                if (!dir.isEmpty()) {
                  candidates.add(Path.of(dir, "python" + v));
                }
              }
              String pyenvRoot =
                  System.getenv()
                      .getOrDefault(
                          "PYENV_ROOT",
                          Path.of(System.getProperty("user.home"), ".pyenv").toString());
              Path versions = Path.of(pyenvRoot, "versions");
              if (Files.isDirectory(versions)) {
                try (Stream<Path> dirs = Files.list(versions)) {
                  dirs.filter(d -> d.getFileName().toString().startsWith(v + "."))
                      .sorted(Comparator.reverseOrder())
                      .forEach(d -> candidates.add(d.resolve("bin").resolve("python" + v)));
                } catch (IOException e) {
                  // fall through to the failure below
                }
              }
              for (Path candidate : candidates) {
                if (Files.isExecutable(candidate) && reports(candidate, v)) {
                  return candidate;
                }
              }
              throw new AssertionError(
                  "No Python "
                      + v
                      + " interpreter found (looked for python"
                      + v
                      + " on PATH and under "
                      + versions
                      + "); the tests need it as an oracle");
            });
    return new Python(path, majorMinor);
  }

  private static boolean reports(Path candidate, String majorMinor) {
    try {
      Result r =
          exec(
              List.of(
                  candidate.toString(), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"),
              null,
              Map.of(),
              30);
      return r.code() == 0 && r.stdout().strip().equals(majorMinor);
    } catch (IOException e) {
      return false;
    }
  }

  public Path executable() {
    return executable;
  }

  public String version() {
    return version;
  }

  /** Runs {@code python args...}; stdin may be null. */
  public Result run(List<String> args, String stdin) throws IOException {
    return run(args, stdin, Map.of(), 600);
  }

  /** Runs {@code python args...} with extra environment variables and a timeout in seconds. */
  public Result run(List<String> args, String stdin, Map<String, String> env, long timeoutSeconds)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    return exec(command, stdin, env, timeoutSeconds);
  }

  /**
   * Runs a Python script given as text, feeding {@code stdin}; fails the test on a non-zero exit.
   */
  public String script(String code, String stdin) throws IOException {
    Result r = run(List.of("-c", code), stdin);
    if (r.code() != 0) {
      throw new AssertionError(
          "python" + version + " script failed (exit " + r.code() + "):\n" + r.stderr());
    }
    return r.stdout();
  }

  /** A finished process. */
  public record Result(int code, String stdout, String stderr) {}

  /** Runs any command, capturing stdout and stderr as UTF-8. */
  public static Result exec(
      List<String> command, String stdin, Map<String, String> env, long timeoutSeconds)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Path out = Files.createTempFile("accretion-proc", ".out");
    Path err = Files.createTempFile("accretion-proc", ".err");
    try {
      builder.redirectOutput(out.toFile());
      builder.redirectError(err.toFile());
      Process process = builder.start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after " + timeoutSeconds + "s: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
