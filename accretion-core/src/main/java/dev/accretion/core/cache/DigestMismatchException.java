package dev.accretion.core.cache;

import dev.accretion.core.FailureKind;

/**
 * Content offered to the cache did not have the sha256 it was announced with. Nothing was stored:
 * the temporary copy was deleted. Callers that know where the bytes came from (an index URL, a lock
 * file) catch this to say so; {@link #expectedSha256()} and {@link #actualSha256()} give both
 * digests as lowercase hex.
 */
public final class DigestMismatchException extends CacheException {
  private static final long serialVersionUID = 1L;

  private final String expectedSha256;
  private final String actualSha256;

  DigestMismatchException(String what, String expectedSha256, String actualSha256) {
    super(
        FailureKind.REFUSED,
        what
            + " has sha256 "
            + actualSha256
            + " but sha256 "
            + expectedSha256
            + " was expected; nothing was stored in the cache. The source is corrupt or was"
            + " changed: check where it came from, or update the expected hash if the change is"
            + " intended");
    this.expectedSha256 = expectedSha256;
    this.actualSha256 = actualSha256;
  }

  /** The digest the content was announced with (lowercase hex). */
  public String expectedSha256() {
    return expectedSha256;
  }

  /** The digest the content actually has (lowercase hex). */
  public String actualSha256() {
    return actualSha256;
  }
}
