package dev.accretion.core.cache;

/**
 * Receives {@link CacheEvent}s; the cache never prints. Called synchronously on the thread doing
 * the work, from any number of threads at once, so implementations must be thread-safe and quick.
 * An exception thrown by a listener propagates out of the cache call that reported the event.
 */
@FunctionalInterface
public interface CacheListener {

  void onEvent(CacheEvent event);

  /** A listener that ignores every event. */
  static CacheListener none() {
    return event -> {};
  }
}
