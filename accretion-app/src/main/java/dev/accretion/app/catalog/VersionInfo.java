package dev.accretion.app.catalog;

import dev.accretion.aws.LayerVersionInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One published layer version, as the read commands list it. Immutable.
 *
 * @param created when it was published, or null if AWS did not say
 * @param digest the sha256 hex in Accretion's marker, or null for a version Accretion did not
 *     publish
 */
public record VersionInfo(
    String name,
    String region,
    long version,
    String layerVersionArn,
    Instant created,
    String digest,
    List<String> runtimes,
    List<String> architectures) {
  public VersionInfo {
    runtimes = List.copyOf(runtimes);
    architectures = List.copyOf(architectures);
  }

  static VersionInfo of(LayerVersionInfo v) {
    return new VersionInfo(
        v.layerName(),
        v.region(),
        v.version(),
        v.layerVersionArn(),
        v.created(),
        v.sha256(),
        v.compatibleRuntimes(),
        v.compatibleArchitectures());
  }

  /**
   * {@code {"name", "region", "version", "layerVersionArn", "created", "digest", "runtimes",
   * "architectures"}}.
   */
  Map<String, Object> tree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("region", region);
    m.put("version", version);
    m.put("layerVersionArn", layerVersionArn);
    m.put("created", created == null ? null : created.toString());
    m.put("digest", digest);
    m.put("runtimes", runtimes);
    m.put("architectures", architectures);
    return m;
  }
}
