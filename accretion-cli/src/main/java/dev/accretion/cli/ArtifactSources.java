package dev.accretion.cli;

import dev.accretion.aws.project.ArtifactSource;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerNames;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where {@code accretion publish} gets a layer's zips: the prebuilt ones a project layer names
 * ({@code artifact = "dist/x.zip"}), else a build of its listing for its runtimes × architectures
 * (the same build as {@code accretion build}, so an unchanged listing is a cache hit), written to
 * {@code dist/} beside the project file (or the working directory).
 */
final class ArtifactSources {
  private ArtifactSources() {}

  static ArtifactSource forProject(Context context, CacheOptions cache) {
    return ArtifactSource.prebuiltOr(layer -> build(context, cache, layer));
  }

  /** Builds a layer's listing with the default build options. */
  static List<BuiltArtifact> build(
      Context context, CacheOptions cache, ProjectFile.LayerConfig layer)
      throws AccretionException {
    if (layer.listing() == null) {
      throw new AccretionException(layer.where() + ": names neither a listing nor an artifact");
    }
    RuntimeMatrix matrix = RuntimeMatrix.load();
    Set<Target> targets = new LinkedHashSet<>();
    for (String runtime : layer.runtimes()) {
      for (String arch :
          layer.architectures().isEmpty() ? List.of("x86_64") : layer.architectures()) {
        targets.add(matrix.target(runtime, arch));
      }
    }
    Path base =
        layer.file() != null
            ? layer.file().toAbsolutePath().getParent()
            : context.workingDirectory();
    Path listing = base.resolve(layer.listing()).normalize();
    Progress progress = new Progress(context);
    progress.label("building " + layer.name());
    // the layer's own name for the files, when it is one the build accepts
    String name = LayerNames.isValid(layer.name()) ? layer.name() : null;
    BuildRequest request =
        BuildRequest.of(
                listing,
                List.copyOf(targets),
                base.resolve("dist"),
                new BuildContext(
                    context.env(),
                    context.home(),
                    context.workingDirectory(),
                    cache.location(context).root(),
                    new BuildProgress(progress)))
            .withName(name);
    BuildResult result;
    synchronized (ArtifactSources.class) {
      // layers of one project may be published in parallel; their builds take turns
      try {
        result = new LayerPipeline(BuilderRegistry.load()).build(request);
      } catch (AccretionException e) {
        throw new AccretionException(e.kind(), layer.where() + ": " + e.problem(), e.advice(), e);
      }
    }
    progress.clear();
    return result.artifacts();
  }
}
