package dev.accretion.app.build;

import dev.accretion.app.Deprecations;
import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.layer.BuiltArtifact;
import dev.accretion.python.layer.LayerBuildRequest;
import dev.accretion.python.layer.LayerBuildResult;
import dev.accretion.python.layer.LayerNames;
import dev.accretion.python.layer.PythonLayerBuilder;
import dev.accretion.python.lock.Locker;
import java.util.ArrayList;
import java.util.List;

/**
 * Use case {@code build}: a listing and its targets → reproducible layer zips with their manifest,
 * SBOM and locks, through the shared cache (an unchanged rebuild is copied from it).
 *
 * <p>Thread-safe, and builds may run at the same time in one JVM and across processes on one cache:
 * every call opens its own builder; the cache coordinates concurrent writers itself.
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
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    List<Target> targets = request.targets().targets(RuntimeMatrix.load());
    Layout layout;
    try {
      layout = Layout.parse(request.layout());
    } catch (IllegalArgumentException e) {
      throw Usage.error(e.getMessage());
    }
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
    Slimming slimming;
    try {
      slimming = new Slimming(request.slim(), request.slimPatterns());
    } catch (IllegalArgumentException e) {
      throw Usage.error(e.getMessage());
    }
    for (Target t : targets) {
      Deprecations.warnIfDeprecated(t, progress);
    }
    BuildEvents events = new BuildEvents(progress);
    CacheLocation cache = Sources.cache(environment, request.cacheDir());
    Locker.Options options =
        Sources.lockerOptions(
            environment,
            request.sources(),
            cache,
            request.format(),
            request.extras(),
            request.groups(),
            events);
    LayerBuildRequest build =
        new LayerBuildRequest(
            environment.resolve(request.listing()),
            options,
            targets,
            request.name(),
            environment.resolve(request.output()),
            layout,
            request.scripts(),
            request.excludes(),
            slimming,
            reserveBytes,
            request.allowBadRecord(),
            request.refresh());
    LayerBuildResult result =
        new PythonLayerBuilder(Cache.open(cache, CacheListener.none()), events).build(build);
    progress.idle();
    // warnings of a cached build, or of an artifact, were not reported while building
    for (String w : result.warnings()) {
      progress.warning(w);
    }
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
        a.sha256(),
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
