package dev.accretion.pipeline.spi;

/**
 * Receives {@link BuildEvent}s; builders and the pipeline never print. Called from worker threads,
 * possibly concurrently: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface BuildListener {
  /** A listener that ignores everything. */
  BuildListener NONE = event -> {};

  void onEvent(BuildEvent event);
}
