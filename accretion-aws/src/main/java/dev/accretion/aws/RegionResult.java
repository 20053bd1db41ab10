package dev.accretion.aws;

/**
 * What happened in one region.
 *
 * <ul>
 *   <li>Success: {@code layerVersionArn} and {@code version} name the version that now carries the
 *       artifact; {@code published} is true when this run created it, false when the latest version
 *       already had these bytes (or a concurrent publisher created it first). {@code error} is
 *       null.
 *   <li>Failure: {@code error} says what failed and what to do; {@code layerVersionArn} is null and
 *       {@code version} is 0 unless the version exists but a later step (sharing, SSM) failed.
 * </ul>
 *
 * {@code notificationError} is null unless the SNS message for a new version could not be sent (not
 * fatal; the next run sends it again).
 */
public record RegionResult(
    String region,
    String layerVersionArn,
    long version,
    boolean published,
    String error,
    String notificationError) {

  /** True when the region ends with a version carrying the artifact and no step failed. */
  public boolean ok() {
    return error == null;
  }

  static RegionResult failed(String region, String error) {
    return new RegionResult(region, null, 0, false, error, null);
  }

  RegionResult withNotificationError(String message) {
    return new RegionResult(region, layerVersionArn, version, published, error, message);
  }
}
