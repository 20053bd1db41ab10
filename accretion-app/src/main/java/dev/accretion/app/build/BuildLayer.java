package dev.accretion.app.build;

import dev.accretion.app.Deprecations;
import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerNames;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Use case {@code build}: a listing and its targets → reproducible layer zips with their manifest,
 * SBOM and locks, through the shared cache (an unchanged rebuild is copied from it).
 *
 * <p>The builder of the listing is chosen by the layer pipeline's registry (the listing's format,
 * else the builder that reads it). Thread-safe, and builds may run at the same time in one JVM and
 * across processes on one cache: every call runs its own build; the cache coordinates concurrent
 * writers itself.
 */
public final class BuildLayer {
  private final Environment environment;

  public BuildLayer(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException a usage failure for a bad option (layout, name, reserve, slim
   *     pattern, no target); otherwise the build's failure with its kind (bad input, conflict,
   *     refused, too large, unreachable...)
   */
  public BuildResult build(BuildRequest request, ProgressListener listener)
      throws AccretionException {
    long start = System.nanoTime();
    dev.accretion.pipeline.BuildResult result = run(request, listener);
    List<BuildResult.Artifact> artifacts = new ArrayList<>();
    for (BuiltArtifact a : result.artifacts()) {
      artifacts.add(artifact(a));
    }
    return new BuildResult(
        result.layerName(),
        artifacts,
        result.fromCache(),
        result.warnings(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * As {@link #build}, giving the built artifacts as the publisher takes them (for the use cases
   * that build, then publish).
   */
  public List<BuiltArtifact> buildArtifacts(BuildRequest request, ProgressListener listener)
      throws AccretionException {
    return run(request, listener).artifacts();
  }

  private dev.accretion.pipeline.BuildResult run(BuildRequest request, ProgressListener listener)
      throws AccretionException {
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    List<Target> targets = request.targets().targets(RuntimeMatrix.load());
    if (request.name() != null && !LayerNames.isValid(request.name())) {
      throw Usage.error(
          "--name '"
              + request.name()
              + "' is not a valid layer name: use 1 to 64 letters, digits, '-' or '_'");
    }
    long reserveBytes = request.reserveMiB() * 1024L * 1024L;
    if (request.reserveMiB() < 0 || reserveBytes >= BuildResult.LAMBDA_UNZIPPED_BYTES) {
      throw Usage.error(
          "--reserve must be between 0 and 249 MiB (the layer budget is 250 MiB), got "
              + request.reserveMiB());
    }
    for (Target t : targets) {
      Deprecations.warnIfDeprecated(t, progress);
    }
    Map<String, List<String>> options =
        Sources.builderOptions(request.sources(), request.extras(), request.groups());
    // the Python builder's layout options (it checks them: a bad value is a usage failure)
    options.put("layout", List.of(request.layout()));
    if (!request.scripts()) {
      options.put("scripts", List.of("false"));
    }
    if (request.slim()) {
      options.put("slim", List.of("true"));
    }
    if (!request.slimPatterns().isEmpty()) {
      options.put("slim-pattern", request.slimPatterns());
    }
    if (request.allowBadRecord()) {
      options.put("allow-bad-record", List.of("true"));
    }
    // the builder's own options (--settings, --workspace, accretion.toml's keys) over the flags'
    options.putAll(request.builder().options());
    Path listing = environment.resolve(request.listing());
    BuilderRegistry registry = Registry.with(plugins(request.builder().plugins()));
    String builderId = request.builder().builder();
    dev.accretion.pipeline.BuildRequest build =
        new dev.accretion.pipeline.BuildRequest(
            listing,
            request.format(),
            builderId,
            BuilderOptions.of(
                Sources.forBuilder(
                    registry, listing, request.format(), builderId, targets, options)),
            targets,
            request.name(),
            environment.resolve(request.output()),
            Placement.LAYER,
            request.excludes(),
            reserveBytes,
            request.refresh(),
            request.allowEmpty(),
            Sources.context(environment, request.cacheDir(), new BuildEvents(progress)));
    dev.accretion.pipeline.BuildResult result = new LayerPipeline(registry).build(build);
    progress.idle();
    // warnings of a cached build, or of an artifact, were not reported while building
    for (String w : result.warnings()) {
      progress.warning(w);
    }
    return result;
  }

  /** Plug-in jars relative to the working directory. */
  private List<Path> plugins(List<Path> jars) {
    List<Path> out = new ArrayList<>();
    for (Path jar : jars) {
      out.add(environment.resolve(jar));
    }
    return out;
  }

  private static BuildResult.Artifact artifact(BuiltArtifact a) {
    List<BuildResult.PackageSize> packages = new ArrayList<>();
    for (BuiltArtifact.PackageSize p : a.packages()) {
      packages.add(
          new BuildResult.PackageSize(p.name(), p.version(), p.unzippedBytes(), p.files()));
    }
    return new BuildResult.Artifact(
        a.zip(),
        a.runtimes(),
        a.architectures(),
        a.sha256Hex(),
        a.codeSha256(),
        a.contentDigest(),
        a.zippedBytes(),
        a.unzippedBytes(),
        a.budgetBytes(),
        a.needsS3Upload(),
        packages,
        a.notes());
  }
}
