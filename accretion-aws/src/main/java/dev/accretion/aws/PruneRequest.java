package dev.accretion.aws;

import java.time.Duration;

/**
 * Which old versions of a layer to delete in a region: all but the {@code keep} newest (at least 1,
 * so the latest version is never deleted), and of those only the ones older than {@code olderThan}
 * when it is not null. {@code dryRun} (the default of the CLI) only reports.
 */
public record PruneRequest(
    String layerName, String region, int keep, Duration olderThan, boolean dryRun) {
  public PruneRequest {
    if (keep < 1) {
      throw new IllegalArgumentException(
          "keep must be at least 1: the latest version is never deleted (got " + keep + ")");
    }
    if (olderThan != null && olderThan.isNegative()) {
      throw new IllegalArgumentException("older-than must not be negative: " + olderThan);
    }
  }
}
