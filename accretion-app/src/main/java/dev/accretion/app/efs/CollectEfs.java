package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Target;
import dev.accretion.efs.StoreMaintenance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Use case {@code efs gc}: removes the views of every set not kept and the version folders no kept
 * set (and no install in progress) uses. A kept set is named by its lock (resolved as {@code efs
 * install} would, for the request's target) or by its view digest. Safe against concurrent
 * installs. Thread-safe.
 */
public final class CollectEfs {
  private final Environment environment;

  public CollectEfs(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param keep locks (or listings) and view digests (64 hex digits) of the sets to keep
   */
  public record Request(
      Path root,
      List<String> keep,
      String runtime,
      String architecture,
      boolean dryRun,
      IndexSettings sources,
      Path cacheDir) {
    public Request {
      Objects.requireNonNull(root, "root");
      keep = List.copyOf(keep);
      Objects.requireNonNull(sources, "sources");
    }
  }

  /** {@link #toJson()} is the {@code efs gc --json} document. */
  public record Result(
      Path root,
      boolean dryRun,
      long removedBytes,
      List<String> removedVersions,
      List<String> removedViews,
      List<String> keptVersions,
      List<String> keptViews) {
    public Result {
      removedVersions = List.copyOf(removedVersions);
      removedViews = List.copyOf(removedViews);
      keptVersions = List.copyOf(keptVersions);
      keptViews = List.copyOf(keptViews);
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("root", root.toString());
      m.put("dryRun", dryRun);
      m.put("removedBytes", removedBytes);
      m.put("removedVersions", removedVersions);
      m.put("removedViews", removedViews);
      m.put("keptVersions", keptVersions);
      m.put("keptViews", keptViews);
      return Json.write(m);
    }
  }

  public Result collect(Request request, ProgressListener listener) throws AccretionException {
    Path root = environment.resolve(request.root());
    Set<String> keep = new TreeSet<>();
    Target target = null;
    for (String k : request.keep()) {
      if (k.matches("[0-9a-f]{64}")) {
        keep.add(k);
        continue;
      }
      if (target == null) {
        target = EfsSupport.target(request.runtime(), request.architecture());
      }
      keep.add(
          EfsSupport.installer(
                  environment, request.cacheDir(), ProgressListener.warningsOnce(listener))
              .resolve(
                  EfsSupport.listing(environment, Path.of(k)),
                  null,
                  EfsSupport.options(request.sources()),
                  target)
              .digest());
    }
    StoreMaintenance.Collected c = StoreMaintenance.collect(root, keep, request.dryRun());
    return new Result(
        root,
        c.dryRun(),
        c.removedBytes(),
        c.removedVersions(),
        c.removedViews(),
        c.keptVersions(),
        c.keptViews());
  }
}
