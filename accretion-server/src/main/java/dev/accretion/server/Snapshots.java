package dev.accretion.server;

import dev.accretion.core.AccretionException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived copies of what the hottest reads ({@code /versions}, {@code /arn}, a token's scope)
 * fetch from the database, so a burst of reads costs one query per key per {@link #TTL_NANOS}
 * instead of one per request. Only present values are kept (a layer or token defined on another
 * instance is seen at once); this instance's own writes clear the copies at once; another
 * instance's changes (a layer updated or deleted, versions recorded) are seen within {@link
 * #TTL_NANOS}, and revoking a token waits that long before it returns ({@link Tokens#revoke}).
 */
final class Snapshots<K, V> {
  /** How long a copy is served: a quarter of a second. */
  static final long TTL_NANOS = 250_000_000L;

  /** Loads the current value; empty when there is none (nothing is kept then). */
  interface Loader<V> {
    Optional<V> load() throws AccretionException;
  }

  private record Copy<V>(V value, long until) {}

  private final ConcurrentHashMap<K, Copy<V>> copies = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private final int limit;

  /**
   * @param limit at most this many keys are kept; more clears the lot (bounds memory)
   */
  Snapshots(int limit) {
    this.limit = limit;
  }

  Optional<V> get(K key, Loader<V> loader) throws AccretionException {
    long now = System.nanoTime();
    Copy<V> copy = copies.get(key);
    if (copy != null && now - copy.until() < 0) {
      return Optional.of(copy.value());
    }
    long before = generation.get();
    Optional<V> loaded = loader.load();
    if (generation.get() != before) {
      return loaded; // a write cleared the copies while this loaded: keep nothing it may predate
    }
    if (loaded.isPresent()) {
      if (copies.size() >= limit) {
        copies.clear();
      }
      copies.put(key, new Copy<>(loaded.get(), now + TTL_NANOS));
    } else {
      copies.remove(key);
    }
    return loaded;
  }

  /** Drops every copy: after a write by this instance. */
  void clear() {
    generation.incrementAndGet();
    copies.clear();
  }
}
