package dev.accretion.inspect;

import java.util.List;

/**
 * Accretion's own manifest found in a zip ({@code accretion/<name>/manifest.json}, schema {@code
 * accretion/layer-manifest/v1} or {@code v2}). Immutable.
 *
 * @param path where it is in the zip
 * @param schema the schema id
 * @param layer the layer name it was built as
 * @param builder the builder id ({@code python}; v1 manifests are Python's)
 * @param builderVersion the Accretion version that built it, or null
 * @param runtimes the runtimes it was built for
 * @param architectures the architectures it was built for
 * @param packages what it says is installed
 */
public record LayerManifest(
    String path,
    String schema,
    String layer,
    String builder,
    String builderVersion,
    List<String> runtimes,
    List<String> architectures,
    List<Package> packages) {

  public LayerManifest {
    runtimes = List.copyOf(runtimes);
    architectures = List.copyOf(architectures);
    packages = List.copyOf(packages);
  }

  /**
   * A package the manifest lists.
   *
   * @param ecosystem the Package URL type ({@code pypi} for v1 manifests)
   * @param purl the Package URL (computed for v1 manifests)
   */
  public record Package(String ecosystem, String name, String version, String purl) {}
}
