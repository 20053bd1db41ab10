package dev.accretion.app.build;

import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Use case {@code build [LAYER...]} without a listing: the layers of {@code accretion.toml} (all,
 * or those named), each built from its listing (or a command builder's source folder) for its
 * runtimes × architectures with its builder and options, as {@code publish} builds them, into
 * {@code dist/} beside the project file. Layers that name a prebuilt artifact have nothing to
 * build. Thread-safe.
 */
public final class BuildProject {
  private final Environment environment;

  public BuildProject(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException a usage failure when there is no project file or a named layer is
   *     not in it; a bad-input failure naming every problem of the file; a layer's build failure
   *     prefixed with the layer's file, line and name (the layers before it stay built)
   */
  public BuildProjectResult build(BuildProjectRequest request, ProgressListener listener)
      throws AccretionException {
    Path file;
    if (request.project() != null) {
      file = environment.resolve(request.project());
      if (!Files.isRegularFile(file)) {
        throw Usage.error("--project " + request.project() + ": no such file");
      }
    } else {
      file =
          ProjectFile.find(environment.workingDirectory())
              .orElseThrow(
                  () ->
                      Usage.error(
                          "no accretion.toml in "
                              + environment.workingDirectory()
                              + ": name a listing to build ('accretion build requirements.txt"
                              + " --runtime python3.12'), or the project file with --project"));
    }
    ProjectFile project = ProjectLayers.read(file, null);
    List<ProjectFile.LayerConfig> chosen = new ArrayList<>();
    if (request.layers().isEmpty()) {
      chosen.addAll(project.layers());
    } else {
      List<String> unknown = new ArrayList<>();
      for (String name : request.layers()) {
        ProjectFile.LayerConfig layer = project.layer(name);
        if (layer == null) {
          unknown.add(name);
        } else if (!chosen.contains(layer)) {
          chosen.add(layer);
        }
      }
      if (!unknown.isEmpty()) {
        throw Usage.error(
            String.join(", ", unknown)
                + (unknown.size() == 1
                    ? " is neither a file nor a layer"
                    : " are neither files nor layers")
                + " of "
                + file.getFileName()
                + " (its layers: "
                + String.join(
                    ", ", project.layers().stream().map(ProjectFile.LayerConfig::name).toList())
                + ")");
      }
    }
    Path output =
        request.output() != null
            ? environment.resolve(request.output())
            : file.toAbsolutePath().getParent().resolve("dist");
    Path cacheDir =
        request.flags().cacheDir() == null ? null : environment.resolve(request.flags().cacheDir());
    List<BuildResult> results = new ArrayList<>();
    List<String> prebuilt = new ArrayList<>();
    for (ProjectFile.LayerConfig layer : chosen) {
      if (layer.listing() == null) {
        prebuilt.add(layer.name());
        continue;
      }
      BuildRequest build = ProjectLayers.request(layer, request.flags(), output, cacheDir);
      try {
        results.add(
            new BuildLayer(ProjectLayers.environment(environment, layer))
                .build(
                    build, ProgressListener.prefixed(listener, "building " + layer.name() + ": ")));
      } catch (AccretionException e) {
        throw new AccretionException(e.kind(), layer.where() + ": " + e.problem(), e.advice(), e);
      }
    }
    return new BuildProjectResult(results, prebuilt);
  }
}
