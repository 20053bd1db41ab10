package dev.accretion.app.publish;

import dev.accretion.app.Environment;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.LayerPublisher;
import dev.accretion.aws.PublishResult;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.util.List;
import java.util.Optional;

/**
 * Use case {@code publish <zip> --layer NAME}: one built zip to every region, a new version only
 * where the latest one does not already hold these bytes. Thread-safe.
 */
public final class PublishZip {
  private final Environment environment;

  public PublishZip(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException before any AWS call, for a request that cannot be published (the zip
   *     or its manifest, names, limits, regions, credentials); a region that fails is a failed
   *     entry of the report
   */
  public PublishReport publish(PublishZipRequest request, ProgressListener listener)
      throws AccretionException {
    BuiltArtifact artifact =
        BuiltArtifact.read(environment.resolve(request.zip()))
            .restrictTo(request.settings().runtimes(), request.settings().architectures());
    Optional<ProjectFile.LayerConfig> project =
        SettingsMerge.projectLayer(environment, request.aws(), request.layer());
    ProjectFile.LayerConfig config =
        SettingsMerge.merge(
            environment,
            request.layer(),
            request.settings(),
            project,
            null,
            artifact.runtimes(),
            artifact.architectures());
    try (LayerPublisher publisher = new LayerPublisher(request.aws().settings(environment))) {
      PublishResult result =
          publisher.publish(
              config.publishRequest(
                  request.layer(),
                  artifact.zip(),
                  artifact.sha256Hex(),
                  artifact.contentDigest(),
                  artifact.runtimes(),
                  artifact.architectures(),
                  artifact.manifestJson(),
                  List.of()),
              new PublishEvents(ProgressListener.warningsOnce(listener), null));
      return PublishReport.of(List.of(result));
    }
  }
}
