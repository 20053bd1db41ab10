package dev.accretion.python.index;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One distribution file listed by a simple index page (PEP 503/691) or a find-links location.
 * Immutable; URIs never carry credentials (they are kept by the client, per host).
 *
 * @param filename the file's name, the last path segment of {@code url}, percent-decoded
 * @param url the absolute URL of the file, without the hash fragment
 * @param hashes hash name (lower case, e.g. {@code sha256}) to lower-case hex digest, from the
 *     URL's {@code #name=value} fragment (HTML) or the {@code hashes} object (JSON); may be empty
 * @param requiresPython the {@code Requires-Python} specifier text as the index gave it
 *     (HTML-unescaped), if any; not validated here
 * @param yanked whether the file is yanked (PEP 592)
 * @param yankedReason the reason given for the yank, if any (only when yanked)
 * @param hasMetadataFile whether the index serves the file's core metadata at {@code url +
 *     ".metadata"} (PEP 658, with PEP 714's {@code data-core-metadata} name preferred)
 * @param metadataHashes hashes of that metadata file, if the index gave them
 * @param size the file size in bytes (PEP 700, or from the file system), if known
 * @param index the index base URL or find-links location the file came from
 */
public record IndexFile(
    String filename,
    URI url,
    Map<String, String> hashes,
    Optional<String> requiresPython,
    boolean yanked,
    Optional<String> yankedReason,
    boolean hasMetadataFile,
    Map<String, String> metadataHashes,
    OptionalLong size,
    URI index) {

  public IndexFile {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(requiresPython, "requiresPython");
    Objects.requireNonNull(yankedReason, "yankedReason");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(index, "index");
    if (filename.isEmpty() || filename.contains("/")) {
      throw new IllegalArgumentException("bad file name '" + filename + "' for " + url);
    }
    if (!url.isAbsolute() || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "file URL must be absolute, without fragment or credentials: " + url);
    }
    if (!yanked && yankedReason.isPresent()) {
      throw new IllegalArgumentException("a yank reason on a file that is not yanked: " + url);
    }
    if (!hasMetadataFile && !metadataHashes.isEmpty()) {
      throw new IllegalArgumentException("metadata hashes without a metadata file: " + url);
    }
    if (size.isPresent() && size.getAsLong() < 0) {
      throw new IllegalArgumentException("negative size for " + url);
    }
    hashes = Map.copyOf(new TreeMap<>(hashes));
    metadataHashes = Map.copyOf(new TreeMap<>(metadataHashes));
  }

  /** The sha256 hex digest, if the index gave one. */
  public Optional<String> sha256() {
    return Optional.ofNullable(hashes.get("sha256"));
  }

  /** The PEP 658 metadata file URL ({@code url + ".metadata"}), if the index offers it. */
  public Optional<URI> metadataUrl() {
    return hasMetadataFile ? Optional.of(URI.create(url + ".metadata")) : Optional.empty();
  }

  /** Whether this is a wheel ({@code .whl}, case-insensitive). */
  public boolean isWheel() {
    return filename.regionMatches(true, filename.length() - 4, ".whl", 0, 4);
  }
}
