package dev.accretion.python.layer;

import dev.accretion.core.artifact.BuiltArtifact;
import java.util.List;
import java.util.Objects;

/**
 * What a build produced. Immutable.
 *
 * @param layerName the layer name used
 * @param artifacts one per distinct content; targets whose installed files came out identical share
 *     one
 * @param fromCache true when the files were copied from the selector cache (nothing was resolved or
 *     assembled)
 * @param selectorKey the cache key of this build's inputs
 * @param warnings everything the user should look at, across artifacts
 */
public record LayerBuildResult(
    String layerName,
    List<BuiltArtifact> artifacts,
    boolean fromCache,
    String selectorKey,
    List<String> warnings) {
  public LayerBuildResult {
    Objects.requireNonNull(layerName, "layerName");
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(selectorKey, "selectorKey");
    warnings = List.copyOf(warnings);
  }
}
