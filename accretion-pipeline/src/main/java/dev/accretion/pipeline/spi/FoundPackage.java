package dev.accretion.pipeline.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A package an inspector recognized in a layer or function package. Immutable.
 *
 * @param ecosystem the Package URL type: {@code pypi}, {@code npm}, {@code maven}
 * @param name the name as the ecosystem normalizes it ({@code requests}, {@code @smithy/types},
 *     {@code com.google.guava:guava})
 * @param version the version the package's metadata states, or {@code ""} when it states none
 * @param purl the Package URL ({@code pkg:pypi/requests@2.32.3})
 * @param root the search folder the package lies in, relative to the zip's root ({@code python},
 *     {@code python/lib/python3.12/site-packages}, {@code nodejs/node_modules}, {@code java/lib},
 *     {@code ""} for the root); one of {@link ContentInspector#searchPath} when the runtime finds
 *     it
 * @param location the file or folder that describes it ({@code python/requests-2.32.3.dist-info},
 *     {@code nodejs/node_modules/debug/node_modules/ms}, {@code java/lib/guava-33.4.0-jre.jar})
 * @param files the files it owns that are present in the zip, sorted (for sizes and for the paths
 *     several layers provide)
 * @param unzippedBytes the sum of those files' sizes
 * @param facts ecosystem-specific facts for reports, as JSON values with camelCase keys ({@code
 *     installer}, {@code nestedIn}, {@code coordinatesFrom}); strings, numbers, booleans, lists
 */
public record FoundPackage(
    String ecosystem,
    String name,
    String version,
    String purl,
    String root,
    String location,
    List<String> files,
    long unzippedBytes,
    Map<String, Object> facts) {

  public FoundPackage {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(purl, "purl");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(location, "location");
    files = List.copyOf(files);
    facts = Map.copyOf(facts);
  }

  /** "requests 2.32.3", for messages. */
  public String label() {
    return version.isEmpty() ? name : name + " " + version;
  }
}
