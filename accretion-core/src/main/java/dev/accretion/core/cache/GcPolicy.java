package dev.accretion.core.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Cache#gc} removes. Temp files older than {@code tmpMaxAge} whose writing process is
 * gone; everything in quarantine; selectors not used (written or hit) for {@code maxUnused}, or
 * unreadable, or referencing a missing blob; and blobs that no remaining selector references and
 * that were not used for {@code maxUnused}. Nothing younger than {@code gracePeriod} is removed,
 * whatever {@code maxUnused} says, so builds running at the same time keep what they just stored or
 * looked up. With {@code dryRun} nothing is removed and the report says what would be.
 *
 * @param maxUnused how long an entry may go unused before it is collected (>= 0)
 * @param gracePeriod the minimum age of anything collected (>= {@link #MIN_GRACE_PERIOD})
 * @param tmpMaxAge how old an abandoned temp file must be (>= {@link #MIN_GRACE_PERIOD})
 * @param dryRun report only
 */
public record GcPolicy(
    Duration maxUnused, Duration gracePeriod, Duration tmpMaxAge, boolean dryRun) {

  /** The default for {@code maxUnused}: 30 days. */
  public static final Duration DEFAULT_MAX_UNUSED = Duration.ofDays(30);

  /** The default grace period and temp-file age: one hour. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(1);

  /**
   * The shortest grace period allowed: well above how stale a last-use marker may be (five
   * minutes), so a blob in use is never seen as unused.
   */
  public static final Duration MIN_GRACE_PERIOD = Duration.ofMinutes(15);

  public GcPolicy {
    Objects.requireNonNull(maxUnused, "maxUnused");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(tmpMaxAge, "tmpMaxAge");
    if (maxUnused.isNegative()) {
      throw new IllegalArgumentException("maxUnused must not be negative, got " + maxUnused);
    }
    if (gracePeriod.compareTo(MIN_GRACE_PERIOD) < 0) {
      throw new IllegalArgumentException(
          "gracePeriod must be at least " + MIN_GRACE_PERIOD + ", got " + gracePeriod);
    }
    if (tmpMaxAge.compareTo(MIN_GRACE_PERIOD) < 0) {
      throw new IllegalArgumentException(
          "tmpMaxAge must be at least " + MIN_GRACE_PERIOD + ", got " + tmpMaxAge);
    }
  }

  /** 30 days unused, one hour of grace, one hour for temp files, not a dry run. */
  public static GcPolicy defaults() {
    return new GcPolicy(DEFAULT_MAX_UNUSED, DEFAULT_GRACE_PERIOD, DEFAULT_GRACE_PERIOD, false);
  }

  /** This policy with another {@code maxUnused}. */
  public GcPolicy withMaxUnused(Duration maxUnused) {
    return new GcPolicy(maxUnused, gracePeriod, tmpMaxAge, dryRun);
  }

  /** This policy with another grace period. */
  public GcPolicy withGracePeriod(Duration gracePeriod) {
    return new GcPolicy(maxUnused, gracePeriod, tmpMaxAge, dryRun);
  }

  /** This policy as a dry run (or not). */
  public GcPolicy withDryRun(boolean dryRun) {
    return new GcPolicy(maxUnused, gracePeriod, tmpMaxAge, dryRun);
  }

  /** The age beyond which an unused selector or blob is collected. */
  Duration unusedThreshold() {
    return maxUnused.compareTo(gracePeriod) > 0 ? maxUnused : gracePeriod;
  }
}
