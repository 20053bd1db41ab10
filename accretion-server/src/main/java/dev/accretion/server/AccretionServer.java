package dev.accretion.server;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import io.javalin.Javalin;
import java.util.List;

/**
 * A running service instance: the database opened and migrated, the job runner started, the HTTP
 * API listening. {@link #close} shuts it down gracefully: no new requests or jobs, running builds
 * finish within the grace period (a build cut short is picked up again later, by this or another
 * instance), then the database is closed.
 */
public final class AccretionServer implements AutoCloseable {
  private final Database database;
  private final BuildJobs jobs;
  private final Javalin http;
  private final Api api;

  private AccretionServer(Database database, BuildJobs jobs, Javalin http, Api api) {
    this.database = database;
    this.jobs = jobs;
    this.http = http;
    this.api = api;
  }

  /**
   * Starts an instance.
   *
   * @throws AccretionException when the database cannot be opened or migrated, or the port is taken
   */
  public static AccretionServer start(ServerConfig config) throws AccretionException {
    Database database =
        Database.open(
            config.databaseUrl(),
            config.dataDir(),
            config.env(),
            Math.max(4, config.threads() * 2 + 4));
    try {
      Store store = new Store(database.dataSource());
      Tokens tokens = new Tokens(database.dataSource());
      Metrics metrics = new Metrics();
      Environment environment = new Environment(config.env(), config.home(), config.dataDir());
      AwsAccess aws = new AwsAccess(null, config.endpointUrl(), null);
      Fresh fresh = new Fresh(database.dataSource(), store, environment, config.upstreamInterval());
      BuildJobs jobs =
          new BuildJobs(database.dataSource(), store, environment, aws, config, metrics, fresh);
      fresh.bind(jobs);
      Api api = new Api(config, store, tokens, jobs, metrics, environment, aws);
      Javalin http =
          Javalin.create(
              c -> {
                api.configure(c);
                fresh.routes(c.routes);
              });
      try {
        http.start();
      } catch (RuntimeException e) {
        throw new AccretionException(
            FailureKind.USAGE,
            "cannot listen on "
                + config.bind()
                + ":"
                + config.port()
                + ": "
                + Database.rootMessage(e),
            "choose another --port or --bind",
            e);
      }
      jobs.start();
      api.ready(true);
      return new AccretionServer(database, jobs, http, api);
    } catch (AccretionException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The port the API listens on. */
  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    api.ready(false);
    http.stop();
    jobs.stop();
    database.close();
  }

  /**
   * The token store of a service's database, for {@code accretion serve token ...} (the service
   * need not be running).
   */
  public static final class TokenAdmin implements AutoCloseable {
    private final Database database;
    private final Tokens tokens;

    private TokenAdmin(Database database) {
      this.database = database;
      this.tokens = new Tokens(database.dataSource());
    }

    /** Opens (and migrates) the database of {@code config}. */
    public static TokenAdmin open(ServerConfig config) throws AccretionException {
      return new TokenAdmin(Database.open(config.databaseUrl(), config.dataDir(), config.env(), 2));
    }

    public Tokens.Created create(Scope scope, String name) throws AccretionException {
      return tokens.create(scope, name);
    }

    public List<Tokens.Info> list() throws AccretionException {
      return tokens.list();
    }

    public Tokens.Info revoke(String idOrName) throws AccretionException {
      return tokens.revoke(idOrName);
    }

    @Override
    public void close() {
      database.close();
    }
  }
}
