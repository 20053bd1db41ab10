package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.server.AccretionServer;
import dev.accretion.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion serve}: the service, until SIGTERM or Ctrl-C; {@code serve token ...}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Run Accretion as a service: an HTTP JSON API (/api/v1) over managed layers, their builds"
          + " and published versions, with bearer tokens, on an embedded database or PostgreSQL."
          + " Several instances on one PostgreSQL share the build queue.",
      "SIGTERM stops taking requests and jobs, lets running builds finish within --grace, and"
          + " exits; a build cut short is picked up again.",
    },
    subcommands = {ServeTokenCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion serve token create --scope write --name ci",
      "  accretion serve --port 8080",
      "  accretion serve --database jdbc:postgresql://db:5432/accretion --bind 0.0.0.0",
      "  curl -s localhost:8080/health",
    })
final class ServeCommand implements Callable<Integer> {
  private final Context context;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port (default: 8080; 0: any free one).")
  int port = 8080;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: 127.0.0.1).")
  String bind = "127.0.0.1";

  @Mixin ServeOptions storage;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description =
          "Send every AWS call to this endpoint, e.g. an emulator (default: $AWS_ENDPOINT_URL).")
  URI endpointUrl;

  @Option(names = "--public-read", description = "Reads need no token.")
  boolean publicRead;

  @Option(
      names = "--allow-command-builders",
      description = "Accept definitions whose builder runs code on the server (admin tokens only).")
  boolean allowCommandBuilders;

  @Option(
      names = "--builder-path",
      paramLabel = "JAR",
      split = ",",
      description =
          "Builder plug-in jars the server loads (comma list or repeated); definitions may name"
              + " their builders only with --allow-command-builders and an admin token.")
  java.util.List<java.nio.file.Path> builderPath = new java.util.ArrayList<>();

  @Option(
      names = "--database-wait",
      paramLabel = "SECONDS",
      description =
          "At start-up, wait this long for the database to accept connections; /health answers"
              + " 503 until it is migrated and the job runner is up (default: 60).")
  int databaseWait = 60;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Builds run at once on this instance (default: the number of cores).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description =
          "A running build proves its instance alive this often; one whose instance missed four"
              + " heartbeats is picked up by another (default: 10).")
  int heartbeat = 10;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      description = "On SIGTERM, wait this long for running builds (default: 60).")
  int grace = 60;

  @Option(
      names = "--upstream-interval",
      paramLabel = "SECONDS",
      description =
          "Poll the indexes of the packages every managed layer locked this often, and rebuild"
              + " a layer when a release could change it (default: 600; 0: do not watch).")
  int upstreamInterval = 600;

  ServeCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException, InterruptedException {
    if (!builderPath.isEmpty() && !allowCommandBuilders) {
      throw new AccretionException(
          dev.accretion.core.FailureKind.USAGE,
          "--builder-path loads plug-ins that run code on the server: it needs"
              + " --allow-command-builders",
          "add --allow-command-builders (definitions naming a plug-in then need an admin token)",
          null);
    }
    if (port < 0
        || port > 65535
        || jobs < 1
        || heartbeat < 1
        || grace < 0
        || databaseWait < 1
        || upstreamInterval < 0) {
      throw new AccretionException(
          dev.accretion.core.FailureKind.USAGE,
          "--port must be 0 to 65535, --jobs, --heartbeat and --database-wait at least 1, --grace"
              + " and --upstream-interval at least 0",
          null,
          null);
    }
    ServerConfig config =
        storage
            .config(
                context,
                port,
                bind,
                endpointUrl,
                publicRead,
                allowCommandBuilders,
                jobs,
                Duration.ofSeconds(heartbeat),
                Duration.ofSeconds(grace),
                Duration.ofSeconds(databaseWait),
                builderPath)
            .withUpstreamInterval(Duration.ofSeconds(upstreamInterval));
    AccretionServer server = AccretionServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "accretion-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context
        .out()
        .println(
            "accretion: serving on http://"
                + bind
                + ":"
                + server.port()
                + " (data: "
                + config.dataDir()
                + ")");
    context.out().flush();
    try {
      server.awaitReady();
    } catch (AccretionException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      throw e;
    }
    context.out().println("accretion: ready (database migrated, job runner up)");
    context.out().flush();
    stopped.await();
    return Cli.OK;
  }
}
