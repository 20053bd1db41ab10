package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.PruneResult;
import dev.accretion.core.AccretionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code prune}: deletes old versions of a layer, all but the {@code keep} newest (and of
 * those only the ones older than {@code olderThanDays}); never the latest. A project layer
 * published as several Lambda layers (one per target) is pruned in each of them, or only in the one
 * that serves the runtime/architecture given. Regions: the request's, else every region of the
 * project's layer, else the environment's default. Thread-safe.
 */
public final class PruneVersions {
  private final Environment environment;

  public PruneVersions(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param layer a project layer's name or a Lambda layer's
   * @param keep how many of the newest versions to keep, at least 1
   * @param olderThanDays delete only versions older than this many days, or null
   * @param runtime only the Lambda layer of the layer that serves this runtime, or null for all
   * @param architecture only the one that serves this architecture, or null
   * @param delete false for a dry run (only say what would go)
   */
  public record Request(
      String layer,
      int keep,
      Integer olderThanDays,
      String runtime,
      String architecture,
      List<String> regions,
      boolean delete,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** What was (or would be) deleted and kept of one Lambda layer in one region. */
  public record Region(
      String region, String layer, List<VersionInfo> deleted, List<VersionInfo> kept) {
    public Region {
      deleted = List.copyOf(deleted);
      kept = List.copyOf(kept);
    }
  }

  /** Every region's outcome. */
  public record Result(String layer, boolean dryRun, List<Region> regions) {
    public Result {
      regions = List.copyOf(regions);
    }

    /** The documented {@code prune --json} document. */
    public String toJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("name", layer);
      root.put("dryRun", dryRun);
      List<Map<String, Object>> rs = new ArrayList<>();
      for (Region r : regions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", r.region());
        m.put("layer", r.layer());
        m.put("deleted", r.deleted().stream().map(VersionInfo::tree).toList());
        m.put("kept", r.kept().stream().map(VersionInfo::tree).toList());
        rs.add(m);
      }
      root.put("regions", rs);
      return Json.write(root);
    }
  }

  /**
   * @throws AccretionException a usage failure for {@code keep} below 1, negative days, a bad layer
   *     name, runtime or architecture; a not-found failure when no region has the layer
   */
  public Result prune(Request request) throws AccretionException {
    if (request.keep() < 1) {
      throw Usage.error("--keep must be at least 1: the latest version is never deleted");
    }
    if (request.olderThanDays() != null && request.olderThanDays() < 0) {
      throw Usage.error("--older-than must be 0 or more days");
    }
    LayerQuery query = LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    List<Region> regions = new ArrayList<>();
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), request.layer(), request.regions())) {
      for (PruneResult r :
          c.catalog.prune(
              query,
              c.regionsFor(request.layer()),
              request.keep(),
              request.olderThanDays() == null ? null : Duration.ofDays(request.olderThanDays()),
              !request.delete())) {
        regions.add(
            new Region(
                r.region(),
                r.layerName(),
                r.deleted().stream().map(VersionInfo::of).toList(),
                r.kept().stream().map(VersionInfo::of).toList()));
      }
    }
    return new Result(request.layer(), !request.delete(), regions);
  }
}
