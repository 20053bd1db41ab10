package dev.accretion.app.cache;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheEntryKind;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.CacheReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Use case {@code cache ls}: what the shared cache holds, counts and sizes by kind, and the largest
 * blobs. Thread-safe.
 */
public final class InspectCache {
  private final Environment environment;

  public InspectCache(Environment environment) {
    this.environment = environment;
  }

  /** Count and bytes of one kind of entry. */
  public record Entries(long count, long bytes) {}

  /** A large blob and the built files it is (empty for a downloaded file). */
  public record LargeBlob(String sha256, long bytes, Instant lastUsed, List<String> names) {
    public LargeBlob {
      names = List.copyOf(names);
    }
  }

  /**
   * @param usage by kind name ({@code blobs}, {@code selectors}, {@code quarantine}, {@code tmp}),
   *     in that order
   */
  public record Result(
      Path root, long totalBytes, Map<String, Entries> usage, List<LargeBlob> largest) {
    public Result {
      usage = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(usage));
      largest = List.copyOf(largest);
    }

    /** The documented {@code cache ls --json} document. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("root", root.toString());
      m.put("totalBytes", totalBytes);
      Map<String, Object> kinds = new LinkedHashMap<>();
      usage.forEach(
          (kind, u) -> {
            Map<String, Object> um = new LinkedHashMap<>();
            um.put("count", u.count());
            um.put("bytes", u.bytes());
            kinds.put(kind, um);
          });
      m.put("usage", kinds);
      List<Map<String, Object>> list = new ArrayList<>();
      for (LargeBlob b : largest) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("sha256", b.sha256());
        bm.put("bytes", b.bytes());
        bm.put("lastUsed", b.lastUsed().toString());
        bm.put("names", b.names());
        list.add(bm);
      }
      m.put("largest", list);
      return Json.write(m);
    }
  }

  /**
   * @param cacheDir the cache folder, or null for the default
   */
  public Result inspect(Path cacheDir) throws AccretionException {
    CacheReport report =
        Cache.open(Sources.cache(environment, cacheDir), CacheListener.none()).ls();
    Map<String, Entries> usage = new LinkedHashMap<>();
    for (CacheEntryKind kind : CacheEntryKind.values()) {
      CacheReport.Usage u = report.usage(kind);
      usage.put(CacheKinds.name(kind), new Entries(u.count(), u.bytes()));
    }
    List<LargeBlob> largest = new ArrayList<>();
    for (CacheReport.LargeBlob b : report.largest()) {
      largest.add(new LargeBlob(b.sha256(), b.size(), b.lastUsed(), b.names()));
    }
    return new Result(report.root(), report.totalBytes(), usage, largest);
  }
}
