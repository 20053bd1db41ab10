package dev.accretion.app.build;

import java.util.ArrayList;
import java.util.List;

/**
 * What a build of project layers produced: one result per layer built, in the file's order, and the
 * layers that were skipped because they name a prebuilt artifact. Immutable.
 */
public record BuildProjectResult(List<BuildResult> layers, List<String> prebuilt) {
  public BuildProjectResult {
    layers = List.copyOf(layers);
    prebuilt = List.copyOf(prebuilt);
  }

  /**
   * The {@code build --json} document of a listing build, with the artifacts of every layer: {@code
   * {"artifacts": [...]}}.
   */
  public String toJson() {
    List<BuildResult.Artifact> all = new ArrayList<>();
    long millis = 0;
    for (BuildResult r : layers) {
      all.addAll(r.artifacts());
      millis += r.elapsedMillis();
    }
    return new BuildResult("project", all, false, List.of(), millis).toJson();
  }
}
