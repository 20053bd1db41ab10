package dev.accretion.pipeline.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The environment a build runs in. Builders read environment variables, the home folder and the
 * working directory only from here (never {@code System.getenv} or {@code user.home}), so the CLI,
 * the service and tests can each give their own. Immutable.
 *
 * @param env the environment variables (copied)
 * @param home the user's home folder (for {@code ~/.netrc}, {@code ~/.npmrc}, {@code
 *     ~/.m2/settings.xml}, pip's user configuration)
 * @param workingDirectory what relative paths in options are relative to
 * @param cacheRoot the shared cache's root folder; a builder may keep its own files (HTTP page
 *     caches, a Maven local repository) under {@code cacheRoot/<builder id>/}
 * @param listener receives progress and warnings; called from several threads
 */
public record BuildContext(
    Map<String, String> env,
    Path home,
    Path workingDirectory,
    Path cacheRoot,
    BuildListener listener) {
  public BuildContext {
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Objects.requireNonNull(listener, "listener");
  }

  /** The folder a builder may keep its own cached files in: {@code cacheRoot/<builderId>}. */
  public Path builderCache(String builderId) {
    return cacheRoot.resolve(builderId);
  }
}
