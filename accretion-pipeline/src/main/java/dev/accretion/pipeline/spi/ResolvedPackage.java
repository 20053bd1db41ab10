package dev.accretion.pipeline.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One exact package a resolution chose for a target. Immutable.
 *
 * @param ecosystem the Package URL type: {@code pypi}, {@code npm}, {@code maven}, {@code generic}
 * @param name the name as the ecosystem normalizes it ({@code requests},
 *     {@code @aws-sdk/client-s3}, {@code com.google.guava:guava})
 * @param version the exact version
 * @param purl the Package URL ({@code pkg:pypi/requests@2.32.3}, {@code
 *     pkg:npm/%40aws-sdk/client-s3@3.700.0}, {@code pkg:maven/com.google.guava/guava@33.4.0-jre})
 * @param source the file to fetch; null for a package that has nothing to fetch (declared by a
 *     command builder, or laid out from {@link BuildSession#extraFiles})
 * @param dependencies the names of the packages it depends on in this resolution, sorted
 * @param facts builder-specific facts for the package's manifest entry, as JSON keys in the
 *     manifest's camelCase ({@code tags}, {@code requiresPython}, {@code integrity}, {@code
 *     scope}); values are strings, numbers, booleans, or lists and maps of them. They must not
 *     reuse the keys the pipeline writes (name, version, ecosystem, purl, file, url, sha256,
 *     license, licenseIsExpression, unzippedBytes, files, dependencies, requiredBy)
 * @param requiredBy who asked for it, for reports ({@code accretion lock}): {@code listing} for the
 *     listing's own requirements, else the names of the packages that depend on it
 */
public record ResolvedPackage(
    String ecosystem,
    String name,
    String version,
    String purl,
    PackageSource source,
    List<String> dependencies,
    Map<String, Object> facts,
    List<String> requiredBy) {
  public ResolvedPackage {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(purl, "purl");
    dependencies = List.copyOf(dependencies);
    facts = Map.copyOf(facts);
    requiredBy = List.copyOf(requiredBy);
  }

  /** A package whose resolution does not say who asked for it. */
  public ResolvedPackage(
      String ecosystem,
      String name,
      String version,
      String purl,
      PackageSource source,
      List<String> dependencies,
      Map<String, Object> facts) {
    this(ecosystem, name, version, purl, source, dependencies, facts, List.of());
  }

  /** "requests 2.32.3", for messages. */
  public String label() {
    return name + " " + version;
  }
}
