package dev.accretion.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a service instance runs. Immutable.
 *
 * @param port the HTTP port (0: any free one)
 * @param bind the address to listen on
 * @param databaseUrl a {@code jdbc:postgresql://...} URL, or null for the embedded database under
 *     {@code dataDir}
 * @param dataDir the service's files: the embedded database, build work folders, the build cache
 * @param env the environment (AWS settings, pip configuration, database user and password)
 * @param home the user's home folder
 * @param endpointUrl every AWS call goes here (an emulator), or null for the environment's
 * @param publicRead reads need no token
 * @param allowCommandBuilders definitions with a builder that runs code are accepted (admin tokens
 *     only)
 * @param threads builds run at once on this instance
 * @param heartbeat how often a running job proves its instance alive; a job whose instance missed
 *     four is picked up by another
 * @param shutdownGrace how long SIGTERM waits for running builds
 * @param databaseWait how long start-up waits for the database to accept connections (the API
 *     answers 503 meanwhile)
 * @param builderPath builder plug-in jars the server loads (used only with {@code
 *     allowCommandBuilders}, by admin tokens)
 * @param upstreamInterval how often the upstream watcher polls the indexes (zero: no watcher)
 */
public record ServerConfig(
    int port,
    String bind,
    String databaseUrl,
    Path dataDir,
    Map<String, String> env,
    Path home,
    URI endpointUrl,
    boolean publicRead,
    boolean allowCommandBuilders,
    int threads,
    Duration heartbeat,
    Duration shutdownGrace,
    Duration databaseWait,
    java.util.List<Path> builderPath,
    Duration upstreamInterval) {
  /** This with another upstream polling interval. */
  public ServerConfig withUpstreamInterval(Duration interval) {
    return new ServerConfig(
        port,
        bind,
        databaseUrl,
        dataDir,
        env,
        home,
        endpointUrl,
        publicRead,
        allowCommandBuilders,
        threads,
        heartbeat,
        shutdownGrace,
        databaseWait,
        builderPath,
        interval);
  }

  public ServerConfig {
    Objects.requireNonNull(databaseWait, "databaseWait");
    builderPath = java.util.List.copyOf(builderPath);
    Objects.requireNonNull(upstreamInterval, "upstreamInterval");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
  }

  /** The data folder when none is given: {@code $XDG_DATA_HOME/accretion}, else under home. */
  public static Path defaultDataDir(Map<String, String> env, Path home) {
    String xdg = env.get("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share"))
        .resolve("accretion");
  }
}
