package dev.accretion.app.publish;

import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.PublishListener;
import dev.accretion.aws.RegionResult;

/**
 * A publish's events as use-case progress: each region's current step for a status line, and one
 * stage line per finished region (published, unchanged or failed) for a log.
 */
final class PublishEvents implements PublishListener {
  private final ProgressListener listener;
  private final String layer;

  PublishEvents(ProgressListener listener, String layer) {
    this.listener = listener;
    this.layer = layer;
  }

  /** Events of one Lambda layer (a project publishes several at once). */
  PublishEvents forLayer(String name) {
    return new PublishEvents(listener, name);
  }

  @Override
  public void step(String region, String step, String detail) {
    listener.activity(region + ": " + step + " " + detail);
  }

  @Override
  public void retrying(String region, String operation, int attempt, String reason) {
    listener.activity(region + ": retrying " + operation + " (attempt " + attempt + ")");
  }

  @Override
  public void regionFinished(RegionResult result) {
    listener.idle();
    String who = layer == null ? "" : layer + " ";
    if (!result.ok()) {
      listener.stage("Failed " + who + "in " + result.region() + " (reported at the end)");
    } else if (result.published()) {
      listener.stage(
          "Uploaded and published "
              + who
              + "version "
              + result.version()
              + " in "
              + result.region());
    } else {
      listener.stage(
          "Unchanged: " + who + "version " + result.version() + " in " + result.region());
    }
  }
}
