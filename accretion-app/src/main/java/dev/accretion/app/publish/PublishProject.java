package dev.accretion.app.publish;

import dev.accretion.app.CommaLists;
import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.build.ProjectLayers;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.LayerPublisher;
import dev.accretion.aws.PublishListener;
import dev.accretion.aws.RegionResult;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.aws.project.ProjectPublisher;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Use case {@code publish [LAYER...]}: the layers of {@code accretion.toml} (prebuilt zips, or
 * built from their listing), checked all at once before any AWS call, then published in parallel.
 * Thread-safe.
 */
public final class PublishProject {
  private final Environment environment;

  public PublishProject(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException a usage failure when there is no project file or the request gives
   *     settings the project file holds; a bad-input failure naming every problem of every layer; a
   *     region that fails is a failed entry of the report
   */
  public PublishReport publish(PublishProjectRequest request, ProgressListener listener)
      throws AccretionException {
    List<String> given = request.settings().givenBeyondRegions();
    if (!given.isEmpty()) {
      throw Usage.error(
          String.join(", ", given)
              + ": only for publishing a zip with --layer; for project layers set them in"
              + " accretion.toml");
    }
    Path file =
        request
            .aws()
            .projectFile(environment)
            .orElseThrow(
                () ->
                    Usage.error(
                        "no accretion.toml in "
                            + environment.workingDirectory()
                            + ": publish a zip with 'accretion publish <zip> --layer NAME', or"
                            + " name the project file with --project"));
    ProjectFile project = ProjectLayers.read(file, environment.variables());
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    try (LayerPublisher publisher = new LayerPublisher(request.aws().settings(environment))) {
      ProjectPublisher projectPublisher =
          new ProjectPublisher(
              publisher,
              new ProjectBuilds(environment, request.cacheDir(), progress, request.refresh())
                  .withPrebuilt());
      ProjectPublisher.Plan plan =
          projectPublisher.plan(
              project, request.layers(), CommaLists.split(request.settings().regions()));
      return PublishReport.of(projectPublisher.publish(plan, new ByRegion(progress)));
    }
  }

  /**
   * Region events of several layers published at once: a finished region is reported with the layer
   * its ARN names.
   */
  private static final class ByRegion implements PublishListener {
    private final PublishEvents events;
    private final Map<String, PublishEvents> byLayer = new ConcurrentHashMap<>();

    ByRegion(ProgressListener listener) {
      this.events = new PublishEvents(listener, null);
    }

    @Override
    public void step(String region, String step, String detail) {
      events.step(region, step, detail);
    }

    @Override
    public void retrying(String region, String operation, int attempt, String reason) {
      events.retrying(region, operation, attempt, reason);
    }

    @Override
    public void regionFinished(RegionResult result) {
      String layer = layerOf(result.layerVersionArn());
      (layer == null ? events : byLayer.computeIfAbsent(layer, events::forLayer))
          .regionFinished(result);
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION} → NAME. */
    private static String layerOf(String arn) {
      if (arn == null) {
        return null;
      }
      String[] parts = arn.split(":");
      return parts.length >= 8 ? parts[6] : null;
    }
  }
}
