package dev.accretion.core.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ReproducibleZipWriter#write} produced.
 *
 * @param file the zip written
 * @param sha256Hex lowercase hex SHA-256 of the zip's bytes
 * @param codeSha256Base64 the same digest as Lambda reports it in {@code CodeSha256}: standard
 *     base64 (with padding) of the 32 raw bytes
 * @param contentDigest lowercase hex SHA-256 of the content listing, which ignores compression
 *     (encoding documented on {@link ReproducibleZipWriter})
 * @param zippedBytes size of the zip file
 * @param unzippedBytes sum of the uncompressed sizes of the files
 * @param entryCount entries in the zip, directories included
 * @param mergedDuplicates paths that several sources supplied with identical content and mode,
 *     written once; sorted by path
 */
public record ZipResult(
    Path file,
    String sha256Hex,
    String codeSha256Base64,
    String contentDigest,
    long zippedBytes,
    long unzippedBytes,
    int entryCount,
    List<MergedDuplicate> mergedDuplicates) {
  public ZipResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    Objects.requireNonNull(codeSha256Base64, "codeSha256Base64");
    Objects.requireNonNull(contentDigest, "contentDigest");
    mergedDuplicates = List.copyOf(mergedDuplicates);
  }

  /**
   * One path supplied by several sources with the same content and mode.
   *
   * @param path the entry path
   * @param sha256Hex the content's SHA-256
   * @param sources every source that supplied it, sorted; the first one's bytes were written
   */
  public record MergedDuplicate(String path, String sha256Hex, List<String> sources) {
    public MergedDuplicate {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256Hex, "sha256Hex");
      sources = List.copyOf(sources);
      if (sources.size() < 2) {
        throw new IllegalArgumentException("a merged duplicate has at least two sources");
      }
    }

    /** The source whose stored bytes were written. */
    public String keptSource() {
      return sources.get(0);
    }
  }
}
