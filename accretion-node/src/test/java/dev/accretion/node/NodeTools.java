package dev.accretion.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Node.js and npm on this machine, used as oracles. A missing tool fails the test that
 * needs it: these tests never skip.
 */
public final class NodeTools {
  private NodeTools() {}

  /** The output of a finished process. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result requireSuccess(String what) {
      if (exitCode != 0) {
        throw new AssertionError(
            what + " failed with exit " + exitCode + ":\n" + stdout + "\n" + stderr);
      }
      return this;
    }
  }

  /** The npm package folder (npm's own dependencies live in its node_modules). */
  public static Path npmRoot() {
    String out =
        run(List.of("npm", "root", "-g"), null, null, Map.of())
            .requireSuccess("npm root -g")
            .stdout()
            .strip();
    Path p = Path.of(out, "npm");
    if (!Files.isDirectory(p.resolve("node_modules/semver"))) {
      throw new AssertionError(
          "npm's semver package is not at " + p.resolve("node_modules/semver"));
    }
    return p;
  }

  /** Runs a command; stdin is {@code input} (or empty). */
  public static Result run(List<String> command, Path dir, String input, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new AssertionError(
            "cannot start "
                + command.get(0)
                + " (Node.js 20 and npm 11 must be on PATH): "
                + e.getMessage(),
            e);
      }
      Thread err = null;
      ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
      err = new Thread(() -> copy(p.getErrorStream(), errBytes));
      err.start();
      ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
      Thread out = new Thread(() -> copy(p.getInputStream(), outBytes));
      out.start();
      try (var stdin = p.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(command + " timed out");
      }
      out.join();
      err.join();
      return new Result(
          p.exitValue(),
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended
    }
  }
}
