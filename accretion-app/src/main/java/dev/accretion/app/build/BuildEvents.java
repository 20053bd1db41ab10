package dev.accretion.app.build;

import dev.accretion.app.Sizes;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.pipeline.PipelineEvent;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildListener;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The layer pipeline's and the builder's events as use-case progress: the current step with overall
 * download counts for a status line, and one stage line per finished step (resolved, fetched,
 * verified, assembled) for a log. Thread-safe: the pipeline reports from its worker threads.
 */
final class BuildEvents implements BuildListener {
  private final ProgressListener listener;
  private final Map<String, long[]> downloads = new ConcurrentHashMap<>();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final AtomicInteger downloaded = new AtomicInteger();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong bytesDownloaded = new AtomicLong();
  private volatile int filesTotal;
  private volatile long bytesKnown;
  private volatile long fetchStart;
  private volatile String label = "resolving";

  BuildEvents(ProgressListener listener) {
    this.listener = listener;
  }

  @Override
  public void onEvent(BuildEvent event) {
    switch (event) {
      case BuildEvent.Step s ->
          listener.activity(
              label + ": " + s.what() + " " + s.done() + (s.total() >= 0 ? "/" + s.total() : ""));
      case BuildEvent.Output o -> listener.activity(o.line());
      case PipelineEvent.CacheHit h ->
          listener.stage(
              "Unchanged: "
                  + h.files().size()
                  + " files from the cache"
                  + (h.alreadyInPlace() == h.files().size()
                      ? ", all already in place"
                      : h.alreadyInPlace() > 0
                          ? ", " + h.alreadyInPlace() + " already in place"
                          : "")
                  + " (built "
                  + h.built().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                  + ")");
      case BuildEvent.Resolving r -> {
        label = "resolving " + r.target();
        listener.activity(label);
      }
      case BuildEvent.Resolved r -> {
        listener.idle();
        listener.stage(
            "Resolved "
                + r.packages()
                + (r.packages() == 1 ? " package for " : " packages for ")
                + r.target()
                + " in "
                + Sizes.duration(r.millis()));
      }
      case PipelineEvent.FetchPlanned p -> {
        filesTotal = p.files();
        bytesKnown = p.knownBytes();
        fetchStart = System.nanoTime();
        label = "fetching";
        if (p.files() == 0) {
          fetched();
        }
      }
      case PipelineEvent.FetchStarted s -> downloads.put(s.file(), new long[] {0, s.size()});
      case PipelineEvent.FetchProgress p -> {
        long[] d = downloads.computeIfAbsent(p.file(), k -> new long[] {0, p.size()});
        long delta = p.bytes() - d[0];
        d[0] = p.bytes();
        bytesDone.addAndGet(delta);
        String share =
            p.size() > 0 ? String.format(Locale.ROOT, " %d%%", p.bytes() * 100 / p.size()) : "";
        listener.activity(
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
        if (!f.fromCache()) {
          downloaded.incrementAndGet();
          bytesDownloaded.addAndGet(f.bytes());
        }
        int done = filesDone.incrementAndGet();
        listener.activity(
            "fetching "
                + done
                + "/"
                + filesTotal
                + " files: "
                + f.file()
                + (f.fromCache() ? " (cached)" : " done"));
        if (done == filesTotal) {
          fetched();
        }
      }
      case PipelineEvent.Opened i -> {
        listener.activity("verifying " + i.done() + "/" + i.total() + " files: " + i.file());
        if (i.done() == i.total()) {
          listener.idle();
          listener.stage(
              "Verified "
                  + i.total()
                  + (i.total() == 1 ? " file" : " files")
                  + " (digests, contents, ELF machine and glibc)");
        }
      }
      case PipelineEvent.Assembling a -> listener.activity("writing " + a.artifact());
      case PipelineEvent.Written w -> {
        listener.idle();
        listener.stage(
            "Assembled "
                + w.artifact().zip().getFileName()
                + " ("
                + Sizes.human(w.artifact().zippedBytes())
                + " zipped, "
                + Sizes.human(w.artifact().unzippedBytes())
                + " unzipped) for "
                + String.join(", ", w.artifact().runtimes())
                + " on "
                + String.join(", ", w.artifact().architectures()));
      }
      case BuildEvent.Warning w -> listener.warning(w.message());
      default -> {}
    }
  }

  private void fetched() {
    listener.idle();
    long millis = (System.nanoTime() - fetchStart) / 1_000_000;
    int total = filesTotal;
    int fromNetwork = downloaded.get();
    listener.stage(
        "Fetched "
            + total
            + (total == 1 ? " file, " : " files, ")
            + Sizes.human(bytesDone.get())
            + " ("
            + fromNetwork
            + " downloaded, "
            + Sizes.human(bytesDownloaded.get())
            + "; "
            + (total - fromNetwork)
            + " from the cache) in "
            + Sizes.duration(millis));
  }
}
