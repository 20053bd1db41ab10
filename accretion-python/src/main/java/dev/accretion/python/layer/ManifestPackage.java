package dev.accretion.python.layer;

import dev.accretion.python.metadata.CoreMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One package as the manifest and the SBOM describe it. Immutable.
 *
 * @param name the PEP 503 normalized name
 * @param version the version (PEP 440 normalized)
 * @param file the wheel's file name
 * @param url where the wheel came from (no credentials)
 * @param sha256 the wheel's SHA-256 (lowercase hex)
 * @param tags the wheel's tags, as its file name expands them
 * @param license the license (see {@link #license(CoreMetadata)}), or null when the metadata gives
 *     none
 * @param licenseIsExpression whether {@code license} is an SPDX expression ({@code
 *     License-Expression})
 * @param requiresPython {@code Requires-Python}, or null
 * @param unzippedBytes the size of what it installs in the layer
 * @param files how many files it installs
 * @param dependencies the names (PEP 503) of the packages it depends on in this layer
 */
public record ManifestPackage(
    String name,
    String version,
    String file,
    String url,
    String sha256,
    List<String> tags,
    String license,
    boolean licenseIsExpression,
    String requiresPython,
    long unzippedBytes,
    int files,
    List<String> dependencies) {
  public ManifestPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    tags = List.copyOf(tags);
    dependencies = List.copyOf(dependencies);
  }

  /**
   * The license a package declares: {@code License-Expression} (core metadata 2.4, an SPDX
   * expression) if present; else {@code License} when it is one short line (many packages put the
   * whole license text there, which is not a name); else the last part of each {@code License ::}
   * classifier ({@code MIT License}), joined by {@code "; "}; else null.
   */
  public static String license(CoreMetadata metadata) {
    if (metadata.licenseExpression() != null && !metadata.licenseExpression().isBlank()) {
      return metadata.licenseExpression().strip();
    }
    if (metadata.license() != null) {
      String text = metadata.license().strip();
      if (!text.isEmpty()
          && !text.contains("\n")
          && text.length() <= 100
          && !text.equalsIgnoreCase("UNKNOWN")) {
        return text;
      }
    }
    List<String> fromClassifiers = new ArrayList<>();
    for (String classifier : metadata.classifiers()) {
      String c = classifier.strip();
      if (c.startsWith("License ::")) {
        String[] parts = c.split("\\s*::\\s*");
        String last = parts[parts.length - 1].strip();
        if (parts.length > 1 && !last.equals("OSI Approved") && !fromClassifiers.contains(last)) {
          fromClassifiers.add(last);
        }
      }
    }
    return fromClassifiers.isEmpty() ? null : String.join("; ", fromClassifiers);
  }
}
