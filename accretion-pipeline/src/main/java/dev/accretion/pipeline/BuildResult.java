package dev.accretion.pipeline;

import dev.accretion.core.artifact.BuiltArtifact;
import java.util.List;
import java.util.Objects;

/**
 * What a build produced. Immutable.
 *
 * @param layerName the layer name used
 * @param builderId the builder that built it ({@code python})
 * @param artifacts one per distinct content; targets whose files came out identical share one
 * @param fromCache true when the files were copied from the selector cache (nothing was resolved or
 *     assembled)
 * @param selectorKey the cache key of this build's inputs, or empty when the builder's result
 *     cannot be known from its inputs (no cache)
 * @param warnings everything the user should look at, across artifacts, each once
 */
public record BuildResult(
    String layerName,
    String builderId,
    List<BuiltArtifact> artifacts,
    boolean fromCache,
    String selectorKey,
    List<String> warnings) {
  public BuildResult {
    Objects.requireNonNull(layerName, "layerName");
    Objects.requireNonNull(builderId, "builderId");
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(selectorKey, "selectorKey");
    warnings = List.copyOf(warnings);
  }
}
