package dev.accretion.java;

import java.util.List;

/**
 * A Java resolution, kept as {@link dev.accretion.pipeline.spi.Resolution#state()}: the artifacts
 * and what the resolution found worth saying. Immutable.
 *
 * @param artifacts the compile and runtime scope artifacts, in graph order
 * @param notes conflicts settled (a requested version that lost), for the manifest
 * @param warnings problems that did not stop resolution (a dependency POM that is missing)
 * @param millis how long it took
 */
record JavaResolutionState(
    List<JavaArtifact> artifacts, List<String> notes, List<String> warnings, long millis) {
  JavaResolutionState {
    artifacts = List.copyOf(artifacts);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }
}
