package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.ManagedLayer;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code ls}: the layers Accretion manages (their latest version carries its digest
 * marker), with the latest version per region; or only the Lambda layers of one layer (and target).
 * Regions: the request's, else the project file's (the layer's, or every layer's), else the
 * environment's default. Thread-safe.
 */
public final class ListLayers {
  private final Environment environment;

  public ListLayers(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param layer only this layer: its Lambda layer, or the Lambda layers it was published as (one
   *     per target); null for every managed layer
   * @param runtime with a layer, only Lambda layers whose latest version serves this runtime
   * @param architecture with a layer, only those that serve this architecture
   * @param regions the regions to list (comma lists allowed); empty for the default
   */
  public record Request(
      String layer, String runtime, String architecture, List<String> regions, AwsAccess aws) {
    public Request {
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /**
   * The regions listed and each managed layer's latest version there.
   *
   * @param filter what the request asked for in words ("web-deps for python3.12 on arm64"), or null
   *     for every managed layer
   */
  public record Result(List<String> regions, List<VersionInfo> layers, String filter) {
    public Result {
      regions = List.copyOf(regions);
      layers = List.copyOf(layers);
    }

    /** The documented {@code ls --json} document: {@code {"regions", "layers": [...]}}. */
    public String toJson() {
      List<Map<String, Object>> out = new ArrayList<>();
      for (VersionInfo v : layers) {
        out.add(v.tree());
      }
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("regions", regions);
      root.put("layers", out);
      return Json.write(root);
    }
  }

  /**
   * @throws AccretionException a usage failure for a runtime or architecture without a layer, a bad
   *     layer name, runtime or architecture
   */
  public Result list(Request request) throws AccretionException {
    if (request.layer() == null && (request.runtime() != null || request.architecture() != null)) {
      throw Usage.error("--runtime and --arch filter the layers of one LAYER: name it");
    }
    LayerQuery filter =
        request.layer() == null
            ? null
            : LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), null, request.regions())) {
      List<String> regions = c.regions;
      if (regions.isEmpty() && c.project.isPresent()) {
        regions =
            request.layer() != null
                ? LayerLookup.forLayer(
                    List.of(), c.project, request.layer(), c.catalog::defaultRegion)
                : LayerLookup.ofProject(c.project.get());
      }
      if (regions.isEmpty()) {
        regions = List.of(c.catalog.defaultRegion());
      }
      List<VersionInfo> layers = new ArrayList<>();
      for (ManagedLayer m : c.catalog.list(regions, filter)) {
        layers.add(VersionInfo.of(m.latest()));
      }
      return new Result(
          regions,
          layers,
          filter == null
              ? null
              : filter.layerName() + (filter.hasTarget() ? " for " + filter.targetText() : ""));
    }
  }
}
