package dev.accretion.app.catalog;

import dev.accretion.app.Usage;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which regions and staging bucket a command about published layers works with when the request
 * doesn't say: the project file's layer, else the environment's default region ({@code AWS_REGION},
 * {@code AWS_DEFAULT_REGION}, the profile's {@code region}).
 */
public final class LayerLookup {
  private LayerLookup() {}

  /** The environment's default region; may fail when there is none. */
  public interface DefaultRegion {
    String get() throws AccretionException;
  }

  /** Every region of every layer of the project. */
  public static List<String> ofProject(ProjectFile project) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    project.layers().forEach(l -> out.addAll(l.regions()));
    return List.copyOf(out);
  }

  /**
   * The project layer a Lambda layer name belongs to: the layer of that name, else the one whose
   * name is the longest prefix followed by '-' (the names multi-target layers get).
   */
  public static Optional<ProjectFile.LayerConfig> layerOf(ProjectFile project, String lambdaName) {
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

  /** The staging bucket pattern of the project layer a Lambda layer belongs to, or the default. */
  public static String bucketPattern(Optional<ProjectFile> project, String lambdaName) {
    if (project.isPresent() && lambdaName != null) {
      Optional<ProjectFile.LayerConfig> layer = layerOf(project.get(), lambdaName);
      if (layer.isPresent() && layer.get().stagingBucketPattern() != null) {
        return layer.get().stagingBucketPattern();
      }
    }
    return PublishRequest.DEFAULT_BUCKET_PATTERN;
  }

  /**
   * The regions for a command about one layer: the given ones, else the project layer's, else the
   * environment's default.
   */
  public static List<String> forLayer(
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
   *
   * @throws AccretionException a usage failure when several regions are given
   */
  public static String oneForLayer(
      List<String> given,
      Optional<ProjectFile> project,
      String lambdaName,
      DefaultRegion defaultRegion)
      throws AccretionException {
    if (given.size() > 1) {
      throw Usage.error("give one --region, not " + String.join(",", given));
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
