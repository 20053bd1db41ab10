package dev.accretion.cli;

import dev.accretion.app.efs.EfsWorker;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion efs worker}: {@link EfsWorker}'s loop until SIGTERM. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Install the requests of an SQS queue (sent by accretion efs request) into the store at"
          + " --root, one at a time: long-poll, install (as accretion efs install does), send the"
          + " result to the request's reply queue, delete the message.",
      "",
      "While installing, the message's visibility is extended every half --visibility. A failed"
          + " request is not deleted: it comes back after --retry-delay and, after the queue's"
          + " redrive policy's maxReceiveCount receives, SQS moves it to the dead-letter queue."
          + " A duplicate delivery writes nothing new. SIGTERM (or Ctrl-C) stops after the"
          + " request in hand; if that takes longer than --grace, the message is given back to"
          + " the queue and the next delivery completes the install.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs worker --root /mnt/efs \\",
      "      --queue https://sqs.eu-west-1.amazonaws.com/123456789012/efs-requests",
    })
final class EfsWorkerCommand implements Callable<Integer> {
  private final Context context;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SQS-URL",
      description = "The request queue.")
  String queue;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "The store's root (where the file system is mounted here).")
  Path root;

  @Option(
      names = "--visibility",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "Visibility of the message in hand, renewed every half (default: ${DEFAULT-VALUE}).")
  long visibility;

  @Option(
      names = "--retry-delay",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "When a failed request is visible again (default: ${DEFAULT-VALUE}).")
  long retryDelay;

  @Option(
      names = "--poll-wait",
      paramLabel = "SECONDS",
      defaultValue = "20",
      description = "Long-poll wait of one receive, 0 to 20 (default: ${DEFAULT-VALUE}).")
  long pollWait;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      defaultValue = "25",
      description =
          "On SIGTERM, how long to let the request in hand finish before giving it back"
              + " (default: ${DEFAULT-VALUE}).")
  long grace;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description =
          "Send the SQS calls to this endpoint, e.g. an emulator (default: $AWS_ENDPOINT_URL).")
  java.net.URI endpointUrl;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "AWS profile of ~/.aws/config (default: $AWS_PROFILE, else the default chain).")
  String profile;

  EfsWorkerCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    if (pollWait < 0 || pollWait > 20 || visibility < 2 || retryDelay < 0 || grace < 0) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--poll-wait takes 0 to 20 seconds, --visibility at least 2, --retry-delay and --grace"
              + " 0 or more");
    }
    PrintWriter err = context.err();
    EfsWorker worker =
        new EfsWorker(
            context.environment(),
            new EfsWorker.Settings(
                context.resolve(root),
                index.settings(),
                cache.cacheDir,
                new dev.accretion.app.publish.AwsAccess(profile, endpointUrl, null),
                Duration.ofSeconds(visibility),
                Duration.ofSeconds(retryDelay),
                Duration.ofSeconds(pollWait)),
            line -> {
              synchronized (err) {
                err.println(line);
                err.flush();
              }
            });
    Thread hook =
        new Thread(
            () -> {
              synchronized (err) {
                err.println("stopping: SIGTERM received, finishing the request in hand");
                err.flush();
              }
              worker.stop();
              if (!worker.awaitStopped(Duration.ofSeconds(grace))) {
                String id = worker.releaseInFlight();
                synchronized (err) {
                  err.println(
                      "stopped after "
                          + grace
                          + " s"
                          + (id == null ? "" : ": gave message " + id + " back to the queue"));
                  err.flush();
                }
              }
            },
            "accretion-efs-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      worker.run(queue);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for this loop's end
      }
    }
    return Cli.OK;
  }
}
