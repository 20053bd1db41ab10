package dev.accretion.aws;

/**
 * Where a layer's artifacts live in a region's staging bucket. Keys:
 *
 * <ul>
 *   <li>{@code accretion/<layer>/<sha256>.zip}: the archive Lambda publishes from;
 *   <li>{@code accretion/<layer>/<sha256>.manifest.json}: its manifest, beside it;
 *   <li>{@code accretion/<layer>/versions/<version>.json}: written once a version's notifications
 *       went out, so a rerun after a crash sends the ones that did not.
 * </ul>
 */
public final class StagingBucket {
  private StagingBucket() {}

  /** The bucket of an account and region: {@code {account}} and {@code {region}} replaced. */
  public static String name(String pattern, String account, String region) {
    return pattern.replace("{account}", account).replace("{region}", region);
  }

  /** The archive's key. */
  public static String zipKey(String layer, String sha256Hex) {
    return "accretion/" + layer + "/" + sha256Hex + ".zip";
  }

  static String manifestKey(String layer, String sha256Hex) {
    return "accretion/" + layer + "/" + sha256Hex + ".manifest.json";
  }

  static String versionRecordKey(String layer, long version) {
    return "accretion/" + layer + "/versions/" + version + ".json";
  }
}
