package dev.accretion.server;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.progress.ProgressEvent;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.service.LayerDefinition;
import dev.accretion.app.service.PublishDefinition;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Build-and-publish jobs: one db-scheduler one-time task per build, keyed by the build id, so a
 * queued build survives a restart and a build whose instance died is picked up by another. A job
 * that runs again ends in the same state: publishing is idempotent by bytes. Two builds of one
 * layer never run at once on an instance.
 */
final class BuildJobs {
  /** This instance, as builds record who ran them: {@code pid@host}. */
  static final String INSTANCE = ProcessHandle.current().pid() + "@" + host();

  private final Store store;
  private final Environment environment;
  private final AwsAccess aws;
  private final Path dataDir;
  private final Metrics metrics;
  private final Map<String, ReentrantLock> layerLocks = new ConcurrentHashMap<>();
  private final java.time.Duration heartbeat;
  private final java.util.concurrent.ScheduledExecutorService renewals =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "accretion-layer-locks");
            t.setDaemon(true);
            return t;
          });
  private final OneTimeTask<Void> task;
  private final ServerConfig config;
  private volatile Scheduler scheduler;

  private final RecordedVersions recorded;
  private final Artifacts artifacts;
  private final Extension extension;

  /** What another part of the service adds to the runner and to builds. */
  interface Extension {
    /** Its own tasks, run by the same scheduler. */
    default List<Task<?>> tasks() {
      return List.of();
    }

    /** Its recurring tasks, scheduled when the runner starts (once across instances). */
    default List<RecurringTask<?>> startTasks() {
      return List.of();
    }

    /** Whether a build resolves and builds again instead of taking a cached build. */
    default boolean refresh(String buildId) {
      return false;
    }

    /** Fields added to a finished build's result before it is stored. */
    default Map<String, Object> finishing(
        Store.Build build, Path workDir, PublishDefinition.Result result) {
      return Map.of();
    }
  }

  BuildJobs(
      Store store,
      RecordedVersions recorded,
      Artifacts artifacts,
      Environment environment,
      AwsAccess aws,
      ServerConfig config,
      Metrics metrics) {
    this(store, recorded, artifacts, environment, aws, config, metrics, new Extension() {});
  }

  BuildJobs(
      Store store,
      RecordedVersions recorded,
      Artifacts artifacts,
      Environment environment,
      AwsAccess aws,
      ServerConfig config,
      Metrics metrics,
      Extension extension) {
    this.extension = extension;
    this.store = store;
    this.recorded = recorded;
    this.artifacts = artifacts;
    this.environment = environment;
    this.aws = aws;
    this.dataDir = config.dataDir();
    this.metrics = metrics;
    this.heartbeat = config.heartbeat();
    this.config = config;
    this.task = Tasks.oneTime("accretion-build").execute((instance, ctx) -> run(instance.getId()));
  }

  /** Starts the job runner on the (open, migrated) database. */
  void start(DataSource db) {
    Scheduler s =
        Scheduler.create(db, tasks(task, extension))
            .threads(config.threads())
            .pollingInterval(Duration.ofMillis(500))
            .heartbeatInterval(config.heartbeat())
            .missedHeartbeatsLimit(4)
            .startTasks(extension.startTasks())
            .enableImmediateExecution()
            .shutdownMaxWait(config.shutdownGrace())
            .build();
    s.start();
    scheduler = s;
  }

  private static List<Task<?>> tasks(Task<?> build, Extension extension) {
    List<Task<?>> all = new java.util.ArrayList<>();
    all.add(build);
    all.addAll(extension.tasks());
    return all;
  }

  /** A step run once a queued build is stored. */
  interface Recorded {
    void accept(String id) throws AccretionException;
  }

  /** The job runner, for the tasks of an {@link Extension}; null until {@link #start}. */
  SchedulerClient client() {
    return scheduler;
  }

  /** Stops taking jobs and waits (up to the grace period) for running ones. */
  void stop() {
    Scheduler s = scheduler;
    if (s != null) {
      s.stop();
    }
    renewals.shutdownNow();
  }

  /** Queues a build of a stored definition; returns its id. */
  String queue(String layer, String definitionJson) throws AccretionException {
    return queue(layer, definitionJson, id -> {});
  }

  /** Queues a build; {@code onStored} sees its id after it is stored and before it may run. */
  String queue(String layer, String definitionJson, Recorded onStored) throws AccretionException {
    String id = java.util.UUID.randomUUID().toString();
    Scheduler s = scheduler;
    if (s == null) {
      throw new ApiProblem(503, "starting", "the job runner is not up yet", null, "retry shortly");
    }
    store.insertBuild(id, layer, definitionJson);
    onStored.accept(id);
    s.schedule(task.instance(id), Instant.now());
    return id;
  }

  private void run(String id) {
    Optional<Store.Build> found;
    try {
      found = store.build(id);
    } catch (AccretionException e) {
      throw new IllegalStateException(e.getMessage(), e); // db-scheduler retries
    }
    if (found.isEmpty()
        || found.get().status().equals("succeeded")
        || found.get().status().equals("failed")) {
      return;
    }
    Store.Build build = found.get();
    ReentrantLock lock = layerLocks.computeIfAbsent(build.layer(), k -> new ReentrantLock());
    lock.lock();
    // across instances too: wait for the layer's lock in the database, renewed while building
    String holder = INSTANCE + "/" + id;
    java.time.Duration stale = heartbeat.multipliedBy(4);
    java.util.concurrent.ScheduledFuture<?> renewal = null;
    long start = System.nanoTime();
    try {
      while (!store.lockLayer(build.layer(), holder, stale)) {
        Thread.sleep(Math.min(1000, heartbeat.toMillis()));
      }
      renewal =
          renewals.scheduleAtFixedRate(
              () -> {
                try {
                  store.lockLayer(build.layer(), holder, stale);
                } catch (AccretionException e) {
                  // the next renewal tries again
                }
              },
              heartbeat.toMillis(),
              heartbeat.toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS);
      store.started(id, INSTANCE);
      LayerDefinition definition = Definitions.stored(build.definitionJson());
      PublishDefinition.Result result =
          new PublishDefinition(environment, config.builderPath())
              .publish(
                  new PublishDefinition.Request(
                      definition,
                      dataDir.resolve("builds").resolve(id),
                      aws,
                      dataDir.resolve("cache"),
                      extension.refresh(id)),
                  listener(id));
      keep(id, definition, result);
      Map<String, Object> tree = result.tree();
      tree.putAll(extension.finishing(build, dataDir.resolve("builds").resolve(id), result));
      String error =
          result.ok()
              ? null
              : new ApiProblem(
                      502, "aws", "a region failed: see the result's regions", null, "build again")
                  .toJson();
      store.finished(id, result.ok(), Json.write(tree), error);
      metrics.build(result.ok(), System.nanoTime() - start);
    } catch (AccretionException e) {
      finishFailed(id, ApiProblem.of(e));
      metrics.build(false, System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for layer " + build.layer(), e);
    } catch (RuntimeException e) {
      finishFailed(
          id,
          ApiProblem.of(new AccretionException(FailureKind.FAILED, "the build failed: " + e, e)));
      metrics.build(false, System.nanoTime() - start);
    } finally {
      if (renewal != null) {
        renewal.cancel(false);
        try {
          store.unlockLayer(build.layer(), holder);
        } catch (AccretionException e) {
          // it goes stale and is taken over
        }
      }
      lock.unlock();
    }
  }

  /**
   * Keeps the build's files by digest and records the layer's versions in every region it was
   * published to; neither failing fails the build (the log says so).
   */
  private void keep(String id, LayerDefinition definition, PublishDefinition.Result result) {
    try {
      artifacts.keep(dataDir.resolve("builds").resolve(id).resolve("dist"), result.artifacts());
    } catch (AccretionException e) {
      warn(id, "the build's files are not kept: " + e.getMessage());
    }
    for (String region : definition.regions()) {
      try {
        recorded.refresh(definition.name(), region);
      } catch (AccretionException e) {
        warn(
            id,
            "the versions in "
                + region
                + " are not recorded ("
                + e.getMessage()
                + "): POST /api/v1/layers/"
                + definition.name()
                + "/import records them");
      }
    }
  }

  private void warn(String id, String message) {
    try {
      store.stage(id, "warning", "warning: " + message + "\n");
    } catch (AccretionException e) {
      // the log is best effort
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  private void finishFailed(String id, ApiProblem problem) {
    try {
      store.finished(id, false, null, problem.toJson());
    } catch (AccretionException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Stage lines and warnings into the build's log; the current activity as its progress. */
  private ProgressListener listener(String id) {
    long[] last = {0};
    return event -> {
      try {
        switch (event) {
          case ProgressEvent.Activity a -> {
            long now = System.nanoTime();
            if (now - last[0] > 250_000_000L) { // at most four writes a second
              last[0] = now;
              store.progress(id, a.text());
            }
          }
          case ProgressEvent.Idle i -> store.progress(id, null);
          case ProgressEvent.Stage s -> store.stage(id, s.text(), s.text() + "\n");
          case ProgressEvent.Warning w ->
              store.stage(id, "warning", "warning: " + w.message() + "\n");
          default -> {}
        }
      } catch (AccretionException e) {
        // a log line that cannot be stored does not fail the build
      }
    };
  }
}
