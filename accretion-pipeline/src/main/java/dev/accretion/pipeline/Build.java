package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ByteBudget;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One build that the selector cache could not answer: resolve every target, fetch every distinct
 * package file once (in parallel, verified), open each once, lay every package out per target,
 * check collisions, ELF and size, group targets whose files came out identical, write one zip per
 * group with its manifest, SBOM and locks (all published together), record the build in the cache.
 * Used once, by one thread.
 */
final class Build {

  private final BuildRequest request;
  private final Builder builder;
  private final BuildSession session;
  private final Cache cache;
  private final List<Target> targets;
  private final String name;
  private final SelectorKey key;
  private final Path out;
  private final int threads;
  private final OutputSet.Hook hook;
  private final BuildListener listener;
  private final String noun;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final Map<Target, Resolution> resolutions = new LinkedHashMap<>();
  private final Map<String, FetchedFile> fetched = new ConcurrentHashMap<>();
  private final List<OpenedPackage> opened = Collections.synchronizedList(new ArrayList<>());
  private final SourceFetcher fetcher;

  Build(
      BuildRequest request,
      Builder builder,
      BuildSession session,
      Cache cache,
      List<Target> targets,
      String name,
      SelectorKey key,
      Path out,
      int threads,
      OutputSet.Hook hook) {
    this.request = request;
    this.builder = builder;
    this.session = session;
    this.cache = cache;
    this.targets = targets;
    this.name = name;
    this.key = key;
    this.out = out;
    this.threads = threads;
    this.hook = hook;
    this.listener = request.context().listener();
    this.noun = builder.packageFileNoun();
    this.fetcher = new SourceFetcher(cache, session, listener, noun, this::warn);
  }

  BuildResult run() throws AccretionException {
    try {
      return build();
    } finally {
      synchronized (opened) {
        for (OpenedPackage p : opened) {
          try {
            p.close();
          } catch (RuntimeException e) {
            // read-only; nothing is lost
          }
        }
      }
    }
  }

  private void warn(String message) {
    synchronized (warnings) {
      if (!warnings.contains(message)) {
        warnings.add(message);
      }
    }
    listener.onEvent(new BuildEvent.Warning(message));
  }

  private BuildResult build() throws AccretionException {
    for (String note : session.notes()) {
      warn(note);
    }
    for (Target t : targets) {
      long start = System.nanoTime();
      listener.onEvent(new BuildEvent.Resolving(t));
      Resolution resolution = session.resolve(t);
      resolutions.put(t, resolution);
      listener.onEvent(
          new BuildEvent.Resolved(
              t, resolution.packages().size(), (System.nanoTime() - start) / 1_000_000));
      for (String w : resolution.warnings()) {
        warn(w);
      }
    }
    Set<String> excludes = new TreeSet<>();
    for (String x : request.excludes()) {
      excludes.add(session.normalizeName(x.strip()));
    }
    for (String x : excludes) {
      boolean found =
          resolutions.values().stream()
              .anyMatch(r -> r.packages().stream().anyMatch(p -> p.name().equals(x)));
      if (!found) {
        warn("--exclude " + x + ": no target's resolution has it; nothing was excluded");
      }
    }
    // Every distinct source once, in a stable order.
    Map<String, PackageSource> sources = new TreeMap<>();
    Map<Target, List<ResolvedPackage>> kept = new LinkedHashMap<>();
    for (Map.Entry<Target, Resolution> e : resolutions.entrySet()) {
      List<ResolvedPackage> packages = new ArrayList<>();
      for (ResolvedPackage p : e.getValue().packages()) {
        if (excludes.contains(p.name())) {
          continue;
        }
        packages.add(p);
        if (p.source() != null) {
          sources.putIfAbsent(p.source().url().toString(), p.source());
        }
      }
      packages.sort(Comparator.comparing(ResolvedPackage::name));
      kept.put(e.getKey(), packages);
    }
    ZipLimits limits =
        ZipLimits.lambda()
            .withBudget(new ByteBudget(ZipLimits.LAMBDA_UNZIPPED_BYTES * targets.size()));
    List<ResolvedPackage> all = new ArrayList<>();
    resolutions.values().forEach(r -> all.addAll(r.packages()));
    SizeBudget budget =
        new SizeBudget(
            name, request.budgetBytes(), request.reserveBytes(), session.sizeAdvice(all));
    Map<String, OpenedPackage> openedByUrl =
        fetchAndOpen(new ArrayList<>(sources.values()), kept, limits, budget);
    Map<String, OpenedPackage> openedBare = new HashMap<>();
    List<TargetLayout> layouts = new ArrayList<>();
    for (Map.Entry<Target, List<ResolvedPackage>> e : kept.entrySet()) {
      layouts.add(layout(e.getKey(), e.getValue(), openedByUrl, openedBare, limits, excludes));
    }
    // Group targets with identical content, keeping target order.
    Map<String, List<TargetLayout>> byFingerprint = new LinkedHashMap<>();
    for (TargetLayout l : layouts) {
      byFingerprint.computeIfAbsent(l.fingerprint(), k -> new ArrayList<>()).add(l);
    }
    List<List<TargetLayout>> groups = new ArrayList<>(byFingerprint.values());
    List<String> split = Splits.explain(groups);
    if (!split.isEmpty()) {
      listener.onEvent(new PipelineEvent.Split(Splits.targets(groups), split));
      for (String line : split) {
        warn(line);
      }
    }
    ArtifactWriter writer =
        new ArtifactWriter(
            request, builder, session, name, out, listener, budget, this::facts, split);
    List<ArtifactWriter.Pending> pending = new ArrayList<>();
    Map<Path, String> written = new LinkedHashMap<>();
    List<BuiltArtifact> artifacts = new ArrayList<>();
    try (OutputSet files = new OutputSet(out, hook)) {
      for (List<TargetLayout> group : groups) {
        pending.add(writer.write(group, files, List.copyOf(warnings), written));
      }
      files.commit();
    }
    for (ArtifactWriter.Pending p : pending) {
      BuiltArtifact artifact = BuiltArtifact.read(p.zip(), p.manifest(), p.manifestBytes());
      artifacts.add(artifact);
      listener.onEvent(new PipelineEvent.Written(artifact));
    }
    if (key != null) {
      new SelectorCache(cache, listener).record(key, written, name, targets, this::warn);
    }
    List<String> all2 = new ArrayList<>(warnings);
    for (BuiltArtifact a : artifacts) {
      for (String w : a.warnings()) {
        if (!all2.contains(w)) {
          all2.add(w);
        }
      }
    }
    return new BuildResult(
        name, builder.id(), artifacts, false, key == null ? "" : key.sha256(), all2);
  }

  // --- fetching and opening -----------------------------------------------------------------

  /**
   * Fetches every source into the cache and has the session open each, as a pipeline: each file is
   * opened as soon as it is fetched, on a pool of platform threads (opening inflates and hashes),
   * largest first so the pool ends together. The budget check on declared sizes runs once every
   * file is fetched; if it fails, openings not yet started are skipped and the budget error is
   * reported, whatever else failed. Otherwise the first failure in source order is reported, so the
   * same inputs always give the same error.
   */
  private Map<String, OpenedPackage> fetchAndOpen(
      List<PackageSource> sources,
      Map<Target, List<ResolvedPackage>> kept,
      ZipLimits limits,
      SizeBudget budget)
      throws AccretionException {
    List<PackageSource> files = new ArrayList<>(sources);
    Map<PackageSource, Long> sizes = new HashMap<>();
    long known = 0;
    for (PackageSource f : files) {
      sizes.put(f, f.size().orElse(localSize(f)));
      known += Math.max(0, f.size().orElse(0));
    }
    files.sort(
        Comparator.comparing((PackageSource f) -> -sizes.get(f))
            .thenComparing(PackageSource::filename)
            .thenComparing(f -> f.url().toString()));
    listener.onEvent(new PipelineEvent.FetchPlanned(files.size(), known));
    // which package stands for each source, per target (for declared sizes and opening)
    Map<String, Map<Target, ResolvedPackage>> users = new HashMap<>();
    for (Map.Entry<Target, List<ResolvedPackage>> e : kept.entrySet()) {
      for (ResolvedPackage p : e.getValue()) {
        if (p.source() != null) {
          users
              .computeIfAbsent(p.source().url().toString(), k -> new LinkedHashMap<>())
              .put(e.getKey(), p);
        }
      }
    }
    Map<String, Long> declared = new ConcurrentHashMap<>();
    Semaphore permits = new Semaphore(Math.max(1, session.fetchConcurrency()));
    AtomicBoolean aborted = new AtomicBoolean();
    AtomicInteger done = new AtomicInteger();
    int n = Math.max(1, Math.min(threads, files.size()));
    ExecutorService openers =
        Executors.newFixedThreadPool(n, Thread.ofPlatform().daemon().factory());
    ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
    List<CompletableFuture<FetchedFile>> fetches = new ArrayList<>();
    List<CompletableFuture<OpenedPackage>> opens = new ArrayList<>();
    try {
      for (PackageSource f : files) {
        String url = f.url().toString();
        Map<Target, ResolvedPackage> byTarget = users.get(url);
        CompletableFuture<FetchedFile> fetch =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    FetchedFile got;
                    permits.acquire();
                    try {
                      got = fetcher.fetch(f);
                    } finally {
                      permits.release();
                    }
                    fetched.put(url, got);
                    for (Map.Entry<Target, ResolvedPackage> u : byTarget.entrySet()) {
                      OptionalLong size =
                          session.declaredSize(
                              u.getValue(), got.blob(), limits, u.getKey(), request.placement());
                      if (size.isPresent()) {
                        declared.put(url + "\0" + u.getKey(), size.getAsLong());
                      }
                    }
                    return got;
                  } catch (AccretionException e) {
                    aborted.set(true);
                    throw new CompletionException(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(
                        new AccretionException(FailureKind.FAILED, "interrupted", e));
                  }
                },
                fetchers);
        fetches.add(fetch);
        ResolvedPackage first = byTarget.values().iterator().next();
        opens.add(
            fetch.thenApplyAsync(
                got -> {
                  if (aborted.get()) {
                    throw new CancellationException("build aborted");
                  }
                  try {
                    OpenedPackage p = session.open(first, got.blob(), limits);
                    opened.add(p);
                    listener.onEvent(
                        new PipelineEvent.Opened(
                            f.filename(), done.incrementAndGet(), files.size()));
                    return p;
                  } catch (AccretionException e) {
                    aborted.set(true);
                    throw new CompletionException(e);
                  }
                },
                openers));
      }
      Futures.settle(fetches);
      AccretionException fetchFailure = Futures.firstFailure(fetches);
      if (fetchFailure != null) {
        Futures.settle(opens);
        throw fetchFailure;
      }
      for (Map.Entry<Target, List<ResolvedPackage>> e : kept.entrySet()) {
        Map<String, Long> bySize = new LinkedHashMap<>();
        long total = 0;
        boolean complete = true;
        for (ResolvedPackage p : e.getValue()) {
          if (p.source() == null) {
            continue;
          }
          Long size = declared.get(p.source().url() + "\0" + e.getKey());
          if (size == null) {
            complete = false;
            break;
          }
          bySize.put(p.label(), size);
          total = SizeBudget.saturatedAdd(total, size);
        }
        if (complete && !budget.fits(total)) {
          aborted.set(true);
          Futures.settle(opens);
          throw budget.tooLarge(e.getKey(), total, bySize, "declares");
        }
      }
      List<OpenedPackage> results = Futures.settle(opens);
      AccretionException openFailure = Futures.firstFailure(opens);
      if (openFailure != null) {
        throw openFailure;
      }
      Map<String, OpenedPackage> byUrl = new HashMap<>();
      for (int i = 0; i < files.size(); i++) {
        byUrl.put(files.get(i).url().toString(), results.get(i));
      }
      return byUrl;
    } finally {
      openers.shutdownNow();
      fetchers.shutdownNow();
    }
  }

  private static long localSize(PackageSource f) {
    if ("file".equalsIgnoreCase(f.url().getScheme())) {
      try {
        return java.nio.file.Files.size(Path.of(f.url()));
      } catch (java.io.IOException | RuntimeException e) {
        return -1;
      }
    }
    return -1;
  }

  /** The facts a lock writer asks for, from what was fetched (no second read). */
  private final dev.accretion.pipeline.spi.FileFacts facts =
      new dev.accretion.pipeline.spi.FileFacts() {
        @Override
        public String sha256(PackageSource source) throws AccretionException {
          FetchedFile f = fetched.get(source.url().toString());
          if (f != null) {
            return f.sha256();
          }
          if (source.sha256().isPresent()) {
            return source.sha256().get().hex();
          }
          // an excluded package is in the lock but was never fetched
          return fetchExtra(source).sha256();
        }

        @Override
        public long size(PackageSource source) throws AccretionException {
          FetchedFile f = fetched.get(source.url().toString());
          if (f != null) {
            return f.size();
          }
          long local = localSize(source);
          if (local >= 0) {
            return local; // an excluded package from a local index: no need to copy it
          }
          return fetchExtra(source).size();
        }
      };

  private dev.accretion.pipeline.spi.FileFacts facts() {
    return facts;
  }

  private FetchedFile fetchExtra(PackageSource source) throws AccretionException {
    FetchedFile f = fetcher.fetch(source);
    fetched.put(source.url().toString(), f);
    return f;
  }

  // --- laying out ---------------------------------------------------------------------------

  private TargetLayout layout(
      Target target,
      List<ResolvedPackage> packages,
      Map<String, OpenedPackage> openedByUrl,
      Map<String, OpenedPackage> openedBare,
      ZipLimits limits,
      Set<String> excludes)
      throws AccretionException {
    List<TargetLayout.Installed> installed = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> targetWarnings = new ArrayList<>();
    List<InstalledPackage> plain = new ArrayList<>();
    for (ResolvedPackage p : packages) {
      OpenedPackage o;
      FetchedFile f = null;
      if (p.source() != null) {
        String url = p.source().url().toString();
        o = openedByUrl.get(url);
        f = fetched.get(url);
      } else {
        String id = p.ecosystem() + "\0" + p.name() + "\0" + p.version();
        o = openedBare.get(id);
        if (o == null) {
          o = session.open(p, null, limits);
          opened.add(o);
          openedBare.put(id, o);
        }
      }
      InstalledPackage pkg = session.install(o, target, request.placement());
      installed.add(new TargetLayout.Installed(p, o, f, pkg));
      plain.add(pkg);
      notes.addAll(pkg.notes());
      targetWarnings.addAll(o.warnings());
      targetWarnings.addAll(pkg.warnings());
    }
    notes.addAll(session.targetNotes(target, request.placement(), plain));
    for (ResolvedPackage p : resolutions.get(target).packages()) {
      if (!excludes.contains(p.name())) {
        continue;
      }
      String text =
          "excluded " + p.name() + " " + p.version() + " (--exclude): " + session.excludedWhy(p);
      notes.add(text);
      targetWarnings.add(text);
    }
    List<LayerFile> extra = session.extraFiles(target, request.placement());
    return Layouts.layout(
        target,
        resolutions.get(target),
        installed,
        extra,
        builder.id(),
        notes,
        targetWarnings,
        noun);
  }
}
