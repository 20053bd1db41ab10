package dev.accretion.aws;

/**
 * Progress of a publish, for a CLI progress display or a server's build log. Methods are called
 * from the region worker threads, possibly concurrently; implementations must be thread-safe and
 * must not throw. Every method has an empty default.
 */
public interface PublishListener {
  /** A listener that ignores everything. */
  PublishListener NONE = new PublishListener() {};

  /** A step started in a region, e.g. "upload", "publish", "share". */
  default void step(String region, String step, String detail) {}

  /** A call is retried after a transient fault or throttling. */
  default void retrying(String region, String operation, int attempt, String reason) {}

  /** A region finished, successfully or not. */
  default void regionFinished(RegionResult result) {}
}
