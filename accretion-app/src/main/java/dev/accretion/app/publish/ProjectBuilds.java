package dev.accretion.app.publish;

import dev.accretion.app.Environment;
import dev.accretion.app.TargetSpec;
import dev.accretion.app.build.BuildLayer;
import dev.accretion.app.build.BuildRequest;
import dev.accretion.app.build.ProjectLayers;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.project.ArtifactSource;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.artifact.BuiltArtifact;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a publish gets a layer's zips: the prebuilt ones a project layer names ({@code artifact =
 * "dist/x.zip"}), else a build of its listing for its runtimes × architectures with the defaults of
 * {@code accretion build} (so an unchanged listing is a cache hit), written to {@code dist/} beside
 * the project file (or in the working directory).
 *
 * <p>Thread-safe without a lock of its own: every build opens its own builder, and the shared cache
 * coordinates concurrent builds (threads of one JVM and other processes), so a service may build
 * the layers of several projects at once.
 */
final class ProjectBuilds implements ArtifactSource {
  private final Environment environment;
  private final Path cacheDir;
  private final ProgressListener listener;
  private final boolean refresh;

  ProjectBuilds(Environment environment, Path cacheDir, ProgressListener listener) {
    this(environment, cacheDir, listener, false);
  }

  ProjectBuilds(
      Environment environment, Path cacheDir, ProgressListener listener, boolean refresh) {
    this.environment = environment;
    this.cacheDir = cacheDir;
    this.listener = listener;
    this.refresh = refresh;
  }

  /** Prebuilt zips where the layer names them, else this builder. */
  ArtifactSource withPrebuilt() {
    return ArtifactSource.prebuiltOr(this);
  }

  @Override
  public List<BuiltArtifact> artifacts(ProjectFile.LayerConfig layer) throws AccretionException {
    if (layer.listing() == null) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, layer.where() + ": names neither a listing nor an artifact");
    }
    Path base =
        layer.file() != null
            ? layer.file().toAbsolutePath().getParent()
            : environment.workingDirectory();
    BuildRequest request =
        ProjectLayers.request(
            layer,
            BuildRequest.of(layer.listing(), TargetSpec.of("unused", null), base, null),
            base.resolve("dist"),
            cacheDir == null ? null : environment.resolve(cacheDir));
    if (refresh) {
      request = request.withRefresh(true);
    }
    try {
      return new BuildLayer(ProjectLayers.environment(environment, layer))
          .buildArtifacts(
              request, ProgressListener.prefixed(listener, "building " + layer.name() + ": "));
    } catch (AccretionException e) {
      throw new AccretionException(e.kind(), layer.where() + ": " + e.problem(), e.advice(), e);
    }
  }
}
