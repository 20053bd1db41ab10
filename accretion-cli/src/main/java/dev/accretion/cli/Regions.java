package dev.accretion.cli;

import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which regions a command works on when none are given: the project file's, else the environment's
 * default region ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's {@code region}).
 */
final class Regions {
  private Regions() {}

  /** Comma lists of a repeatable option, split, stripped, duplicates dropped. */
  static List<String> split(List<String> values) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** Every region of every layer of the project. */
  static List<String> ofProject(ProjectFile project) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    project.layers().forEach(l -> out.addAll(l.regions()));
    return List.copyOf(out);
  }

  /**
   * The project layer that a Lambda layer name belongs to: the layer of that name, else the one
   * whose name is the longest prefix followed by '-' (names derived by LayerNaming).
   */
  static Optional<ProjectFile.LayerConfig> layerOf(ProjectFile project, String lambdaName) {
    ProjectFile.LayerConfig exact = project.layer(lambdaName);
    if (exact != null) {
      return Optional.of(exact);
    }
    ProjectFile.LayerConfig best = null;
    for (ProjectFile.LayerConfig l : project.layers()) {
      if (lambdaName.startsWith(l.name() + "-")
          && (best == null || l.name().length() > best.name().length())) {
        best = l;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A supplier of the environment's default region that may fail. */
  interface DefaultRegion {
    String get() throws AccretionException;
  }

  /**
   * The regions for a command about one layer: the given ones, else the project layer's, else the
   * environment's default.
   */
  static List<String> forLayer(
      List<String> given,
      Optional<ProjectFile> project,
      String lambdaName,
      DefaultRegion defaultRegion)
      throws AccretionException {
    if (!given.isEmpty()) {
      return given;
    }
    if (project.isPresent()) {
      Optional<ProjectFile.LayerConfig> layer = layerOf(project.get(), lambdaName);
      if (layer.isPresent() && !layer.get().regions().isEmpty()) {
        return layer.get().regions();
      }
    }
    return List.of(defaultRegion.get());
  }

  /**
   * One region for a command about one layer: the given one, else the environment's default region
   * when the project lists it for the layer (or the project has none), else the project layer's
   * first region.
   */
  static String oneForLayer(
      List<String> given,
      Optional<ProjectFile> project,
      String lambdaName,
      DefaultRegion defaultRegion)
      throws AccretionException {
    if (given.size() > 1) {
      throw new UsageException("give one --region, not " + String.join(",", given));
    }
    if (given.size() == 1) {
      return given.get(0);
    }
    List<String> fromProject = new ArrayList<>();
    if (project.isPresent()) {
      layerOf(project.get(), lambdaName).ifPresent(l -> fromProject.addAll(l.regions()));
    }
    if (fromProject.isEmpty()) {
      return defaultRegion.get();
    }
    try {
      String env = defaultRegion.get();
      if (fromProject.contains(env)) {
        return env;
      }
    } catch (AccretionException e) {
      // no default region: the project's first one
    }
    return fromProject.get(0);
  }
}
