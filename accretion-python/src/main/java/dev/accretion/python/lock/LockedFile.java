package dev.accretion.python.lock;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One distribution file a lock records for a package.
 *
 * @param filename the file's name (never null)
 * @param location where to get it: an absolute URL, or a {@code file:} URI for a path (already
 *     resolved against the lock's folder); null when the lock names the file without saying where
 *     it is (poetry.lock), so it must be found on the indexes
 * @param hashes hash algorithm (lower case, {@code sha256}) to lower-case hex digest; may be empty
 *     only for local files, whose hash Accretion computes
 * @param size the size in bytes, or null when the lock doesn't say
 */
public record LockedFile(String filename, URI location, Map<String, String> hashes, Long size) {
  public LockedFile {
    Objects.requireNonNull(filename, "filename");
    if (filename.isEmpty() || filename.contains("/")) {
      throw new IllegalArgumentException("bad file name '" + filename + "'");
    }
    if (location != null && !location.isAbsolute()) {
      throw new IllegalArgumentException("file location must be absolute: " + location);
    }
    if (size != null && size < 0) {
      throw new IllegalArgumentException("negative size for " + filename);
    }
    Map<String, String> copy = new TreeMap<>();
    hashes.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
    hashes = Map.copyOf(copy);
  }

  /** Whether the file is a wheel ({@code .whl}). */
  public boolean isWheel() {
    return filename.toLowerCase(Locale.ROOT).endsWith(".whl");
  }

  /** The sha256 hex digest, or null. */
  public String sha256() {
    return hashes.get("sha256");
  }

  @Override
  public String toString() {
    return filename;
  }
}
