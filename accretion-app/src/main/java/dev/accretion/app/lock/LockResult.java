package dev.accretion.app.lock;

import dev.accretion.app.Json;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a lock wrote: one entry per target, in request order, the failed ones included (a target
 * without a solution doesn't stop the others). Immutable.
 *
 * @param listing the listing, absolute
 * @param locks one per target
 * @param elapsedMillis the whole run
 */
public record LockResult(Path listing, List<TargetLock> locks, long elapsedMillis) {
  public LockResult {
    Objects.requireNonNull(listing, "listing");
    locks = List.copyOf(locks);
  }

  /**
   * One target's lock, or its failure.
   *
   * @param runtime the runtime id
   * @param architecture {@code x86_64} or {@code arm64}
   * @param target the target as messages name it, {@code python3.12/x86_64}
   * @param description the target for people: "python3.12 (Amazon Linux 2023, glibc 2.34) on
   *     x86_64"
   * @param lock the file written; null when the target failed
   * @param packages what was locked, by name
   * @param warnings what the resolution noticed
   * @param rounds resolver rounds
   * @param backtracks resolver backtracks
   * @param elapsedMillis time for this target
   * @param failure why there is no lock, or null
   */
  public record TargetLock(
      String runtime,
      String architecture,
      String target,
      String description,
      Path lock,
      List<LockedPackage> packages,
      List<String> warnings,
      int rounds,
      int backtracks,
      long elapsedMillis,
      AccretionException failure) {
    public TargetLock {
      Objects.requireNonNull(runtime, "runtime");
      Objects.requireNonNull(architecture, "architecture");
      packages = List.copyOf(packages);
      warnings = List.copyOf(warnings);
    }

    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * One locked package.
   *
   * @param sha256 the wheel's sha256 as the index gave it, or null
   * @param requiredBy {@code listing}, or the packages that depend on it
   */
  public record LockedPackage(
      String name,
      String version,
      String wheel,
      String url,
      String sha256,
      List<String> requiredBy) {
    public LockedPackage {
      requiredBy = List.copyOf(requiredBy);
    }
  }

  /** The targets without a lock. */
  public List<TargetLock> failures() {
    return locks.stream().filter(l -> !l.ok()).toList();
  }

  /**
   * Why the run is a failure, if it is: with one target its own failure; with several, "no lock for
   * N of M targets" of the first failure's kind (each target's failure is in {@link #locks}).
   */
  public Optional<AccretionException> failure() {
    List<TargetLock> failed = failures();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    if (locks.size() == 1) {
      return Optional.of(failed.get(0).failure());
    }
    return Optional.of(
        new AccretionException(
            failed.get(0).failure().kind(),
            "no lock for " + failed.size() + " of " + locks.size() + " targets"));
  }

  /**
   * The documented {@code lock --json} document: {@code {"listing", "locks": [{"runtime",
   * "architecture", "lock", "packages": [{"name", "version", "wheel", "url", "sha256"?,
   * "requiredBy"}], "warnings", "rounds", "backtracks", "elapsedMillis"}], "elapsedMillis"}}; a
   * failed target is {@code {"runtime", "architecture", "error"}}.
   */
  public String toJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TargetLock t : locks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runtime", t.runtime());
      m.put("architecture", t.architecture());
      if (!t.ok()) {
        m.put("error", t.failure().getMessage());
        list.add(m);
        continue;
      }
      m.put("lock", t.lock().toString());
      List<Map<String, Object>> packages = new ArrayList<>();
      for (LockedPackage p : t.packages()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("name", p.name());
        pm.put("version", p.version());
        pm.put("wheel", p.wheel());
        pm.put("url", p.url());
        if (p.sha256() != null) {
          pm.put("sha256", p.sha256());
        }
        pm.put("requiredBy", p.requiredBy());
        packages.add(pm);
      }
      m.put("packages", packages);
      m.put("warnings", t.warnings());
      m.put("rounds", t.rounds());
      m.put("backtracks", t.backtracks());
      m.put("elapsedMillis", t.elapsedMillis());
      list.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("listing", listing.toString());
    out.put("locks", list);
    out.put("elapsedMillis", elapsedMillis);
    return Json.write(out);
  }
}
