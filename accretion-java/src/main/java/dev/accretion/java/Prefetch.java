package dev.accretion.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RequestTrace;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactRequest;

/**
 * Starts downloading an artifact's file as soon as its POM has been read while the dependency graph
 * is still being collected, so that jar downloads overlap POM round trips instead of following
 * them. What it fetches goes into the resolver's local repository through the normal path
 * (repository checksums verified); the real artifact resolution afterwards finds it there. A
 * prefetch that fails is ignored: the real resolution reports the failure. Files of conflict losers
 * and test-scope dependencies may be fetched for nothing. Thread-safe.
 */
final class Prefetch extends AbstractRepositoryListener implements AutoCloseable {
  private final RepositorySystem system;
  private final ExecutorService pool;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final List<Future<?>> started = new ArrayList<>();
  private volatile boolean open = true;

  Prefetch(RepositorySystem system, int threads) {
    this.system = system;
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> Thread.ofPlatform().daemon().name("accretion-maven-prefetch").unstarted(r));
  }

  /**
   * A POM was resolved: if it was read for an artifact's descriptor (a request up its trace), fetch
   * that artifact's file.
   */
  @Override
  public void artifactResolved(RepositoryEvent event) {
    Artifact pom = event.getArtifact();
    if (!open || pom == null || !pom.getExtension().equals("pom")) {
      return;
    }
    ArtifactDescriptorRequest request = null;
    for (RequestTrace t = event.getTrace(); t != null; t = t.getParent()) {
      if (t.getData() instanceof ArtifactDescriptorRequest r) {
        request = r;
        break;
      }
    }
    if (request == null) {
      return;
    }
    Artifact a = request.getArtifact();
    if (!a.getGroupId().equals(pom.getGroupId())
        || !a.getArtifactId().equals(pom.getArtifactId())
        || !a.getVersion().equals(pom.getVersion())) {
      return; // a parent POM of the descriptor
    }
    if (a.getExtension().equals("pom") || a.getPath() != null || !seen.add(a.toString())) {
      return;
    }
    ArtifactRequest fetch = new ArtifactRequest(a, request.getRepositories(), "project");
    synchronized (started) {
      if (!open) {
        return;
      }
      started.add(
          pool.submit(
              () -> {
                try {
                  system.resolveArtifact(event.getSession(), fetch);
                } catch (Exception e) {
                  // the real resolution reports it
                }
              }));
    }
  }

  /** Stops taking new work and waits (bounded) for what was started. */
  void finish() {
    List<Future<?>> all;
    synchronized (started) {
      open = false;
      all = new ArrayList<>(started);
    }
    for (Future<?> f : all) {
      try {
        f.get(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // the real resolution reports it
      }
    }
  }

  @Override
  public void close() {
    synchronized (started) {
      open = false;
    }
    pool.shutdownNow();
    try {
      // no download outlives the session: a caller may delete the cache right after a failure
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
