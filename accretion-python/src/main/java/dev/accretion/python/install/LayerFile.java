package dev.accretion.python.install;

import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import java.util.Objects;

/**
 * One file of a layer: either a raw copy of a wheel entry (compressed bytes reused as they are) or
 * bytes Accretion wrote (stored). Immutable apart from the archive it may refer to, which must stay
 * open until the layer is written.
 *
 * @param path the path in the layer zip ({@code python/requests/api.py}, {@code bin/foo})
 * @param executable whether it gets mode 0755
 * @param sha256 lowercase hex SHA-256 of the content
 * @param size content bytes
 * @param archive the wheel for a raw copy, else null
 * @param entry the wheel entry for a raw copy, else null
 * @param bytes the content for a written file, else null
 */
public record LayerFile(
    String path,
    boolean executable,
    String sha256,
    long size,
    ZipArchive archive,
    ZipEntryInfo entry,
    byte[] bytes) {

  public LayerFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    if ((archive == null) == (bytes == null) || (archive == null) != (entry == null)) {
      throw new IllegalArgumentException("a layer file is either a raw copy or bytes: " + path);
    }
  }

  /** A raw copy of a wheel entry. */
  public static LayerFile raw(
      String path,
      boolean executable,
      String sha256,
      long size,
      ZipArchive archive,
      ZipEntryInfo e) {
    return new LayerFile(path, executable, sha256, size, archive, e, null);
  }

  /** A file Accretion writes (its content is not copied; do not change the array). */
  public static LayerFile bytes(String path, boolean executable, byte[] content) {
    return new LayerFile(
        path, executable, Hashes.sha256Hex(content), content.length, null, null, content);
  }

  /** Whether this is a raw copy of a wheel entry. */
  public boolean isRaw() {
    return archive != null;
  }

  /** Adds the file to {@code writer} as coming from {@code source}. */
  public void addTo(ReproducibleZipWriter writer, String source) {
    if (archive != null) {
      writer.addRaw(path, archive, entry, sha256, executable, source);
    } else {
      writer.addBytes(path, bytes, executable, source);
    }
  }
}
