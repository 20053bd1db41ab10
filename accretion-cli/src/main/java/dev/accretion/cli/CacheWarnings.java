package dev.accretion.cli;

import dev.accretion.core.cache.CacheEvent;
import dev.accretion.core.cache.CacheListener;
import java.io.PrintWriter;

/**
 * The cache events a build reports to the user: one warning line per corrupt entry that was set
 * aside and fetched again (the cache repairs itself; the user should still know the disk or
 * something else damaged it). Everything else the cache does stays quiet.
 */
final class CacheWarnings implements CacheListener {
  private final PrintWriter err;

  CacheWarnings(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void onEvent(CacheEvent event) {
    if (event instanceof CacheEvent.CorruptQuarantined c) {
      synchronized (err) {
        err.println(
            "accretion: warning: cache entry blobs/sha256/"
                + c.sha256()
                + " was corrupt (its content has sha256 "
                + c.actualSha256()
                + "); set aside in "
                + c.quarantined()
                + " and fetched again");
        err.flush();
      }
    }
  }
}
