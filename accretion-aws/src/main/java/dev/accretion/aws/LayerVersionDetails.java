package dev.accretion.aws;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about one layer version: Lambda's view (GetLayerVersion), who may use it
 * (GetLayerVersionPolicy; {@code grants} lists every statement, Accretion's and others, and {@code
 * policyJson} is the raw policy or null when there is none), and what is inside it (the manifest
 * read back from the staging bucket; null when the version was not published by Accretion or the
 * manifest is gone). Immutable.
 */
public record LayerVersionDetails(
    String layerName,
    String region,
    long version,
    String layerVersionArn,
    Instant created,
    String description,
    List<String> compatibleRuntimes,
    List<String> compatibleArchitectures,
    String licenseInfo,
    long codeSize,
    String codeSha256,
    String sha256,
    List<Sharing.Grant> grants,
    String policyJson,
    LayerManifest manifest) {
  public LayerVersionDetails {
    compatibleRuntimes = List.copyOf(compatibleRuntimes);
    compatibleArchitectures = List.copyOf(compatibleArchitectures);
    grants = List.copyOf(grants);
  }

  /** True when the policy lets every account use the version. */
  public boolean isPublic() {
    return grants.stream().anyMatch(g -> g.principal().equals("*") && g.organizationId() == null);
  }
}
