package dev.accretion.aws;

import dev.accretion.core.runtime.RuntimeMatrix;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of the Lambda layers that hold one layer of a project (the "physical" layers of a
 * "project" layer), as {@link dev.accretion.aws.project.LayerNaming} gives them: the project
 * layer's own name, or that name followed by {@code -<arch>}, {@code -<runtime>} or {@code
 * -<runtime>-<arch>}, where {@code <runtime>} is a runtime identifier without its dots ({@code
 * python312}, {@code nodejs20x}) and {@code <arch>} is {@code x86_64} or {@code arm64}.
 *
 * <p>Runtimes are those of Accretion's runtime matrix, so {@code web-deps-v2} is never taken for a
 * derived name of {@code web-deps}. Stateless and thread-safe.
 */
public final class LambdaLayerNames {
  private static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
  private static final Set<String> RUNTIME_SUFFIXES = runtimeSuffixes();

  private LambdaLayerNames() {}

  private static Set<String> runtimeSuffixes() {
    Set<String> out = new LinkedHashSet<>();
    for (var runtime : RuntimeMatrix.load().all()) {
      out.add(runtimeSuffix(runtime.id()));
    }
    return Set.copyOf(out);
  }

  /** {@code python3.12} → {@code python312} (layer names allow no dots). */
  public static String runtimeSuffix(String runtime) {
    return runtime.replace(".", "");
  }

  /**
   * The Lambda layer name for one zip of a project layer.
   *
   * @param projectLayer the project layer's name
   * @param lowestRuntime the lowest runtime the zip serves when the layer's zips differ by runtime,
   *     else null
   * @param architecture the zip's architecture when the layer is for both architectures, else null
   */
  public static String derive(String projectLayer, String lowestRuntime, String architecture) {
    String name = projectLayer;
    if (lowestRuntime != null) {
      name += "-" + runtimeSuffix(lowestRuntime);
    }
    if (architecture != null) {
      name += "-" + architecture;
    }
    return name;
  }

  /**
   * Whether {@code lambdaLayer} is {@code projectLayer} itself or a name {@link #derive} gives for
   * it (for a runtime of the matrix and either architecture).
   */
  public static boolean belongsTo(String lambdaLayer, String projectLayer) {
    if (lambdaLayer.equals(projectLayer)) {
      return true;
    }
    if (!lambdaLayer.startsWith(projectLayer + "-")) {
      return false;
    }
    String rest = lambdaLayer.substring(projectLayer.length() + 1);
    for (String arch : ARCHITECTURES) {
      if (rest.equals(arch)) {
        return true;
      }
      if (rest.endsWith("-" + arch)) {
        rest = rest.substring(0, rest.length() - arch.length() - 1);
        return RUNTIME_SUFFIXES.contains(rest);
      }
    }
    return RUNTIME_SUFFIXES.contains(rest);
  }
}
