package dev.accretion.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One package as the manifest and the SBOM describe it. Immutable.
 *
 * @param ecosystem the Package URL type ({@code pypi}, {@code npm}, {@code maven})
 * @param name the name as the ecosystem normalizes it
 * @param version the exact version
 * @param purl the Package URL
 * @param file the package file's name, or null for a package without one
 * @param url where the file came from (no credentials), or null
 * @param sha256 the file's SHA-256 (lowercase hex), or null
 * @param license the license it declares, or null
 * @param licenseIsExpression whether {@code license} is an SPDX expression
 * @param unzippedBytes the size of what it installs in the layer
 * @param files how many files it installs
 * @param dependencies the names of the packages it depends on in this layer
 * @param facts the builder's own keys for the entry ({@code tags}, {@code requiresPython})
 */
record ManifestPackage(
    String ecosystem,
    String name,
    String version,
    String purl,
    String file,
    String url,
    String sha256,
    String license,
    boolean licenseIsExpression,
    long unzippedBytes,
    int files,
    List<String> dependencies,
    Map<String, Object> facts) {
  ManifestPackage {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(purl, "purl");
    dependencies = List.copyOf(dependencies);
    facts = Map.copyOf(facts);
  }
}
