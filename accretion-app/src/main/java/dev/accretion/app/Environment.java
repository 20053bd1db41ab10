package dev.accretion.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a use case may read of the world it runs in: environment variables (pip's {@code PIP_*},
 * {@code AWS_*}, {@code ACCRETION_CACHE_DIR}...), the user's home and the folder relative paths are
 * resolved against. Use cases never read {@code System.getenv} or {@code user.home}, so the CLI,
 * the service and tests each give their own. Immutable.
 *
 * @param variables the environment variables (copied)
 * @param home the user's home folder
 * @param workingDirectory absolute; relative paths of a request are resolved against it
 */
public record Environment(Map<String, String> variables, Path home, Path workingDirectory) {
  public Environment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(home, "home");
    workingDirectory = workingDirectory.toAbsolutePath().normalize();
  }

  /** An environment whose home is {@code $HOME}, else the JVM's {@code user.home}. */
  public static Environment of(Map<String, String> variables, Path workingDirectory) {
    String home = variables.get("HOME");
    return new Environment(
        variables,
        Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home")),
        workingDirectory);
  }

  /** A path of a request, relative to the working directory. */
  public Path resolve(Path path) {
    return workingDirectory.resolve(path).normalize();
  }
}
