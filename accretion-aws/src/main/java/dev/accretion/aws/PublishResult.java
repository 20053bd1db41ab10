package dev.accretion.aws;

import java.util.List;

/**
 * The outcome of one publish: one {@link RegionResult} per requested region, in request order,
 * whether it succeeded or not (partial results are kept with every cause), and the webhooks that
 * could not be notified. Immutable.
 */
public record PublishResult(
    String layerName,
    String sha256Hex,
    String contentDigest,
    List<RegionResult> regions,
    List<String> notificationFailures) {

  public PublishResult {
    regions = List.copyOf(regions);
    notificationFailures = List.copyOf(notificationFailures);
  }

  /** True when every region succeeded (notification failures do not count). */
  public boolean ok() {
    return regions.stream().allMatch(RegionResult::ok);
  }

  /** The regions that failed. */
  public List<RegionResult> failures() {
    return regions.stream().filter(r -> !r.ok()).toList();
  }

  /** The result for one region, or null if it was not part of the request. */
  public RegionResult region(String region) {
    return regions.stream().filter(r -> r.region().equals(region)).findFirst().orElse(null);
  }
}
