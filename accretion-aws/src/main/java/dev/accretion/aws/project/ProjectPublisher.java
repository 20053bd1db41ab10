package dev.accretion.aws.project;

import dev.accretion.aws.LayerPublisher;
import dev.accretion.aws.PublishListener;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.PublishResult;
import dev.accretion.aws.RegionResult;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Publishes the layers of an {@code accretion.toml}: gets each layer's zips from an {@link
 * ArtifactSource}, names them ({@link LayerNaming}), and publishes every Lambda layer to its
 * regions with {@link LayerPublisher}.
 *
 * <p>Two phases, so bad input never leaves a project half published: {@link #plan} gets every zip
 * and checks every request (names, limits, regions, credentials) without any AWS call, reporting
 * all problems at once; {@link #publish} then publishes the Lambda layers in parallel (each to its
 * regions in parallel) and keeps every layer's and region's outcome.
 *
 * <p>Thread-safe if the artifact source is.
 */
public final class ProjectPublisher {
  private static final int LAYERS_AT_ONCE = 4;

  private final LayerPublisher publisher;
  private final ArtifactSource source;

  public ProjectPublisher(LayerPublisher publisher, ArtifactSource source) {
    this.publisher = publisher;
    this.source = source;
  }

  /** The checked publish requests of a project, one per Lambda layer, in project order. */
  public record Plan(List<PublishRequest> requests) {
    public Plan {
      requests = List.copyOf(requests);
    }
  }

  /**
   * Gets the zips of the selected layers and checks every publish request, without touching AWS.
   *
   * @param layerNames project layer names to publish; empty means every layer
   * @param regions regions for every layer, replacing the project's; empty keeps them (a layer
   *     without regions goes to the environment's default region)
   * @throws AccretionException naming every problem of every layer: unknown layer names, build or
   *     read failures, naming conflicts, invalid requests, missing credentials or region
   * @throws IllegalStateException if the project was read without its webhook secrets
   */
  public Plan plan(ProjectFile project, List<String> layerNames, List<String> regions)
      throws AccretionException {
    if (!project.secretsResolved()) {
      throw new IllegalStateException("the project file was read without its webhook secrets");
    }
    List<ProjectFile.LayerConfig> selected = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String name : new LinkedHashSet<>(layerNames)) {
      ProjectFile.LayerConfig layer = project.layer(name);
      if (layer == null) {
        unknown.add(name);
      } else {
        selected.add(layer);
      }
    }
    if (!unknown.isEmpty()) {
      throw new AccretionException(
          project.path()
              + " has no layer "
              + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList())
              + " (its layers: "
              + String.join(", ", project.layers().stream().map(l -> l.name()).toList())
              + ")");
    }
    if (selected.isEmpty()) {
      selected = project.layers();
    }
    List<String> problems = new ArrayList<>();
    List<PublishRequest> requests = new ArrayList<>();
    Map<String, String> lambdaNames = new HashMap<>();
    for (ProjectFile.LayerConfig layer : selected) {
      if (!layer.missingSecrets().isEmpty()) {
        problems.addAll(layer.missingSecrets());
        continue;
      }
      List<LayerNaming.Planned> planned;
      try {
        planned = LayerNaming.plan(layer, source.artifacts(layer));
      } catch (AccretionException e) {
        problems.add(e.getMessage());
        continue;
      }
      for (LayerNaming.Planned p : planned) {
        String owner = lambdaNames.putIfAbsent(p.layerName(), layer.name());
        if (owner != null) {
          problems.add(
              layer.where()
                  + ": its Lambda layer "
                  + p.layerName()
                  + " is also a Lambda layer of layers."
                  + owner
                  + "; rename one of them");
          continue;
        }
        BuiltArtifact a = p.artifact();
        PublishRequest request =
            layer.publishRequest(
                p.layerName(),
                a.zip(),
                a.sha256Hex(),
                a.contentDigest(),
                p.runtimes(),
                p.architectures(),
                a.manifestJson(),
                regions);
        try {
          publisher.check(request);
          requests.add(request);
        } catch (AccretionException e) {
          problems.add(layer.where() + ": " + e.getMessage());
        }
      }
    }
    if (problems.isEmpty()) {
      try {
        publisher.checkCredentials();
      } catch (AccretionException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new AccretionException(
          "cannot publish "
              + project.path().getFileName()
              + ": "
              + String.join("; ", problems)
              + (problems.size() > 1 ? " (" + problems.size() + " problems)" : ""));
    }
    return new Plan(requests);
  }

  /**
   * Publishes a plan: one result per Lambda layer, in plan order, failed regions included. A layer
   * that could not start (for example the account could not be identified) has every region failed
   * with that reason; the other layers go on.
   */
  public List<PublishResult> publish(Plan plan, PublishListener listener) {
    List<PublishRequest> requests = plan.requests();
    if (requests.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(requests.size(), LAYERS_AT_ONCE));
    try {
      List<Future<PublishResult>> futures = new ArrayList<>();
      for (PublishRequest r : requests) {
        futures.add(pool.submit(() -> publishOne(r, listener)));
      }
      List<PublishResult> out = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          out.add(failed(requests.get(i), "unexpected failure: " + e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(failed(requests.get(i), "interrupted before publishing"));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private PublishResult publishOne(PublishRequest request, PublishListener listener) {
    try {
      return publisher.publish(request, listener);
    } catch (AccretionException e) {
      return failed(request, e.getMessage());
    }
  }

  private PublishResult failed(PublishRequest request, String message) {
    List<RegionResult> regions = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>(request.regions());
    if (names.isEmpty()) {
      try {
        names.add(publisher.defaultRegion());
      } catch (AccretionException e) {
        names.add("(default region)");
      }
    }
    for (String region : names) {
      regions.add(new RegionResult(region, null, 0, false, message, null));
    }
    return new PublishResult(
        request.layerName(), request.sha256Hex(), request.contentDigest(), regions, List.of());
  }
}
