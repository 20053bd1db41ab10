package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.PackageDiff;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code diff}: packages added, removed and changed from one layer version to another
 * (from their manifests; names compared as PEP 503 normalizes them). Thread-safe.
 */
public final class DiffVersions {
  private final Environment environment;

  public DiffVersions(Environment environment) {
    this.environment = environment;
  }

  /**
   * Two versions of a layer in one region (at most one given; empty for the default).
   *
   * @param layer a project layer's name or a Lambda layer's
   * @param runtime the target runtime, to choose among a project layer's Lambda layers, or null
   * @param architecture the target architecture, or null
   */
  public record Request(
      String layer,
      long from,
      long to,
      String runtime,
      String architecture,
      List<String> regions,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** A package whose version changed. */
  public record Change(String name, String from, String to) {}

  /** What changed, each list sorted by normalized name; {@code layer} is the Lambda layer. */
  public record Result(
      String layer,
      String region,
      long from,
      long to,
      List<DescribeVersion.Package> added,
      List<DescribeVersion.Package> removed,
      List<Change> changed) {
    public Result {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** The documented {@code diff --json} document. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", layer);
      m.put("region", region);
      m.put("from", from);
      m.put("to", to);
      m.put("added", DescribeVersion.Package.trees(added));
      m.put("removed", DescribeVersion.Package.trees(removed));
      List<Map<String, Object>> list = new ArrayList<>();
      for (Change c : changed) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("name", c.name());
        cm.put("from", c.from());
        cm.put("to", c.to());
        list.add(cm);
      }
      m.put("changed", list);
      return Json.write(m);
    }
  }

  /**
   * @throws AccretionException a usage failure for a version below 1 or a bad layer name, runtime
   *     or architecture
   */
  public Result diff(Request request) throws AccretionException {
    if (request.from() < 1 || request.to() < 1) {
      throw Usage.error("versions are positive numbers, like 3 4");
    }
    LayerQuery query = LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), request.layer(), request.regions())) {
      String region = c.oneRegion(request.layer());
      String lambdaLayer = c.catalog.locate(query, region).lambdaLayerName();
      PackageDiff diff = c.catalog.diff(lambdaLayer, request.from(), request.to(), region);
      return new Result(
          lambdaLayer,
          region,
          request.from(),
          request.to(),
          DescribeVersion.Package.of(diff.added()),
          DescribeVersion.Package.of(diff.removed()),
          diff.changed().stream().map(ch -> new Change(ch.name(), ch.from(), ch.to())).toList());
    }
  }
}
