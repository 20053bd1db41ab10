package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.WorkQueue;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Use case {@code efs worker}: installs the requests of an SQS queue into one store, and the same
 * handling for the Lambda handler ({@link #handle}).
 *
 * <p>The loop long-polls one message at a time, extends its visibility while installing (a
 * heartbeat every half {@code visibility}), then on success replies (when the request names a reply
 * queue) and deletes the message. A failed request is replied to with its error and made visible
 * again after {@code retryDelay}, never deleted: after the queue's {@code maxReceiveCount} receives
 * SQS moves it to the dead-letter queue. A duplicate delivery installs nothing new (the store never
 * rewrites a version or a view) and replies again with the same digest. {@link #stop} ends the loop
 * after the message in hand; {@link #releaseInFlight} gives that message back.
 */
public final class EfsWorker {
  /** Lines for the log (stderr of {@code efs worker}, the function's log on Lambda). */
  public interface Log {
    void line(String text);
  }

  /**
   * @param root the store's root
   * @param sources where packages come from
   * @param cacheDir the shared cache, or null for the default
   * @param aws how to reach SQS (the queue and the reply queues)
   * @param visibility how long a message in hand stays hidden; renewed every half of it
   * @param retryDelay when a failed request becomes visible again
   * @param pollWait how long one receive waits for a message (at most 20 s)
   */
  public record Settings(
      Path root,
      IndexSettings sources,
      Path cacheDir,
      AwsAccess aws,
      Duration visibility,
      Duration retryDelay,
      Duration pollWait) {
    public Settings {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(sources, "sources");
      aws = aws == null ? AwsAccess.fromEnvironment() : aws;
      visibility = visibility == null ? Duration.ofMinutes(2) : visibility;
      retryDelay = retryDelay == null ? Duration.ofSeconds(30) : retryDelay;
      pollWait = pollWait == null ? Duration.ofSeconds(20) : pollWait;
    }
  }

  /** What handling one message did. */
  public record Handled(
      String requestId, boolean installed, String error, InstallEfs.Result install) {}

  /** What a loop did, when it stopped. */
  public record Summary(int received, int installed, int failed) {}

  private final Environment environment;
  private final Settings settings;
  private final Log log;
  private final Map<String, WorkQueue> replyQueues = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile WorkQueue queue;
  private volatile WorkQueue.Received inFlight;
  private volatile boolean released;

  public EfsWorker(Environment environment, Settings settings, Log log) {
    this.environment = environment;
    this.settings = settings;
    this.log = log;
  }

  /**
   * Installs one request and sends its result to the request's reply queue, if it names one. Never
   * throws for a bad request: the failure is in the result.
   *
   * @param body the message body
   * @param receiveCount how often SQS delivered it (1 the first time)
   * @param maxReceiveCount the redrive policy's count, or empty when unknown
   */
  public Handled handle(String body, int receiveCount, OptionalInt maxReceiveCount) {
    EfsMessages.Request request = null;
    Handled handled;
    try {
      request = EfsMessages.request(body);
      InstallEfs.Result r = install(request);
      handled = new Handled(request.requestId(), true, null, r);
      log.line(
          "installed request "
              + request.requestId()
              + ": "
              + r.installed()
              + " of "
              + r.packages().size()
              + " versions written, view "
              + r.digest()
              + (r.viewCreated() ? "" : " (already there)"));
    } catch (AccretionException e) {
      handled = failed(request, e.problem() + (e.advice() == null ? "" : " (" + e.advice() + ")"));
    } catch (RuntimeException e) {
      handled = failed(request, "internal error: " + e);
    }
    if (!handled.installed()) {
      log.line(
          "request "
              + handled.requestId()
              + " failed (attempt "
              + receiveCount
              + (maxReceiveCount.isPresent() ? " of " + maxReceiveCount.getAsInt() : "")
              + "): "
              + handled.error());
    }
    if (request != null && request.replyTo() != null && !request.replyTo().isBlank()) {
      Boolean last =
          handled.installed()
              ? Boolean.TRUE
              : maxReceiveCount.isPresent() ? receiveCount >= maxReceiveCount.getAsInt() : null;
      EfsMessages.Result reply =
          new EfsMessages.Result(
              handled.requestId(),
              handled.installed(),
              receiveCount,
              last,
              handled.error(),
              handled.install() == null ? null : EfsMessages.tree(handled.install().toJson()));
      try {
        replyQueue(request.replyTo()).send(reply.toJson());
      } catch (AccretionException e) {
        log.line("could not send the result of " + handled.requestId() + ": " + e.getMessage());
      }
    }
    return handled;
  }

  private Handled failed(EfsMessages.Request request, String error) {
    return new Handled(request == null ? null : request.requestId(), false, error, null);
  }

  private InstallEfs.Result install(EfsMessages.Request request) throws AccretionException {
    Path dir;
    try {
      dir = Files.createTempDirectory("accretion-efs-request-");
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot create a temporary folder: " + e.getMessage(), e);
    }
    try {
      Path listing = dir.resolve(request.listingName());
      Files.writeString(listing, request.listing(), StandardCharsets.UTF_8);
      log.line(
          "installing request "
              + request.requestId()
              + " ("
              + request.listingName()
              + ", "
              + (request.runtime() == null ? "python3.12" : request.runtime())
              + "/"
              + (request.architecture() == null ? "x86_64" : request.architecture())
              + ")");
      return new InstallEfs(environment)
          .install(
              new InstallEfs.Request(
                  listing,
                  request.format(),
                  request.runtime(),
                  request.architecture(),
                  settings.root(),
                  settings.sources(),
                  settings.cacheDir()),
              ProgressListener.NONE);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot write the request's listing: " + e.getMessage(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private synchronized WorkQueue replyQueue(String url) throws AccretionException {
    WorkQueue q = replyQueues.get(url);
    if (q == null) {
      q = new WorkQueue(awsSettings(), url);
      replyQueues.put(url, q);
    }
    return q;
  }

  private AwsSettings awsSettings() throws AccretionException {
    return settings.aws().settings(environment);
  }

  /**
   * Works on the queue until {@link #stop}.
   *
   * @throws AccretionException when the queue cannot be reached at the start
   */
  public Summary run(String queueUrl) throws AccretionException {
    AtomicInteger received = new AtomicInteger();
    AtomicInteger installed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "accretion-efs-worker-heartbeat");
              t.setDaemon(true);
              return t;
            });
    try (WorkQueue q = new WorkQueue(awsSettings(), queueUrl)) {
      queue = q;
      OptionalInt max = q.maxReceiveCount();
      if (max.isEmpty()) {
        log.line(
            "warning: "
                + queueUrl
                + " has no redrive policy, so a request that always fails is retried forever:"
                + " give the queue a dead-letter queue (the README's template does)");
      }
      log.line(
          "worker on "
              + queueUrl
              + ", store "
              + settings.root()
              + (max.isPresent() ? ", dead-letter after " + max.getAsInt() + " receives" : "")
              + "; stop with SIGTERM or Ctrl-C");
      boolean first = true;
      while (!stopping) {
        List<WorkQueue.Received> messages;
        try {
          messages = q.receive(1, settings.pollWait(), settings.visibility());
          first = false;
        } catch (AccretionException e) {
          if (first || e.kind() == FailureKind.NOT_FOUND) {
            throw e;
          }
          log.line("receive failed, trying again in 5 s: " + e.getMessage());
          sleep(Duration.ofSeconds(5));
          continue;
        }
        for (WorkQueue.Received m : messages) {
          if (stopping) {
            q.extend(m, Duration.ZERO);
            continue;
          }
          received.incrementAndGet();
          inFlight = m;
          released = false;
          long every = Math.max(1, settings.visibility().toMillis() / 2);
          ScheduledFuture<?> beat =
              heartbeat.scheduleAtFixedRate(
                  () -> {
                    try {
                      q.extend(m, settings.visibility());
                    } catch (AccretionException e) {
                      log.line("could not extend " + m.messageId() + ": " + e.getMessage());
                    }
                  },
                  every,
                  every,
                  TimeUnit.MILLISECONDS);
          Handled h;
          try {
            h = handle(m.body(), m.receiveCount(), max);
          } finally {
            beat.cancel(false);
          }
          synchronized (this) {
            inFlight = null;
            if (released) {
              continue;
            }
            if (h.installed()) {
              installed.incrementAndGet();
              q.delete(m);
            } else {
              failed.incrementAndGet();
              // not deleted: visible again after the retry delay, dead-lettered by the redrive
              q.extend(m, settings.retryDelay());
            }
          }
        }
      }
      log.line(
          "worker stopped: "
              + received.get()
              + " received, "
              + installed.get()
              + " installed, "
              + failed.get()
              + " failed");
      return new Summary(received.get(), installed.get(), failed.get());
    } finally {
      heartbeat.shutdownNow();
      synchronized (this) {
        replyQueues.values().forEach(WorkQueue::close);
        replyQueues.clear();
      }
      queue = null;
      stopped.countDown();
    }
  }

  /** Asks the loop to end after the message in hand (and the receive in progress). */
  public void stop() {
    stopping = true;
  }

  /** Waits for the loop to end; true when it did. */
  public boolean awaitStopped(Duration limit) {
    try {
      return stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Gives the message in hand back to the queue at once (visible again, not deleted), for a stop
   * that cannot wait for its install to end. The store stays consistent: an interrupted install
   * leaves no visible partial version, and the next delivery completes it.
   *
   * @return the message id released, or null when none was in hand
   */
  public synchronized String releaseInFlight() {
    WorkQueue.Received m = inFlight;
    WorkQueue q = queue;
    if (m == null || q == null) {
      return null;
    }
    released = true;
    try {
      q.extend(m, Duration.ZERO);
    } catch (AccretionException e) {
      log.line("could not release " + m.messageId() + ": " + e.getMessage());
    }
    return m.messageId();
  }

  private void sleep(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (!stopping && System.nanoTime() < end) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
