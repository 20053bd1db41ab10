package dev.accretion.cli;

import dev.accretion.pipeline.PipelineEvent;
import dev.accretion.pipeline.Sizes;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildListener;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws a build's progress on stderr through {@link Progress}: resolution, then per-file download
 * progress with the overall count and bytes, verification, and assembly. Warnings always print.
 */
final class BuildProgress implements BuildListener {
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
  public void onEvent(BuildEvent event) {
    switch (event) {
      case BuildEvent.Step s -> progress.progress(s.done(), s.total());
      case BuildEvent.Resolving r -> {
        progress.label("resolving " + r.target());
        progress.status("resolving " + r.target());
      }
      case PipelineEvent.FetchPlanned p -> {
        filesTotal = p.files();
        bytesKnown = p.knownBytes();
        progress.label("fetching");
      }
      case PipelineEvent.FetchStarted s -> downloads.put(s.file(), new long[] {0, s.size()});
      case PipelineEvent.FetchProgress p -> {
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
                + " files, "
                + Sizes.human(bytesDone.get())
                + (bytesKnown > 0 ? " of " + Sizes.human(bytesKnown) : "")
                + ": "
                + p.file()
                + share);
      }
      case PipelineEvent.FetchFinished f -> {
        long[] d = downloads.remove(f.file());
        bytesDone.addAndGet(f.bytes() - (d == null ? 0 : d[0]));
        progress.status(
            "fetching "
                + filesDone.incrementAndGet()
                + "/"
                + filesTotal
                + " files: "
                + f.file()
                + (f.fromCache() ? " (cached)" : " done"));
      }
      case PipelineEvent.Opened i ->
          progress.status("verifying " + i.done() + "/" + i.total() + " files: " + i.file());
      case PipelineEvent.Assembling a -> progress.status("writing " + a.artifact());
      case BuildEvent.Warning w -> progress.warning(w.message());
      default -> {}
    }
  }

  void done() {
    progress.clear();
  }
}
