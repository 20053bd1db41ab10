package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.ManagedLayer;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code ls}: the layers Accretion manages (their latest version carries its digest
 * marker), with the latest version per region. Regions: the request's, else every region of the
 * project file, else the environment's default. Thread-safe.
 */
public final class ListLayers {
  private final Environment environment;

  public ListLayers(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param regions the regions to list (comma lists allowed); empty for the default
   */
  public record Request(List<String> regions, AwsAccess aws) {
    public Request {
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** The regions listed and each managed layer's latest version there. */
  public record Result(List<String> regions, List<VersionInfo> layers) {
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

  public Result list(Request request) throws AccretionException {
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), null, request.regions())) {
      List<String> regions = c.regions;
      if (regions.isEmpty() && c.project.isPresent()) {
        regions = LayerLookup.ofProject(c.project.get());
      }
      if (regions.isEmpty()) {
        regions = List.of(c.catalog.defaultRegion());
      }
      List<VersionInfo> layers = new ArrayList<>();
      for (ManagedLayer m : c.catalog.list(regions)) {
        layers.add(VersionInfo.of(m.latest()));
      }
      return new Result(regions, layers);
    }
  }
}
