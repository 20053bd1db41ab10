package dev.accretion.inspect;

import dev.accretion.core.runtime.Target;
import java.util.List;

/**
 * A function as Lambda assembles it: its own package in {@code /var/task} and its layers merged
 * into {@code /opt} in order, and whether it all runs on the function's runtime and architecture.
 * Immutable.
 *
 * @param name the function
 * @param runtime its runtime as Lambda names it, or null
 * @param target the target checked, or null
 * @param code its own package
 * @param layers its layers, in order
 * @param overlaps paths that more than one layer provides (the last one's copy is what the function
 *     sees)
 * @param versionConflicts packages present in more than one version across the package and layers
 * @param unzippedBytes the package and every layer, unzipped
 * @param problems every layer's problems (with the layer named) and the function's own, errors
 *     first
 */
public record FunctionReport(
    String name,
    String runtime,
    Target target,
    LayerReport code,
    List<LayerReport> layers,
    List<Overlap> overlaps,
    List<VersionConflict> versionConflicts,
    long unzippedBytes,
    List<Problem> problems) {

  public FunctionReport {
    layers = List.copyOf(layers);
    overlaps = List.copyOf(overlaps);
    versionConflicts = List.copyOf(versionConflicts);
    problems = List.copyOf(problems);
  }

  /** Whether nothing makes the function unfit for its target. */
  public boolean fit() {
    return problems.stream().noneMatch(Problem::isError);
  }

  /**
   * One path several layers provide.
   *
   * @param path the path under {@code /opt}
   * @param layers the layers that provide it, in order
   * @param winner the layer whose copy the function sees (the last one)
   * @param identical whether every copy has the same size and CRC-32
   * @param packageName the package that owns the winning copy, or null
   */
  public record Overlap(
      String path, List<String> layers, String winner, boolean identical, String packageName) {
    public Overlap {
      layers = List.copyOf(layers);
    }
  }

  /**
   * One package in several versions.
   *
   * @param ecosystem its Package URL type
   * @param name its name
   * @param copies every copy, the function's package first, then the layers in order
   * @param winner the copy the runtime loads
   * @param mixed whether two copies share one folder (their files mix on extraction)
   */
  public record VersionConflict(
      String ecosystem, String name, List<Copy> copies, Copy winner, boolean mixed) {
    public VersionConflict {
      copies = List.copyOf(copies);
    }
  }

  /**
   * A package's copy in the function's package or one of its layers.
   *
   * @param layer the layer (or the function's package) that holds it
   * @param version its version
   * @param location where it lies ({@code python/requests-2.32.3.dist-info})
   */
  public record Copy(String layer, String version, String location) {}
}
