package dev.accretion.cli;

import dev.accretion.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the service keeps its data: the database and the data folder. */
final class ServeOptions {
  @Option(
      names = "--database",
      paramLabel = "JDBC-URL",
      description =
          "PostgreSQL, like jdbc:postgresql://127.0.0.1:5432/accretion (user and password in the"
              + " URL or $ACCRETION_DATABASE_USER/_PASSWORD); default: the embedded database"
              + " under --data-dir.")
  String database;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The service's files: embedded database, build folders, build cache (default:"
              + " $XDG_DATA_HOME/accretion, else ~/.local/share/accretion).")
  Path dataDir;

  ServerConfig config(
      Context context,
      int port,
      String bind,
      URI endpointUrl,
      boolean publicRead,
      boolean allowCommandBuilders,
      int threads,
      Duration heartbeat,
      Duration grace,
      Duration databaseWait,
      java.util.List<Path> builderPath) {
    var env = context.environment();
    Path dir =
        dataDir != null
            ? context.resolve(dataDir)
            : ServerConfig.defaultDataDir(env.variables(), env.home());
    return new ServerConfig(
        port,
        bind,
        database,
        dir.toAbsolutePath().normalize(),
        env.variables(),
        env.home(),
        endpointUrl,
        publicRead,
        allowCommandBuilders,
        threads,
        heartbeat,
        grace,
        databaseWait,
        builderPath.stream().map(p -> context.resolve(p).toAbsolutePath().normalize()).toList(),
        java.time.Duration.ofMinutes(10));
  }

  ServerConfig config(Context context) {
    return config(
        context,
        0,
        "127.0.0.1",
        null,
        false,
        false,
        1,
        Duration.ofSeconds(10),
        Duration.ZERO,
        Duration.ofSeconds(10),
        java.util.List.of());
  }
}
