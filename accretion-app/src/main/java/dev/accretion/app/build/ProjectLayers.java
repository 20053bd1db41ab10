package dev.accretion.app.build;

import dev.accretion.app.TargetSpec;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.spi.Builder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code accretion.toml} for the use cases that build its layers: the publish keys as {@link
 * ProjectFile} checks them, and each layer's builder ({@code builder = "…"}, else the one that
 * reads its listing), the builder's option keys and the layer's runtimes checked against that
 * builder. Every problem of the file is reported at once, naming file, line and key ({@code
 * accretion.toml:9: layers.deps.ofline: unknown key: neither a layer setting nor an option of the
 * java builder (offline, repository, settings, global-settings)}).
 */
public final class ProjectLayers {
  private ProjectLayers() {}

  /**
   * Reads and checks a project file.
   *
   * @param environment where webhook {@code secret-env} names are looked up; null to leave secrets
   *     out
   * @throws AccretionException a bad-input failure naming every problem
   */
  public static ProjectFile read(Path file, Map<String, String> environment)
      throws AccretionException {
    ProjectFile project = ProjectFile.readWithBuilderOptions(file, environment);
    List<String> problems = new ArrayList<>();
    List<Path> plugins = project.layers().isEmpty() ? List.of() : project.layers().get(0).plugins();
    BuilderRegistry registry;
    try {
      registry = Registry.with(plugins);
    } catch (AccretionException e) {
      throw new AccretionException(
          e.kind() == FailureKind.NOT_FOUND ? FailureKind.NOT_FOUND : FailureKind.BAD_INPUT,
          file.getFileName() + ": builders: " + e.problem(),
          e.advice(),
          e);
    }
    for (ProjectFile.LayerConfig layer : project.layers()) {
      check(registry, layer, problems);
    }
    if (!problems.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "invalid project file " + file + ": " + String.join("; ", problems));
    }
    return project;
  }

  private static void check(
      BuilderRegistry registry, ProjectFile.LayerConfig layer, List<String> problems) {
    if (layer.listing() == null) {
      if (layer.builder() != null || !layer.builderOptions().isEmpty()) {
        problems.add(
            layer.where()
                + ": builder settings need a listing (or source) to build; a prebuilt artifact is"
                + " published as it is");
      }
      return;
    }
    Builder builder;
    List<dev.accretion.core.runtime.Target> targets = List.of();
    try {
      targets =
          TargetSpec.product(layer.runtimes(), layer.architectures()).targets(RuntimeMatrix.load());
    } catch (AccretionException e) {
      // ProjectFile checked the names already
    }
    try {
      builder = registry.choose(layer.builder(), layer.listing(), null, targets);
    } catch (AccretionException e) {
      problems.add(
          (layer.builder() != null ? layer.where("builder") : layer.where() + ".listing")
              + ": "
              + e.problem()
              + (e.advice() == null ? "" : " (" + e.advice() + ")"));
      return;
    }
    Optional<Set<String>> keys = builder.optionKeys();
    if (keys.isPresent()) {
      for (String key : layer.builderOptions().keySet()) {
        if (!keys.get().contains(key)) {
          problems.add(
              layer.where(key)
                  + ": unknown key: neither a layer setting nor an option of the "
                  + builder.id()
                  + " builder"
                  + (keys.get().isEmpty()
                      ? " (it takes none)"
                      : " (its options: " + String.join(", ", new TreeSet<>(keys.get())) + ")"));
        }
      }
    }
    try {
      BuilderRegistry.checkTargets(builder, targets, layer.listing());
    } catch (AccretionException e) {
      problems.add(layer.where("runtimes") + ": " + e.problem());
    }
  }

  /** A layer's builder settings, as a build request takes them. */
  public static BuilderSettings builderSettings(ProjectFile.LayerConfig layer) {
    return new BuilderSettings(layer.builder(), layer.builderOptions(), layer.plugins());
  }

  /**
   * The build request of a project layer: its listing (or source folder), runtimes × architectures
   * and name, the other settings from {@code template} (the flags of {@code accretion build}, or
   * its defaults), the layer's builder settings with those of {@code template} over them (flags
   * win; plug-ins of both).
   *
   * @param output where the zips go (absolute)
   * @param cacheDir the shared cache (absolute), or null for the default
   */
  public static BuildRequest request(
      ProjectFile.LayerConfig layer, BuildRequest template, Path output, Path cacheDir) {
    BuilderSettings flags = template.builder();
    java.util.Map<String, List<String>> options = new java.util.TreeMap<>(layer.builderOptions());
    options.putAll(flags.options());
    java.util.LinkedHashSet<Path> plugins = new java.util.LinkedHashSet<>(layer.plugins());
    plugins.addAll(flags.plugins());
    // the layer's own name for the files, when it is one the build accepts
    String name = dev.accretion.pipeline.LayerNames.isValid(layer.name()) ? layer.name() : null;
    return template
        .forLayer(
            layer.listing(),
            TargetSpec.product(layer.runtimes(), layer.architectures()),
            output,
            name)
        .withCacheDir(cacheDir)
        .withBuilder(
            new BuilderSettings(
                flags.builder() != null ? flags.builder() : layer.builder(),
                options,
                List.copyOf(plugins)));
  }

  /**
   * The environment a project layer builds in: the working directory is the project file's folder,
   * so relative paths among its builder options ({@code settings = "maven/settings.xml"}) are
   * relative to the file, as its listings are.
   */
  public static dev.accretion.app.Environment environment(
      dev.accretion.app.Environment environment, ProjectFile.LayerConfig layer) {
    Path base =
        layer.file() != null
            ? layer.file().toAbsolutePath().getParent()
            : environment.workingDirectory();
    return new dev.accretion.app.Environment(environment.variables(), environment.home(), base);
  }
}
