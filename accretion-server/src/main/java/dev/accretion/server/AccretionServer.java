package dev.accretion.server;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import io.javalin.Javalin;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running service instance: the database opened and migrated, the job runner started, the HTTP
 * API listening. {@link #close} shuts it down gracefully: no new requests or jobs, running builds
 * finish within the grace period (a build cut short is picked up again later, by this or another
 * instance), then the database is closed.
 */
public final class AccretionServer implements AutoCloseable {
  private final CompletableFuture<Database> database;
  private final BuildJobs jobs;
  private final Javalin http;
  private final Api api;
  private final java.util.concurrent.atomic.AtomicBoolean closed;

  private AccretionServer(
      CompletableFuture<Database> database,
      BuildJobs jobs,
      Javalin http,
      Api api,
      java.util.concurrent.atomic.AtomicBoolean closed) {
    this.closed = closed;
    this.database = database;
    this.jobs = jobs;
    this.http = http;
    this.api = api;
  }

  /**
   * Starts an instance: the API listens at once and answers 503 (and {@code /health} "starting")
   * until the database is open and migrated and the job runner is up, which happens in the
   * background ({@link #awaitReady}).
   *
   * @throws AccretionException when the database URL is not a supported one, or the port is taken
   */
  public static AccretionServer start(ServerConfig config) throws AccretionException {
    Database.jdbcUrl(config.databaseUrl(), config.dataDir()); // a bad URL fails here, at once
    DeferredDataSource db = new DeferredDataSource();
    Store store = new Store(db);
    Tokens tokens = new Tokens(db);
    Metrics metrics = new Metrics();
    Environment environment = new Environment(config.env(), config.home(), config.dataDir());
    AwsAccess aws = new AwsAccess(null, config.endpointUrl(), null);
    RecordedVersions recorded = new RecordedVersions(db, environment, aws);
    Artifacts artifacts = new Artifacts(config.dataDir(), store);
    Fresh fresh = new Fresh(db, store, environment, config.upstreamInterval());
    BuildJobs jobs =
        new BuildJobs(store, recorded, artifacts, environment, aws, config, metrics, fresh);
    fresh.bind(jobs);
    Api api = new Api(config, store, tokens, jobs, metrics, environment, aws, recorded, artifacts);
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
    CompletableFuture<Database> opened = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread starter =
        new Thread(
            () -> {
              try {
                Database database =
                    Database.open(
                        config.databaseUrl(),
                        config.dataDir(),
                        config.env(),
                        Math.max(4, config.threads() * 2 + 4),
                        config.databaseWait());
                if (closed.get()) { // closed while the database was being opened
                  database.close();
                  throw new AccretionException(
                      FailureKind.FAILED, "the service was stopped while starting");
                }
                try {
                  db.open(database.dataSource());
                  jobs.start(database.dataSource());
                  api.ready(true);
                } catch (RuntimeException e) {
                  database.close();
                  throw e;
                }
                opened.complete(database);
              } catch (AccretionException | RuntimeException e) {
                opened.completeExceptionally(e);
              }
            },
            "accretion-startup");
    starter.setDaemon(true);
    starter.start();
    return new AccretionServer(opened, jobs, http, api, closed);
  }

  /**
   * Waits until the database is open and migrated and the job runner is up.
   *
   * @throws AccretionException why the database could not be opened or migrated (the instance is
   *     then closed)
   */
  public void awaitReady() throws AccretionException, InterruptedException {
    try {
      database.get();
    } catch (ExecutionException e) {
      close();
      if (e.getCause() instanceof AccretionException a) {
        throw a;
      }
      throw new AccretionException(
          FailureKind.FAILED, "the service could not start: " + e.getCause(), e.getCause());
    }
  }

  /** The port the API listens on. */
  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    api.ready(false);
    http.stop();
    jobs.stop();
    database.thenAccept(Database::close);
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
