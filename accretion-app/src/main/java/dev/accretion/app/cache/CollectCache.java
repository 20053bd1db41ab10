package dev.accretion.app.cache;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheEntryKind;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.GcPolicy;
import dev.accretion.core.cache.GcReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Use case {@code cache gc}: removes what is no longer used (blobs no cached build references and
 * build records unused for the given days, abandoned temporary files, quarantined entries); nothing
 * used in the last hour, so concurrent builds are safe. Thread-safe.
 */
public final class CollectCache {
  private final Environment environment;

  public CollectCache(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param cacheDir the cache folder, or null for the default
   * @param olderThanDays remove entries unused for more than this many days, or null for 30
   * @param dryRun only say what would be removed
   */
  public record Request(Path cacheDir, Long olderThanDays, boolean dryRun) {}

  /** One entry removed (or that would be). */
  public record Removal(String kind, Path path, long bytes, String reason) {}

  /**
   * @param byKind removals counted by kind name, only kinds with removals, in kind order
   */
  public record Result(
      boolean dryRun,
      long bytes,
      List<Removal> removals,
      Map<String, InspectCache.Entries> byKind) {
    public Result {
      removals = List.copyOf(removals);
      byKind = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    }

    /** The documented {@code cache gc --json} document. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dryRun", dryRun);
      m.put("bytes", bytes);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Removal r : removals) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("kind", r.kind());
        rm.put("path", r.path().toString());
        rm.put("bytes", r.bytes());
        rm.put("reason", r.reason());
        list.add(rm);
      }
      m.put("removals", list);
      return Json.write(m);
    }
  }

  /**
   * @throws AccretionException a usage failure for negative days
   */
  public Result collect(Request request) throws AccretionException {
    GcPolicy policy = GcPolicy.defaults().withDryRun(request.dryRun());
    if (request.olderThanDays() != null) {
      if (request.olderThanDays() < 0) {
        throw Usage.error("--older-than must be 0 or more days, got " + request.olderThanDays());
      }
      policy = policy.withMaxUnused(Duration.ofDays(request.olderThanDays()));
    }
    GcReport report =
        Cache.open(Sources.cache(environment, request.cacheDir()), CacheListener.none()).gc(policy);
    List<Removal> removals = new ArrayList<>();
    for (GcReport.Removal r : report.removals()) {
      removals.add(new Removal(CacheKinds.name(r.kind()), r.path(), r.bytes(), r.reason()));
    }
    Map<String, InspectCache.Entries> byKind = new LinkedHashMap<>();
    for (CacheEntryKind kind : CacheEntryKind.values()) {
      if (report.count(kind) > 0) {
        byKind.put(
            CacheKinds.name(kind),
            new InspectCache.Entries(report.count(kind), report.bytes(kind)));
      }
    }
    return new Result(report.dryRun(), report.bytes(), removals, byKind);
  }
}
