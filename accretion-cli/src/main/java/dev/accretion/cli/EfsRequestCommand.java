package dev.accretion.cli;

import dev.accretion.app.efs.EfsMessages;
import dev.accretion.app.efs.RequestEfs;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion efs request}: {@link RequestEfs}, printed. */
@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Send an install request to the queue of an install worker (accretion efs worker, or the"
          + " Lambda function of accretion-efs-lambda/template.yaml): the listing's text, the"
          + " target and a request id. The worker resolves a listing itself; a lock is used as"
          + " it is.",
      "",
      "With --wait, wait for the worker's result on --reply-queue (results of other requests"
          + " there are left alone). A request that keeps failing ends in the dead-letter queue"
          + " after the queue's maxReceiveCount attempts; --wait then fails with its error."
          + " Without a reply queue, --wait --root DIR waits for the set's view marker"
          + " DIR/views/<digest>.json where the store is mounted here (errors then only in the"
          + " worker's log).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs request pylock.toml --runtime python3.12 \\",
      "      --queue https://sqs.eu-west-1.amazonaws.com/123456789012/efs-requests",
      "  accretion efs request pylock.toml --queue \"$QUEUE\" \\",
      "      --reply-queue \"$REPLIES\" --wait",
    })
final class EfsRequestCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LISTING", description = "The lock or listing.")
  Path listing;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SQS-URL",
      description = "The worker's request queue.")
  String queue;

  @Option(
      names = "--reply-queue",
      paramLabel = "SQS-URL",
      description = "Where the worker sends the result, for --wait.")
  String replyQueue;

  @Option(
      names = "--wait",
      description =
          "Wait for the result on --reply-queue, or without one for the set's view marker"
              + " under --root.")
  boolean waitForResult;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "With --wait and no --reply-queue: where the store is mounted here.")
  Path root;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "1800",
      description = "With --wait: give up after this long (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Mixin EfsCommand.Target target;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Listing format when the file name doesn't say.")
  String format;

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

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  EfsRequestCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    RequestEfs.Result r =
        new RequestEfs(context.environment())
            .request(
                new RequestEfs.Request(
                    listing,
                    format,
                    target.runtime,
                    target.arch,
                    queue,
                    replyQueue,
                    waitForResult,
                    root,
                    Duration.ofSeconds(timeout),
                    new dev.accretion.app.publish.AwsAccess(profile, endpointUrl, null)),
                new Progress(context));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    out.println("Request: " + r.requestId() + " (message " + r.messageId() + ")");
    if (r.viewMarker() != null) {
      out.println("View marker: " + r.viewMarker());
    }
    EfsMessages.Result reply = r.reply();
    if (reply != null && reply.install() != null) {
      out.println(
          "Installed "
              + reply.install().path("installed").asLong()
              + " of "
              + reply.install().path("packages").size()
              + " package versions on attempt "
              + reply.attempt());
      out.println("View: " + reply.install().path("view").asText());
      out.println("Set:  " + reply.install().path("digest").asText());
    }
    return Cli.OK;
  }
}
