package dev.accretion.app.service;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.catalog.DescribeVersion;
import dev.accretion.app.catalog.LayerLookup;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.LocatedLayer;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case "which managed layer versions hold this package": every version of the given layers, per
 * region, whose manifest lists the package in a version the specifier allows — the question a team
 * asks when a CVE lands. {@code pypi} names are compared normalized (PEP 503) and versions with PEP
 * 440 specifiers; other ecosystems by exact name, and a specifier {@code ==V} or none. Thread-safe.
 */
public final class FindPackage {
  private final Environment environment;

  public FindPackage(Environment environment) {
    this.environment = environment;
  }

  /** A managed layer and the regions it is published to. */
  public record Layer(String name, List<String> regions) {
    public Layer {
      Objects.requireNonNull(name, "name");
      regions = List.copyOf(regions);
    }
  }

  /**
   * @param specifier a version specifier ({@code <2.32}, {@code ==1.2.3}), or null for any version
   */
  public record Request(
      String ecosystem, String name, String specifier, List<Layer> layers, AwsAccess aws) {
    public Request {
      Objects.requireNonNull(ecosystem, "ecosystem");
      Objects.requireNonNull(name, "name");
      layers = List.copyOf(layers);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** A layer version holding the package. */
  public record Match(
      String layer,
      String region,
      String lambdaLayer,
      long version,
      String layerVersionArn,
      String packageVersion) {}

  /** The matches, by layer, region, Lambda layer and version (newest first). */
  public record Result(String ecosystem, String name, String specifier, List<Match> matches) {
    public Result {
      matches = List.copyOf(matches);
    }

    /** {@code {"ecosystem", "name", "versions", "matches": [{...}]}}. */
    public String toJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("ecosystem", ecosystem);
      root.put("name", name);
      root.put("versions", specifier);
      List<Map<String, Object>> out = new ArrayList<>();
      for (Match m : matches) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("layer", m.layer());
        t.put("region", m.region());
        t.put("lambdaLayer", m.lambdaLayer());
        t.put("version", m.version());
        t.put("layerVersionArn", m.layerVersionArn());
        t.put("packageVersion", m.packageVersion());
        out.add(t);
      }
      root.put("matches", out);
      return Json.write(root);
    }
  }

  /**
   * @throws AccretionException a usage failure for a bad specifier; an AWS failure
   */
  public Result find(Request request) throws AccretionException {
    boolean pypi = request.ecosystem().equals("pypi");
    SpecifierSet spec = null;
    if (request.specifier() != null && pypi) {
      try {
        spec = SpecifierSet.parse(request.specifier());
      } catch (ParseException e) {
        throw new AccretionException(
            FailureKind.USAGE,
            "versions '" + request.specifier() + "': not a PEP 440 specifier",
            "give one like <2.32 or >=1.0,<1.4",
            e);
      }
    }
    if (request.specifier() != null && !pypi && !request.specifier().startsWith("==")) {
      throw new AccretionException(
          FailureKind.USAGE,
          "versions '" + request.specifier() + "': for " + request.ecosystem() + " only ==V",
          null,
          null);
    }
    String wanted = pypi ? normalize(request.name()) : request.name();
    List<Match> out = new ArrayList<>();
    DescribeVersion describe = new DescribeVersion(environment);
    for (Layer layer : request.layers()) {
      try (LayerCatalog catalog =
          new LayerCatalog(
              request.aws().settings(environment),
              LayerLookup.bucketPattern(Optional.empty(), layer.name()))) {
        for (String region : layer.regions()) {
          for (LocatedLayer located : catalog.layersOf(layer.name(), region)) {
            for (LayerVersionInfo v : catalog.versions(located.lambdaLayerName(), region)) {
              if (v.sha256() == null) {
                continue; // not published by Accretion: no manifest
              }
              DescribeVersion.Result d =
                  describe.describe(
                      new DescribeVersion.Request(
                          located.lambdaLayerName(),
                          v.version(),
                          null,
                          null,
                          List.of(region),
                          request.aws()));
              if (d.packages() == null) {
                continue;
              }
              for (DescribeVersion.Package p : d.packages()) {
                String name = pypi ? normalize(p.name()) : p.name();
                if (name.equals(wanted) && matches(spec, request.specifier(), p.version(), pypi)) {
                  out.add(
                      new Match(
                          layer.name(),
                          region,
                          located.lambdaLayerName(),
                          v.version(),
                          v.layerVersionArn(),
                          p.version()));
                }
              }
            }
          }
        }
      }
    }
    return new Result(request.ecosystem(), request.name(), request.specifier(), out);
  }

  private static boolean matches(SpecifierSet spec, String text, String version, boolean pypi) {
    if (text == null) {
      return true;
    }
    if (!pypi) {
      return text.substring(2).strip().equals(version);
    }
    Optional<Version> v = Version.tryParse(version);
    return v.isPresent() && spec.contains(v.get(), true);
  }

  /** PEP 503: lower case, runs of -, _ and . as one -. */
  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
