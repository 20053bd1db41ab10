package dev.accretion.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The service's database: the embedded H2 file database under the data folder, or PostgreSQL by
 * URL; its schema created and migrated by Flyway's versioned migrations ({@code db/migration}).
 */
final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final boolean postgres;

  private Database(HikariDataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
  }

  /**
   * Opens (and migrates) the database.
   *
   * @throws AccretionException a usage failure for a URL that is neither PostgreSQL nor H2; a
   *     failure naming the URL when the database cannot be reached or migrated
   */
  static Database open(String url, Path dataDir, Map<String, String> env, int poolSize)
      throws AccretionException {
    return open(url, dataDir, env, poolSize, java.time.Duration.ofSeconds(10));
  }

  /** Opens (and migrates) the database, waiting up to {@code wait} for it to accept connections. */
  static Database open(
      String url, Path dataDir, Map<String, String> env, int poolSize, java.time.Duration wait)
      throws AccretionException {
    String jdbc = jdbcUrl(url, dataDir);
    boolean postgres = jdbc.startsWith("jdbc:postgresql:");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbc);
    if (env.get("ACCRETION_DATABASE_USER") != null) {
      config.setUsername(env.get("ACCRETION_DATABASE_USER"));
    }
    if (env.get("ACCRETION_DATABASE_PASSWORD") != null) {
      config.setPassword(env.get("ACCRETION_DATABASE_PASSWORD"));
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("accretion");
    config.setInitializationFailTimeout(Math.max(1, wait.toMillis()));
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          "cannot open the database " + redact(jdbc) + ": " + rootMessage(e),
          "check the URL, that the server runs, and ACCRETION_DATABASE_USER/_PASSWORD",
          e);
    }
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .placeholders(Map.of("binary", postgres ? "BYTEA" : "VARBINARY(1000000)"))
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new AccretionException(
          FailureKind.FAILED,
          "cannot migrate the database " + redact(jdbc) + ": " + rootMessage(e),
          null,
          e);
    }
    return new Database(ds, postgres);
  }

  /**
   * The JDBC URL: {@code url}, or the embedded database's under {@code dataDir} (its folder
   * created).
   *
   * @throws AccretionException a usage failure for a URL that is neither PostgreSQL nor H2
   */
  static String jdbcUrl(String url, Path dataDir) throws AccretionException {
    String jdbc = url;
    if (jdbc == null) {
      try {
        Files.createDirectories(dataDir.resolve("db"));
      } catch (java.io.IOException e) {
        throw new AccretionException(
            FailureKind.FAILED, "cannot create " + dataDir.resolve("db") + ": " + e, e);
      }
      // AUTO_SERVER: "serve token create" may open the database while the service runs
      jdbc =
          "jdbc:h2:file:"
              + dataDir.resolve("db").resolve("accretion").toAbsolutePath()
              + ";AUTO_SERVER=TRUE";
    }
    if (!jdbc.startsWith("jdbc:postgresql:") && !jdbc.startsWith("jdbc:h2:")) {
      throw new AccretionException(
          FailureKind.USAGE,
          "--database '" + jdbc + "': not a PostgreSQL or H2 JDBC URL",
          "give jdbc:postgresql://HOST:5432/DB, or leave --database out for the embedded one",
          null);
    }
    return jdbc;
  }

  DataSource dataSource() {
    return dataSource;
  }

  boolean postgres() {
    return postgres;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** The URL without a password parameter. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
