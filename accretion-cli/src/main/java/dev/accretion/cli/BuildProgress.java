package dev.accretion.cli;

import dev.accretion.python.index.IndexListener;
import dev.accretion.python.layer.LayerBuildEvent;
import dev.accretion.python.layer.LayerBuildListener;
import dev.accretion.python.layer.Sizes;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws a build's progress on stderr through {@link Progress}: resolution, then per-file download
 * progress with the overall count and bytes, verification, and assembly. Warnings always print.
 */
final class BuildProgress implements LayerBuildListener, IndexListener {
  private final Progress progress;
  private final Map<String, long[]> downloads = new ConcurrentHashMap<>();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final AtomicLong bytesDone = new AtomicLong();
  private volatile int filesTotal;
  private volatile long bytesKnown;

  BuildProgress(Progress progress) {
    this.progress = progress;
  }

  @Override
  public void warning(String message) {
    progress.warning(message);
  }

  @Override
  public void progress(long done, long requested) {
    progress.progress(done, requested);
  }

  @Override
  public void onEvent(LayerBuildEvent event) {
    switch (event) {
      case LayerBuildEvent.Resolving r -> {
        progress.label("resolving " + r.target());
        progress.status("resolving " + r.target());
      }
      case LayerBuildEvent.FetchPlanned p -> {
        filesTotal = p.files();
        bytesKnown = p.knownBytes();
        progress.label("fetching");
      }
      case LayerBuildEvent.FetchStarted s -> downloads.put(s.file(), new long[] {0, s.size()});
      case LayerBuildEvent.FetchProgress p -> {
        long[] d = downloads.computeIfAbsent(p.file(), k -> new long[] {0, p.size()});
        long delta = p.bytes() - d[0];
        d[0] = p.bytes();
        bytesDone.addAndGet(delta);
        String share =
            p.size() > 0 ? String.format(Locale.ROOT, " %d%%", p.bytes() * 100 / p.size()) : "";
        progress.status(
            "fetching "
                + filesDone.get()
                + "/"
                + filesTotal
                + " wheels, "
                + Sizes.human(bytesDone.get())
                + (bytesKnown > 0 ? " of " + Sizes.human(bytesKnown) : "")
                + ": "
                + p.file()
                + share);
      }
      case LayerBuildEvent.FetchFinished f -> {
        long[] d = downloads.remove(f.file());
        bytesDone.addAndGet(f.bytes() - (d == null ? 0 : d[0]));
        progress.status(
            "fetching "
                + filesDone.incrementAndGet()
                + "/"
                + filesTotal
                + " wheels: "
                + f.file()
                + (f.fromCache() ? " (cached)" : " done"));
      }
      case LayerBuildEvent.Inspected i ->
          progress.status("verifying " + i.done() + "/" + i.total() + " wheels: " + i.file());
      case LayerBuildEvent.Assembling a -> progress.status("writing " + a.artifact());
      case LayerBuildEvent.Warning w -> progress.warning(w.message());
      default -> {}
    }
  }

  void done() {
    progress.clear();
  }
}
