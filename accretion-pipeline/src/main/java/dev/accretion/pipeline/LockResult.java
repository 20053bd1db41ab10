package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.Resolution;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a lock produced: one entry per target, in the request's order. A target without a solution
 * does not stop the others: its entry carries the failure. Immutable.
 *
 * @param listing the listing as opened (absolute)
 * @param builderId the builder that resolved it
 * @param locks one per target
 * @param warnings what reading the listing and resolving said, each once
 */
public record LockResult(
    Path listing, String builderId, List<TargetLock> locks, List<String> warnings) {
  public LockResult {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(builderId, "builderId");
    locks = List.copyOf(locks);
    warnings = List.copyOf(warnings);
  }

  /**
   * One target's lock.
   *
   * @param target the target
   * @param resolution what it resolved to, or null when it failed
   * @param file the lock file written, or null when it failed or the builder writes none
   * @param millis how long resolving and writing took
   * @param failure why it failed, or null
   */
  public record TargetLock(
      Target target, Resolution resolution, Path file, long millis, AccretionException failure) {
    public TargetLock {
      Objects.requireNonNull(target, "target");
      if ((resolution == null) == (failure == null)) {
        throw new IllegalArgumentException("a target lock has a resolution or a failure");
      }
    }

    public boolean failed() {
      return failure != null;
    }
  }

  /** The entries that failed. */
  public List<TargetLock> failures() {
    return locks.stream().filter(TargetLock::failed).toList();
  }
}
