package dev.accretion.core.archive;

import java.util.Objects;

/**
 * Caps applied while reading an archive. Byte caps count the bytes actually produced by inflating
 * (never the sizes the headers declare): {@code maxArchiveBytes} per archive, and {@code budget}
 * shared by every archive opened with the same budget object, so pass one {@code ZipLimits} to
 * every {@link ZipArchive#open} of a build.
 *
 * @param maxArchiveBytes most bytes that may be inflated from one archive (each entry counted once
 *     however often it is read)
 * @param budget bytes shared by all archives opened with it; never null
 * @param maxEntries most entries an archive may have
 * @param maxCentralDirectoryBytes largest central directory that is read (it is held in memory)
 */
public record ZipLimits(
    long maxArchiveBytes, ByteBudget budget, int maxEntries, int maxCentralDirectoryBytes) {

  /**
   * The unzipped size limit of a Lambda function plus all its layers: 262,144,000 bytes (250 MiB),
   * per the AWS Lambda quotas page.
   */
  public static final long LAMBDA_UNZIPPED_BYTES = 262_144_000L;

  /** Default cap on entries per archive. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  /** Default cap on the central directory size (64 MiB: about a million entries). */
  public static final int DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES = 64 << 20;

  public ZipLimits {
    Objects.requireNonNull(budget, "budget");
    if (maxArchiveBytes <= 0) {
      throw new IllegalArgumentException("maxArchiveBytes must be positive: " + maxArchiveBytes);
    }
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
    }
    if (maxCentralDirectoryBytes < 0) {
      throw new IllegalArgumentException(
          "maxCentralDirectoryBytes must not be negative: " + maxCentralDirectoryBytes);
    }
  }

  /**
   * The Lambda limits: {@value #LAMBDA_UNZIPPED_BYTES} bytes per archive and a fresh shared budget
   * of the same size. Each call returns a new budget; keep the instance for the whole build.
   */
  public static ZipLimits lambda() {
    return new ZipLimits(
        LAMBDA_UNZIPPED_BYTES,
        new ByteBudget(LAMBDA_UNZIPPED_BYTES),
        DEFAULT_MAX_ENTRIES,
        DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES);
  }

  /** No byte caps (for tools that read archives they produced themselves). */
  public static ZipLimits unlimited() {
    return new ZipLimits(
        Long.MAX_VALUE,
        ByteBudget.unlimited(),
        Integer.MAX_VALUE,
        DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES);
  }

  /** A copy with another per-archive cap. */
  public ZipLimits withMaxArchiveBytes(long bytes) {
    return new ZipLimits(bytes, budget, maxEntries, maxCentralDirectoryBytes);
  }

  /** A copy with another shared budget. */
  public ZipLimits withBudget(ByteBudget newBudget) {
    return new ZipLimits(maxArchiveBytes, newBudget, maxEntries, maxCentralDirectoryBytes);
  }

  /** A copy with another entry cap. */
  public ZipLimits withMaxEntries(int entries) {
    return new ZipLimits(maxArchiveBytes, budget, entries, maxCentralDirectoryBytes);
  }
}
