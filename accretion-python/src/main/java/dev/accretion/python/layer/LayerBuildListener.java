package dev.accretion.python.layer;

/**
 * Receives {@link LayerBuildEvent}s; the builder never prints. Called from the build's worker
 * threads, possibly concurrently: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface LayerBuildListener {
  /** A listener that ignores everything. */
  LayerBuildListener NONE = event -> {};

  void onEvent(LayerBuildEvent event);
}
