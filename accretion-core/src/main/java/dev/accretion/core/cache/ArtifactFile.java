package dev.accretion.core.cache;

import java.util.Objects;

/**
 * One file of a cached artifact: its file name as the user sees it (for example {@code
 * mylayer-python3.11-x86_64.zip}), the sha256 of the blob holding it, and its size in bytes.
 */
public record ArtifactFile(String name, String sha256, long size) {
  public ArtifactFile {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an artifact file needs a name");
    }
    sha256 = Sha256.requireHex(sha256, "sha256 of " + name);
    if (size < 0) {
      throw new IllegalArgumentException("size of " + name + " must be >= 0, got " + size);
    }
  }
}
