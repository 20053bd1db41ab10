package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.LayerVersionDetails;
import dev.accretion.aws.PackageVersion;
import dev.accretion.aws.Sharing;
import dev.accretion.core.AccretionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code describe}: one layer version (the latest when no version is given): what is
 * installed in it (from its manifest in the staging bucket), runtimes, architectures, size, digest
 * and who it is shared with. Region: the request's, else the project's, else the environment's.
 * Thread-safe.
 */
public final class DescribeVersion {
  private final Environment environment;

  public DescribeVersion(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param layer a project layer's name or a Lambda layer's
   * @param version the version, or null for the latest
   * @param runtime the target runtime, to choose among a project layer's Lambda layers, or null
   * @param architecture the target architecture, or null
   * @param regions at most one region (comma lists allowed); empty for the default
   */
  public record Request(
      String layer,
      Long version,
      String runtime,
      String architecture,
      List<String> regions,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }

    /**
     * {@code name[:version]} as a layer and version.
     *
     * @throws AccretionException a usage failure when the version is not a positive number
     */
    public static Request parse(
        String text, String runtime, String architecture, List<String> regions, AwsAccess aws)
        throws AccretionException {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        return new Request(text, null, runtime, architecture, regions, aws);
      }
      try {
        long v = Long.parseLong(text.substring(colon + 1));
        if (v >= 1) {
          return new Request(text.substring(0, colon), v, runtime, architecture, regions, aws);
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw Usage.error(
          "'" + text + "': the version after ':' must be a positive number, like my-layer:3");
    }
  }

  /** One statement of the version's policy; {@code organizationId} may be null. */
  public record Grant(String statementId, String principal, String organizationId) {}

  /** A package of a manifest. */
  public record Package(String name, String version) {
    static List<Map<String, Object>> trees(List<Package> packages) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Package p : packages) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("version", p.version());
        out.add(m);
      }
      return out;
    }

    static List<Package> of(List<PackageVersion> packages) {
      return packages.stream().map(p -> new Package(p.name(), p.version())).toList();
    }
  }

  /**
   * One layer version in full.
   *
   * @param digest Accretion's sha256 marker, or null for a version Accretion did not publish
   * @param packages the manifest's packages, or null when there is no manifest
   * @param manifestJson the manifest as stored, or null
   */
  public record Result(
      String name,
      String region,
      long version,
      String layerVersionArn,
      Instant created,
      String description,
      List<String> runtimes,
      List<String> architectures,
      String license,
      long codeSize,
      String codeSha256,
      String digest,
      boolean isPublic,
      List<Grant> grants,
      List<Package> packages,
      String manifestJson) {
    public Result {
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
      grants = List.copyOf(grants);
      packages = packages == null ? null : List.copyOf(packages);
    }

    /** The documented {@code describe --json} document, the manifest embedded as it is. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("region", region);
      m.put("version", version);
      m.put("layerVersionArn", layerVersionArn);
      m.put("created", created == null ? null : created.toString());
      m.put("description", description);
      m.put("runtimes", runtimes);
      m.put("architectures", architectures);
      m.put("license", license);
      m.put("codeSize", codeSize);
      m.put("codeSha256", codeSha256);
      m.put("digest", digest);
      m.put("public", isPublic);
      List<Map<String, Object>> sharing = new ArrayList<>();
      for (Grant g : grants) {
        Map<String, Object> gm = new LinkedHashMap<>();
        gm.put("statementId", g.statementId());
        gm.put("principal", g.principal());
        gm.put("organizationId", g.organizationId());
        sharing.add(gm);
      }
      m.put("sharing", sharing);
      m.put("packages", packages == null ? null : Package.trees(packages));
      m.put("manifest", manifestJson == null ? null : Json.tree(manifestJson));
      return Json.write(m);
    }
  }

  /**
   * @throws AccretionException a usage failure for a bad layer name, runtime or architecture; a
   *     not-found failure for a layer or version that does not exist
   */
  public Result describe(Request request) throws AccretionException {
    LayerQuery query = LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), request.layer(), request.regions())) {
      String region = c.oneRegion(request.layer());
      String lambdaLayer = c.catalog.locate(query, region).lambdaLayerName();
      LayerVersionDetails d = c.catalog.describe(lambdaLayer, request.version(), region);
      List<Grant> grants = new ArrayList<>();
      for (Sharing.Grant g : d.grants()) {
        grants.add(new Grant(g.statementId(), g.principal(), g.organizationId()));
      }
      return new Result(
          d.layerName(),
          d.region(),
          d.version(),
          d.layerVersionArn(),
          d.created(),
          d.description(),
          d.compatibleRuntimes(),
          d.compatibleArchitectures(),
          d.licenseInfo(),
          d.codeSize(),
          d.codeSha256(),
          d.sha256(),
          d.isPublic(),
          grants,
          d.manifest() == null ? null : Package.of(d.manifest().packages()),
          d.manifest() == null ? null : d.manifest().json());
    }
  }
}
