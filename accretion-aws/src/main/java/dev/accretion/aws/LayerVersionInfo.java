package dev.accretion.aws;

import java.time.Instant;
import java.util.List;

/**
 * One layer version as ListLayerVersions shows it. {@code sha256} is the archive digest from
 * Accretion's Description marker, or null for a version Accretion did not publish; {@code created}
 * may be null if Lambda's date is unreadable. Immutable.
 */
public record LayerVersionInfo(
    String layerName,
    String region,
    long version,
    String layerVersionArn,
    Instant created,
    String sha256,
    List<String> compatibleRuntimes,
    List<String> compatibleArchitectures) {
  public LayerVersionInfo {
    compatibleRuntimes = List.copyOf(compatibleRuntimes);
    compatibleArchitectures = List.copyOf(compatibleArchitectures);
  }
}
