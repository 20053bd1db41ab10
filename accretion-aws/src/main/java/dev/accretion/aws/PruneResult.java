package dev.accretion.aws;

import java.util.List;

/**
 * What a prune deleted (or, for a dry run, would delete) and what it kept, newest first. Immutable.
 */
public record PruneResult(
    String layerName,
    String region,
    boolean dryRun,
    List<LayerVersionInfo> deleted,
    List<LayerVersionInfo> kept) {
  public PruneResult {
    deleted = List.copyOf(deleted);
    kept = List.copyOf(kept);
  }
}
