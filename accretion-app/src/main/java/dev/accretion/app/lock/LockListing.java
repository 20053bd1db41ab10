package dev.accretion.app.lock;

import dev.accretion.app.Deprecations;
import dev.accretion.app.Environment;
import dev.accretion.app.Sizes;
import dev.accretion.app.build.Registry;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Use case {@code lock}: resolves a listing for each target (a lock file is used as it is) and
 * writes the builder's lock file per target (for Python, a PEP 751 {@code pylock.toml}), through
 * the layer pipeline, whose registry picks the builder. A target without a solution does not stop
 * the others; the result says which failed ({@link LockResult#failure()}).
 *
 * <p>Lock file names (the pipeline's): one target and no {@code output} gives {@code pylock.toml}
 * beside the listing; several targets give {@code pylock.<runtime>-<arch>.toml} (dots dropped:
 * {@code pylock.python312-arm64.toml}) in {@code output} or beside the listing; an {@code output}
 * that is not a folder is the file of a single target.
 *
 * <p>Thread-safe: every call works on its own.
 */
public final class LockListing {
  private final Environment environment;

  public LockListing(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException when the listing cannot be read or a target is unknown (usage or
   *     bad-input failures); a target that cannot be resolved is a failed entry of the result
   */
  public LockResult lock(LockRequest request, ProgressListener listener) throws AccretionException {
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    long start = System.nanoTime();
    List<Target> targets = request.targets().targets(RuntimeMatrix.load());
    for (Target t : targets) {
      Deprecations.warnIfDeprecated(t, progress);
    }
    Path listing = environment.resolve(request.listing());
    List<Path> plugins = new ArrayList<>();
    for (Path jar : request.builder().plugins()) {
      plugins.add(environment.resolve(jar));
    }
    BuilderRegistry registry = Registry.with(plugins);
    String builderId = request.builder().builder();
    Map<String, List<String>> options =
        Sources.builderOptions(request.sources(), request.extras(), request.groups());
    options.putAll(request.builder().options());
    dev.accretion.pipeline.LockResult result =
        new LayerPipeline(registry)
            .lock(
                new dev.accretion.pipeline.LockRequest(
                    listing,
                    request.format(),
                    builderId,
                    BuilderOptions.of(
                        Sources.forBuilder(
                            registry, listing, request.format(), builderId, targets, options)),
                    targets,
                    request.output() == null ? null : environment.resolve(request.output()),
                    request.allowEmpty(),
                    Sources.context(
                        environment,
                        request.cacheDir(),
                        event -> {
                          switch (event) {
                            case BuildEvent.Warning w -> progress.warning(w.message());
                            case BuildEvent.Resolving r ->
                                progress.activity("resolving " + r.target());
                            case BuildEvent.Step s ->
                                progress.activity(
                                    "resolving: " + s.what() + " " + s.done() + "/" + s.total());
                            default -> {}
                          }
                        })));
    progress.idle();
    for (String w : result.warnings()) {
      progress.warning(w);
    }
    List<LockResult.TargetLock> locks = new ArrayList<>();
    for (dev.accretion.pipeline.LockResult.TargetLock l : result.locks()) {
      Target t = l.target();
      if (l.failed()) {
        locks.add(
            new LockResult.TargetLock(
                t.runtime().id(),
                t.architecture().lambdaName(),
                t.toString(),
                t.describe(),
                null,
                List.of(),
                List.of(),
                0,
                0,
                l.millis(),
                l.failure()));
        continue;
      }
      Resolution resolution = l.resolution();
      for (String w : resolution.warnings()) {
        progress.warning(w);
      }
      int count = resolution.packages().size();
      progress.stage(
          "Resolved "
              + count
              + (count == 1 ? " package for " : " packages for ")
              + t
              + " in "
              + Sizes.duration(l.millis())
              + (l.file() == null ? "" : " -> " + l.file().getFileName()));
      locks.add(
          new LockResult.TargetLock(
              t.runtime().id(),
              t.architecture().lambdaName(),
              t.toString(),
              resolution.target().describe(),
              l.file(),
              packages(resolution),
              resolution.warnings(),
              fact(resolution, "rounds"),
              fact(resolution, "backtracks"),
              l.millis(),
              null));
    }
    return new LockResult(result.listing(), locks, (System.nanoTime() - start) / 1_000_000);
  }

  private static int fact(Resolution resolution, String key) {
    return resolution.facts().get(key) instanceof Number n ? n.intValue() : 0;
  }

  private static List<LockResult.LockedPackage> packages(Resolution resolution) {
    List<LockResult.LockedPackage> out = new ArrayList<>();
    for (ResolvedPackage p : resolution.packages()) {
      out.add(
          new LockResult.LockedPackage(
              p.name(),
              p.version(),
              p.source() == null ? null : p.source().filename(),
              p.source() == null ? null : p.source().url().toString(),
              p.source() == null ? null : p.source().sha256().map(d -> d.hex()).orElse(null),
              p.requiredBy()));
    }
    return out;
  }
}
