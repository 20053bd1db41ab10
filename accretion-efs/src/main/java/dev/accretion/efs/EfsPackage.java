package dev.accretion.efs;

import java.util.Objects;

/**
 * One package version of a set, as the store keeps it. Immutable.
 *
 * @param name the normalized name ({@code charset-normalizer})
 * @param version the exact version
 * @param file the wheel's file name
 * @param sha256 the wheel's sha256 (lowercase hex), or null when no digest is known
 * @param path the version folder relative to the store root, {@code /}-separated ({@code
 *     python3.11/x86_64/numpy/2.2.6})
 */
public record EfsPackage(String name, String version, String file, String sha256, String path) {
  public EfsPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
  }
}
