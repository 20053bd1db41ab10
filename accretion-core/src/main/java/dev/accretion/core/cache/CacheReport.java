package dev.accretion.core.cache;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code accretion cache ls} shows: entry counts and sizes by kind, and the largest blobs with
 * the file names selectors know them by. A snapshot: other processes may change the cache while it
 * is taken. Immutable.
 *
 * @param root the cache directory
 * @param usage count and bytes for every {@link CacheEntryKind}
 * @param largest the largest blobs, largest first
 */
public record CacheReport(Path root, Map<CacheEntryKind, Usage> usage, List<LargeBlob> largest) {

  /** How many entries of one kind and their total size in bytes. */
  public record Usage(long count, long bytes) {
    public Usage {
      if (count < 0 || bytes < 0) {
        throw new IllegalArgumentException("count and bytes must be >= 0");
      }
    }
  }

  /**
   * One large blob: digest, size, last use (the later of its store time and its last-use marker),
   * and the file names selectors record for it (empty when no selector references it).
   */
  public record LargeBlob(String sha256, long size, Instant lastUsed, List<String> names) {
    public LargeBlob {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(lastUsed, "lastUsed");
      names = List.copyOf(names);
    }
  }

  public CacheReport {
    Objects.requireNonNull(root, "root");
    EnumMap<CacheEntryKind, Usage> copy = new EnumMap<>(CacheEntryKind.class);
    for (CacheEntryKind kind : CacheEntryKind.values()) {
      copy.put(kind, Objects.requireNonNull(usage.get(kind), "usage of " + kind));
    }
    usage = Collections.unmodifiableMap(copy);
    largest = List.copyOf(largest);
  }

  /** The usage of one kind. */
  public Usage usage(CacheEntryKind kind) {
    return usage.get(kind);
  }

  /** The total size of every entry. */
  public long totalBytes() {
    return usage.values().stream().mapToLong(Usage::bytes).sum();
  }
}
