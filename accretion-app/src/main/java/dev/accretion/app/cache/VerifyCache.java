package dev.accretion.app.cache;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.VerifyReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Use case {@code cache verify}: re-hashes every blob and checks every selector; corrupt blobs are
 * moved to quarantine (the next build fetches them again). Thread-safe.
 */
public final class VerifyCache {
  private final Environment environment;

  public VerifyCache(Environment environment) {
    this.environment = environment;
  }

  /** A blob whose content has another sha256, and where it was moved. */
  public record CorruptBlob(String sha256, String actualSha256, Path quarantined) {}

  /** A build record that points at something missing or damaged. */
  public record BrokenSelector(String key, String reason) {}

  /**
   * A partial file a killed build left in the cache's tmp folder, removed when the cache opened.
   */
  public record Leftover(Path file, long size) {}

  /**
   * What was checked and found.
   *
   * @param ok true when nothing was wrong
   */
  public record Result(
      boolean ok,
      long blobsChecked,
      long bytesChecked,
      List<CorruptBlob> corrupt,
      List<BrokenSelector> brokenSelectors,
      List<Path> unexpectedFiles,
      List<Leftover> leftovers) {
    public Result {
      leftovers = List.copyOf(leftovers);
      corrupt = List.copyOf(corrupt);
      brokenSelectors = List.copyOf(brokenSelectors);
      unexpectedFiles = List.copyOf(unexpectedFiles);
    }

    /** A failure when something was wrong (it was set aside; the result says what). */
    public Optional<AccretionException> failure() {
      return ok()
          ? Optional.empty()
          : Optional.of(
              new AccretionException(
                  FailureKind.FAILED,
                  "cache verify found "
                      + corrupt.size()
                      + " corrupt blobs, "
                      + brokenSelectors.size()
                      + " broken build records and "
                      + unexpectedFiles.size()
                      + " files that are not Accretion's"));
    }

    /** The documented {@code cache verify --json} document. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", ok());
      m.put("blobsChecked", blobsChecked);
      m.put("bytesChecked", bytesChecked);
      List<Map<String, Object>> c = new ArrayList<>();
      for (CorruptBlob b : corrupt) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("sha256", b.sha256());
        bm.put("actualSha256", b.actualSha256());
        bm.put("quarantined", b.quarantined().toString());
        c.add(bm);
      }
      m.put("corrupt", c);
      List<Map<String, Object>> s = new ArrayList<>();
      for (BrokenSelector b : brokenSelectors) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("key", b.key());
        bm.put("reason", b.reason());
        s.add(bm);
      }
      m.put("brokenSelectors", s);
      m.put("unexpectedFiles", unexpectedFiles.stream().map(Object::toString).toList());
      List<Map<String, Object>> l = new ArrayList<>();
      for (Leftover x : leftovers) {
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("file", x.file().toString());
        lm.put("size", x.size());
        l.add(lm);
      }
      m.put("leftoversRemoved", l);
      return Json.write(m);
    }
  }

  /**
   * @param cacheDir the cache folder, or null for the default
   */
  public Result verify(Path cacheDir) throws AccretionException {
    VerifyReport report =
        Cache.open(Sources.cache(environment, cacheDir), CacheListener.none()).verify();
    return new Result(
        report.ok(),
        report.blobsChecked(),
        report.bytesChecked(),
        report.corrupt().stream()
            .map(b -> new CorruptBlob(b.sha256(), b.actualSha256(), b.quarantined()))
            .toList(),
        report.brokenSelectors().stream()
            .map(b -> new BrokenSelector(b.key(), b.reason()))
            .toList(),
        report.unexpectedFiles(),
        report.leftovers().stream().map(x -> new Leftover(x.file(), x.size())).toList());
  }
}
