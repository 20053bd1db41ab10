package dev.accretion.core.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code accretion cache verify} found after re-hashing every blob and reading every selector.
 * Corrupt blobs have already been moved to quarantine (they will be fetched again when needed).
 * Immutable.
 *
 * @param blobsChecked how many blobs were hashed
 * @param bytesChecked how many bytes were hashed
 * @param corrupt blobs whose content did not match their name
 * @param brokenSelectors selectors that are unreadable (moved to quarantine) or reference a missing
 *     blob (left for gc; a lookup treats them as a miss)
 * @param unexpectedFiles files in the blob or selector folders whose names are not sha256 digests
 *     (not written by Accretion; left alone)
 * @param leftovers partial files of killed or crashed writers found in {@code tmp/} (when the cache
 *     was opened, or since) and removed
 */
public record VerifyReport(
    long blobsChecked,
    long bytesChecked,
    List<CorruptBlob> corrupt,
    List<BrokenSelector> brokenSelectors,
    List<Path> unexpectedFiles,
    List<Leftover> leftovers) {

  /** A partial file whose writer is gone, {@code size} bytes, now removed. */
  public record Leftover(Path file, long size) {
    public Leftover {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A report with no leftovers. */
  public VerifyReport(
      long blobsChecked,
      long bytesChecked,
      List<CorruptBlob> corrupt,
      List<BrokenSelector> brokenSelectors,
      List<Path> unexpectedFiles) {
    this(blobsChecked, bytesChecked, corrupt, brokenSelectors, unexpectedFiles, List.of());
  }

  /** A blob whose content has digest {@code actualSha256}; now at {@code quarantined}. */
  public record CorruptBlob(String sha256, String actualSha256, Path quarantined) {
    public CorruptBlob {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(actualSha256, "actualSha256");
      Objects.requireNonNull(quarantined, "quarantined");
    }
  }

  /** A selector that cannot be used, and why. */
  public record BrokenSelector(String key, String reason) {
    public BrokenSelector {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public VerifyReport {
    corrupt = List.copyOf(corrupt);
    brokenSelectors = List.copyOf(brokenSelectors);
    unexpectedFiles = List.copyOf(unexpectedFiles);
    leftovers = List.copyOf(leftovers);
  }

  /** True when nothing was wrong (removed leftovers of killed builds are reported, not wrong). */
  public boolean ok() {
    return corrupt.isEmpty() && brokenSelectors.isEmpty() && unexpectedFiles.isEmpty();
  }
}
