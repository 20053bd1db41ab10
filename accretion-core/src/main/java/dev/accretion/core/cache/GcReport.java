package dev.accretion.core.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code accretion cache gc} removed, or with {@code dryRun} would remove. Immutable.
 *
 * @param dryRun true when nothing was actually removed
 * @param removals every entry removed, with its kind, size and why
 */
public record GcReport(boolean dryRun, List<Removal> removals) {

  /** One removed entry; {@code reason} is for a user ("unused for 31 days"). */
  public record Removal(CacheEntryKind kind, Path path, long bytes, String reason) {
    public Removal {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public GcReport {
    removals = List.copyOf(removals);
  }

  /** Bytes freed (or that would be). */
  public long bytes() {
    return removals.stream().mapToLong(Removal::bytes).sum();
  }

  /** How many entries of {@code kind} were removed. */
  public long count(CacheEntryKind kind) {
    return removals.stream().filter(r -> r.kind() == kind).count();
  }

  /** Bytes of {@code kind} freed. */
  public long bytes(CacheEntryKind kind) {
    return removals.stream().filter(r -> r.kind() == kind).mapToLong(Removal::bytes).sum();
  }
}
