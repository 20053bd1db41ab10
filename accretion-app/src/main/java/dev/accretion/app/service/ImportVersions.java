package dev.accretion.app.service;

import dev.accretion.app.Environment;
import dev.accretion.app.catalog.LayerLookup;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerVersionDetails;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.LocatedLayer;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Use case "the versions Accretion published of a layer, in a region, with their sizes": like
 * {@link ListVersions}, but only the versions that carry Accretion's marker (the archive digest in
 * the description) and whose manifest is in the staging bucket, each described once for its size
 * and package count. The service records these (after its own builds, and to import what the CLI
 * published). Versions are immutable, so those in {@code known} are listed without being described
 * again. Thread-safe.
 */
public final class ImportVersions {
  private final Environment environment;

  public ImportVersions(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param layer the layer's name (as published: its own Lambda layer, or one per target)
   * @param region the region
   * @param known version ARNs the caller has described already (listed, not described again)
   */
  public record Request(String layer, String region, Set<String> known, AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(region, "region");
      known = Set.copyOf(known);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /**
   * One version Accretion published. {@code codeSize} (the zip's bytes, as Lambda stores it) and
   * {@code packages} (in its manifest) are null for a version in the request's {@code known}.
   */
  public record Version(
      String lambdaLayer,
      long version,
      String layerVersionArn,
      String created,
      String digest,
      List<String> runtimes,
      List<String> architectures,
      Long codeSize,
      Integer packages) {
    public Version {
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
    }
  }

  /**
   * @param versions Accretion's versions, newest first per Lambda layer
   * @param skipped versions in the listing without Accretion's marker or manifest (not imported)
   */
  public record Result(String layer, String region, List<Version> versions, int skipped) {
    public Result {
      versions = List.copyOf(versions);
    }
  }

  /**
   * @throws AccretionException a usage failure for a bad name or region; an AWS failure
   */
  public Result find(Request request) throws AccretionException {
    try (LayerCatalog catalog =
        new LayerCatalog(
            request.aws().settings(environment),
            LayerLookup.bucketPattern(Optional.empty(), request.layer()))) {
      List<Version> out = new ArrayList<>();
      int skipped = 0;
      for (LocatedLayer located : catalog.layersOf(request.layer(), request.region())) {
        for (LayerVersionInfo v : catalog.versions(located.lambdaLayerName(), request.region())) {
          if (v.sha256() == null) {
            skipped++;
            continue;
          }
          Long size = null;
          Integer packages = null;
          if (!request.known().contains(v.layerVersionArn())) {
            LayerVersionDetails d = catalog.describe(v.layerName(), v.version(), request.region());
            if (d.manifest() == null) {
              skipped++;
              continue;
            }
            size = d.codeSize();
            packages = d.manifest().packages().size();
          }
          out.add(
              new Version(
                  v.layerName(),
                  v.version(),
                  v.layerVersionArn(),
                  v.created() == null ? null : v.created().toString(),
                  v.sha256(),
                  v.compatibleRuntimes(),
                  v.compatibleArchitectures(),
                  size,
                  packages));
        }
      }
      return new Result(request.layer(), request.region(), out, skipped);
    }
  }
}
