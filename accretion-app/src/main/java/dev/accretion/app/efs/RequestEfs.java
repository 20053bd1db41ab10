package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.WorkQueue;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Target;
import dev.accretion.efs.EfsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Use case {@code efs request}: sends an install request (the listing's text, the target, a request
 * id, the reply queue) to a worker's queue and, when asked to wait, waits on the reply queue for
 * the result of that request id. Results of other requests on a shared reply queue are left for
 * their requesters. Thread-safe.
 */
public final class RequestEfs {
  private final Environment environment;

  public RequestEfs(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param listing the lock or listing (sent as text; the worker resolves a listing itself)
   * @param format its format when the name doesn't say, or null
   * @param runtime a Python runtime id, or null for python3.12
   * @param architecture x86_64 or arm64, or null for x86_64
   * @param queue the worker's queue URL
   * @param replyTo the reply queue URL, or null
   * @param waitForResult wait for the result: on {@code replyTo} when given, else for the view
   *     marker {@code root/views/<digest>.json}
   * @param root the store's root as mounted here, for waiting on the view marker, or null
   * @param timeout how long to wait at most, or null for 30 minutes
   * @param aws how to reach SQS
   */
  public record Request(
      Path listing,
      String format,
      String runtime,
      String architecture,
      String queue,
      String replyTo,
      boolean waitForResult,
      Path root,
      Duration timeout,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(listing, "listing");
      Objects.requireNonNull(queue, "queue");
      aws = aws == null ? AwsAccess.fromEnvironment() : aws;
    }
  }

  /**
   * What was sent and, after a wait, the worker's result; {@link #toJson()} is the {@code efs
   * request --json} document.
   */
  public record Result(
      String requestId, String messageId, EfsMessages.Result reply, Path viewMarker) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requestId", requestId);
      m.put("messageId", messageId);
      m.put("result", reply == null ? null : Json.tree(reply.toJson()));
      m.put("viewMarker", viewMarker == null ? null : viewMarker.toString());
      return Json.write(m);
    }
  }

  public Result request(Request request, ProgressListener progress) throws AccretionException {
    boolean withReplies = request.replyTo() != null && !request.replyTo().isBlank();
    if (request.waitForResult() && !withReplies && request.root() == null) {
      throw Usage.error(
          "--wait needs --reply-queue (the worker sends the result there; a queue of your own, or"
              + " one shared by requesters: each takes only its own request's result) or --root"
              + " (where the store is mounted here: wait for the set's view marker)");
    }
    Target target = EfsSupport.target(request.runtime(), request.architecture());
    Path file = EfsSupport.listing(environment, request.listing());
    Path marker = null;
    if (request.waitForResult() && !withReplies) {
      // the set's digest names its view: resolved here as efs install and bootstrap do
      EfsSet set =
          EfsSupport.installer(environment, null, ProgressListener.warningsOnce(progress))
              .resolve(
                  file, request.format(), EfsSupport.options(IndexSettings.configured()), target);
      marker = environment.resolve(request.root()).resolve("views/" + set.digest() + ".json");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read " + request.listing() + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString();
    EfsMessages.Request message =
        new EfsMessages.Request(
            UUID.randomUUID().toString(),
            name,
            text,
            request.format(),
            request.runtime(),
            request.architecture(),
            request.replyTo());
    // the worker checks the same way: fail here, not after a round trip
    EfsMessages.request(message.toJson());
    AwsSettings settings = request.aws().settings(environment);
    String messageId;
    try (WorkQueue queue = new WorkQueue(settings, request.queue())) {
      messageId = queue.send(message.toJson());
    }
    progress.stage("Sent install request " + message.requestId() + " to " + request.queue());
    if (!request.waitForResult()) {
      return new Result(message.requestId(), messageId, null, null);
    }
    Duration timeout = request.timeout() == null ? Duration.ofMinutes(30) : request.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    if (marker != null) {
      progress.activity("waiting for " + marker);
      while (System.nanoTime() < deadline) {
        if (Files.isRegularFile(marker)) {
          progress.idle();
          return new Result(message.requestId(), messageId, null, marker);
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      progress.idle();
      throw new AccretionException(
          FailureKind.FAILED,
          "the view marker "
              + marker
              + " did not appear within "
              + timeout.toSeconds()
              + " s after install request "
              + message.requestId(),
          "check the worker's log (a failing request ends in the dead-letter queue; use"
              + " --reply-queue to get its error here) and wait longer with --timeout",
          null);
    }
    try (WorkQueue replies = new WorkQueue(settings, request.replyTo())) {
      while (System.nanoTime() < deadline) {
        progress.activity("waiting for the result on " + request.replyTo());
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L);
        for (WorkQueue.Received m :
            replies.receive(10, Duration.ofSeconds(Math.min(20, left)), Duration.ofSeconds(30))) {
          EfsMessages.Result r = EfsMessages.result(m.body());
          if (r == null || !message.requestId().equals(r.requestId())) {
            // another requester's result: give it back at once
            replies.extend(m, Duration.ZERO);
            continue;
          }
          replies.delete(m);
          if (r.installed()) {
            progress.idle();
            return new Result(message.requestId(), messageId, r, null);
          }
          if (!Boolean.TRUE.equals(r.last())) {
            progress.warning(
                "attempt " + r.attempt() + " failed, the worker will retry: " + r.error());
            continue;
          }
          progress.idle();
          throw new AccretionException(
              FailureKind.FAILED,
              "the install request "
                  + message.requestId()
                  + " failed for good after "
                  + r.attempt()
                  + " attempts (it is in the dead-letter queue now): "
                  + r.error(),
              "fix the listing and send it again; the worker's log has the details",
              null);
        }
      }
    }
    progress.idle();
    throw new AccretionException(
        FailureKind.FAILED,
        "no result for install request "
            + message.requestId()
            + " on "
            + request.replyTo()
            + " within "
            + timeout.toSeconds()
            + " s",
        "check that a worker runs on "
            + request.queue()
            + " (accretion efs worker, or the Lambda function of the template) and wait longer"
            + " with --timeout",
        null);
  }
}
