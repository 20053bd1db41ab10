package dev.accretion.app.service;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.catalog.LayerLookup;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.LocatedLayer;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case "the published versions of a layer in a region": every version of every Lambda layer the
 * layer was published as (its own name, or one per target), newest first per Lambda layer.
 * Thread-safe.
 */
public final class ListVersions {
  private final Environment environment;

  public ListVersions(Environment environment) {
    this.environment = environment;
  }

  /** The layer (a managed layer's name) and the region. */
  public record Request(String layer, String region, AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** One version; {@code digest} is null for a version Accretion did not publish. */
  public record Version(
      String lambdaLayer,
      long version,
      String layerVersionArn,
      String created,
      String digest,
      List<String> runtimes,
      List<String> architectures) {
    public Version {
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
    }
  }

  /** The versions found. */
  public record Result(String layer, String region, List<Version> versions) {
    public Result {
      versions = List.copyOf(versions);
    }

    /** {@code {"layer", "region", "versions": [{"lambdaLayer", "version", ...}]}}. */
    public String toJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("layer", layer);
      root.put("region", region);
      List<Map<String, Object>> out = new ArrayList<>();
      for (Version v : versions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambdaLayer", v.lambdaLayer());
        m.put("version", v.version());
        m.put("layerVersionArn", v.layerVersionArn());
        m.put("created", v.created());
        m.put("digest", v.digest());
        m.put("runtimes", v.runtimes());
        m.put("architectures", v.architectures());
        out.add(m);
      }
      root.put("versions", out);
      return Json.write(root);
    }
  }

  /**
   * @throws AccretionException a usage failure for a bad name or region; an AWS failure
   */
  public Result list(Request request) throws AccretionException {
    try (LayerCatalog catalog =
        new LayerCatalog(
            request.aws().settings(environment),
            LayerLookup.bucketPattern(Optional.empty(), request.layer()))) {
      List<Version> out = new ArrayList<>();
      for (LocatedLayer located : catalog.layersOf(request.layer(), request.region())) {
        for (LayerVersionInfo v : catalog.versions(located.lambdaLayerName(), request.region())) {
          out.add(
              new Version(
                  v.layerName(),
                  v.version(),
                  v.layerVersionArn(),
                  v.created() == null ? null : v.created().toString(),
                  v.sha256(),
                  v.compatibleRuntimes(),
                  v.compatibleArchitectures()));
        }
      }
      return new Result(request.layer(), request.region(), out);
    }
  }
}
