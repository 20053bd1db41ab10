package dev.accretion.python.layer;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FileDigests;
import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.ByteBudget;
import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.archive.ZipResult;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.cache.ArtifactFile;
import dev.accretion.core.cache.ArtifactRecord;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheException;
import dev.accretion.core.cache.DigestMismatchException;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.PackageName;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.install.InspectedWheel;
import dev.accretion.python.install.InstalledPackage;
import dev.accretion.python.install.InvalidWheelException;
import dev.accretion.python.install.LayerFile;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.install.WheelInspector;
import dev.accretion.python.install.WheelInstaller;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.lock.PylockWriter;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.Tag;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds Python Lambda layers: listing → resolution per target → wheels fetched once into the
 * content store (verified against the index's or lock's sha256, in parallel) → each wheel verified
 * once ({@link WheelInspector}) → laid out per target ({@link WheelInstaller}) → one reproducible
 * zip per distinct content, with its manifest inside and, beside it, the manifest with the request,
 * a CycloneDX SBOM and the pylock.toml of each target.
 *
 * <p><b>Sharing.</b> Targets whose installed files, packages and notes come out identical share one
 * artifact, named after all of them ({@link LayerNames#artifactBase}).
 *
 * <p><b>Checks.</b> Beyond the wheel checks: two packages installing different content at one path
 * fail the build naming both (identical content is written once and noted in the manifest); the
 * layer's unzipped size must fit 262,144,000 bytes minus the reserve, checked on the sizes the
 * wheels declare before anything is inflated and on the real sizes before anything is written.
 *
 * <p><b>Selector cache.</b> The build's inputs (listing bytes and the files it includes with {@code
 * -r}/{@code -c}, its path, format and extras, the targets, every option, the effective index
 * configuration and the builder version) are hashed into a {@link SelectorKey}; if the cache holds
 * a build for it, its files are copied to the output folder without resolving or assembling. A
 * listing that does not pin its versions keeps the versions of the cached build until {@code
 * refresh} is asked for. Corrupt entries are set aside by the cache and the build runs again.
 *
 * <p>Nothing is written outside the output folder and the cache. Not thread-safe: one build at a
 * time per instance; any number of processes may share the cache.
 */
public final class PythonLayerBuilder {
  private static final int FETCH_CONCURRENCY = 8;
  private static final String EFS_HINT =
      "for dependencies that cannot fit, side-load them from EFS (mount a file system and add its"
          + " folder to sys.path) or ship the function as a container image (up to 10 GB)";

  /** Packages every Lambda Python runtime ships (the AWS SDK for Python and what it needs). */
  static final Set<String> RUNTIME_PROVIDED =
      Set.of("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3");

  private final Cache cache;
  private final LayerBuildListener listener;
  private final int threads;

  /**
   * @param cache the shared cache (wheels, artifacts, selectors)
   * @param listener receives progress; may be {@link LayerBuildListener#NONE}
   */
  public PythonLayerBuilder(Cache cache, LayerBuildListener listener) {
    this(cache, listener, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  PythonLayerBuilder(Cache cache, LayerBuildListener listener, int threads) {
    this.cache = cache;
    this.listener = listener;
    this.threads = threads;
  }

  /**
   * Builds (or copies from the cache) the layers for {@code request}.
   *
   * @throws AccretionException when the listing cannot be read or resolved, a wheel cannot be
   *     fetched or is refused ({@link InvalidWheelException}), two packages collide, the layer is
   *     too large ({@link LayerTooLargeException}), or the output cannot be written
   */
  public LayerBuildResult build(LayerBuildRequest request) throws AccretionException {
    List<Target> targets = new ArrayList<>(new LinkedHashSet<>(request.targets()));
    targets.sort(LayerNames.targetOrder());
    Map<Target, PythonTarget> python = new LinkedHashMap<>();
    for (Target t : targets) {
      python.put(t, PythonTarget.of(t));
    }
    // The cache is asked before the listing's indexes are even set up: an unchanged rebuild
    // costs reading the listing and pip's configuration, and verifying the cached files.
    Optional<SelectorInputs.Inputs> inputs = SelectorInputs.compute(request, targets);
    if (inputs.isPresent()) {
      SelectorKey key = inputs.get().key();
      if (!request.refresh()) {
        Optional<LayerBuildResult> cached = fromCache(key, request, inputs.get().name());
        if (cached.isPresent()) {
          return cached.get();
        }
      } else {
        listener.onEvent(new LayerBuildEvent.CacheMiss(key.sha256(), "--refresh asked for"));
      }
    }
    try (Locker locker = Locker.open(request.listing(), request.locker())) {
      String name =
          request.name() != null
              ? request.name()
              : LayerNames.defaultName(locker.listing(), locker.format());
      SelectorKey key =
          SelectorInputs.key(
              request,
              locker.listing(),
              locker.format(),
              locker.listingBytes(),
              PipConfiguration.load(request.locker().env(), request.locker().home()),
              targets,
              name);
      return new Build(request, locker, python, name, key).run();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Cache hit

  private Optional<LayerBuildResult> fromCache(
      SelectorKey key, LayerBuildRequest request, String name) throws AccretionException {
    Optional<ArtifactRecord> found = cache.selectors().get(key);
    if (found.isEmpty()) {
      listener.onEvent(
          new LayerBuildEvent.CacheMiss(key.sha256(), "no cached build has these inputs"));
      return Optional.empty();
    }
    ArtifactRecord record = found.get();
    Path out = createOutput(request.outputDir());
    Map<String, Path> copied = new LinkedHashMap<>();
    for (ArtifactFile file : record.files()) {
      if (!safeFileName(file.name())) {
        listener.onEvent(
            new LayerBuildEvent.CacheMiss(key.sha256(), "the cached entry names a bad file"));
        return Optional.empty();
      }
      Optional<Path> blob = cache.blobs().get(file.sha256());
      if (blob.isEmpty()) {
        listener.onEvent(
            new LayerBuildEvent.CacheMiss(
                key.sha256(), "a file of the cached build is gone; building again"));
        return Optional.empty();
      }
      Path target = out.resolve(file.name());
      copyAtomically(blob.get(), target);
      copied.put(file.name(), target);
    }
    List<BuiltArtifact> artifacts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, Path> e : copied.entrySet()) {
      String fileName = e.getKey();
      if (fileName.endsWith(".json") && !fileName.endsWith(".cdx.json")) {
        try {
          BuiltArtifact artifact = ManifestReader.read(e.getValue(), out);
          artifacts.add(artifact);
          for (String w : artifact.warnings()) {
            if (!warnings.contains(w)) {
              warnings.add(w);
            }
          }
        } catch (IOException | AccretionException | RuntimeException ex) {
          listener.onEvent(
              new LayerBuildEvent.CacheMiss(
                  key.sha256(),
                  "the cached manifest " + fileName + " is unreadable; building again"));
          return Optional.empty();
        }
      }
    }
    listener.onEvent(
        new LayerBuildEvent.CacheHit(key.sha256(), record.created(), List.copyOf(copied.keySet())));
    return Optional.of(new LayerBuildResult(name, artifacts, true, key.sha256(), warnings));
  }

  private static boolean safeFileName(String name) {
    return !name.isEmpty()
        && !name.contains("/")
        && !name.contains("\\")
        && !name.equals(".")
        && !name.equals("..")
        && name.chars().noneMatch(c -> c < 0x20);
  }

  // ---------------------------------------------------------------------------------------------
  // A build

  /** A fetched wheel. */
  private record Fetched(IndexFile file, Path blob, String sha256, long size) {}

  /** A package's installed files for one target, and who else installs the same paths. */
  private record TargetLayout(
      Target target,
      PythonTarget python,
      Resolution resolution,
      List<InstalledPackage> packages,
      List<LayerFile> files,
      Map<String, String> sources,
      List<String> notes,
      List<String> warnings,
      String fingerprint) {}

  private final class Build {
    private final LayerBuildRequest request;
    private final Locker locker;
    private final Map<Target, PythonTarget> targets;
    private final String name;
    private final SelectorKey key;
    private final List<String> buildWarnings = new ArrayList<>();
    private final Map<Target, Resolution> resolutions = new LinkedHashMap<>();
    private final Map<String, Fetched> fetched = Collections.synchronizedMap(new HashMap<>());
    private final List<ZipArchive> open = Collections.synchronizedList(new ArrayList<>());

    Build(
        LayerBuildRequest request,
        Locker locker,
        Map<Target, PythonTarget> targets,
        String name,
        SelectorKey key) {
      this.request = request;
      this.locker = locker;
      this.targets = targets;
      this.name = name;
      this.key = key;
    }

    LayerBuildResult run() throws AccretionException {
      try {
        return build();
      } finally {
        for (ZipArchive archive : open) {
          try {
            archive.close();
          } catch (RuntimeException e) {
            // read-only; nothing is lost
          }
        }
      }
    }

    private void warn(String message) {
      if (!buildWarnings.contains(message)) {
        buildWarnings.add(message);
      }
      listener.onEvent(new LayerBuildEvent.Warning(message));
    }

    private LayerBuildResult build() throws AccretionException {
      for (String note : locker.notes()) {
        warn(note);
      }
      for (Map.Entry<Target, PythonTarget> e : targets.entrySet()) {
        long start = System.nanoTime();
        listener.onEvent(new LayerBuildEvent.Resolving(e.getKey()));
        Resolution resolution = locker.resolve(e.getValue());
        resolutions.put(e.getKey(), resolution);
        listener.onEvent(
            new LayerBuildEvent.Resolved(
                e.getKey(), resolution.packages().size(), (System.nanoTime() - start) / 1_000_000));
        for (String w : resolution.warnings()) {
          warn(w);
        }
      }
      Set<String> excludes = new TreeSet<>();
      for (String x : request.excludes()) {
        excludes.add(PackageName.normalize(x.strip()));
      }
      for (String x : excludes) {
        boolean found =
            resolutions.values().stream()
                .anyMatch(
                    r -> r.packages().stream().anyMatch(p -> p.name().normalized().equals(x)));
        if (!found) {
          warn("--exclude " + x + ": no target's resolution has it; nothing was excluded");
        }
      }
      // Every distinct wheel once, in a stable order.
      Map<String, IndexFile> wheels = new TreeMap<>();
      Map<Target, List<ResolvedPackage>> kept = new LinkedHashMap<>();
      for (Map.Entry<Target, Resolution> e : resolutions.entrySet()) {
        List<ResolvedPackage> packages = new ArrayList<>();
        for (ResolvedPackage p : e.getValue().packages()) {
          if (excludes.contains(p.name().normalized())) {
            continue;
          }
          packages.add(p);
          IndexFile f = p.distribution().file();
          wheels.putIfAbsent(f.url().toString(), f);
        }
        packages.sort(Comparator.comparing(p -> p.name().normalized()));
        kept.put(e.getKey(), packages);
      }
      ZipLimits limits =
          ZipLimits.lambda()
              .withBudget(new ByteBudget(ZipLimits.LAMBDA_UNZIPPED_BYTES * targets.size()));
      WheelInstaller.Options options =
          new WheelInstaller.Options(
              request.layout(), request.scripts(), request.slimming().matcher());
      Map<String, InspectedWheel> inspected =
          fetchAndInspect(new ArrayList<>(wheels.values()), limits, options, kept);
      List<TargetLayout> layouts = new ArrayList<>();
      for (Map.Entry<Target, List<ResolvedPackage>> e : kept.entrySet()) {
        layouts.add(layout(e.getKey(), e.getValue(), inspected, options, excludes));
      }
      // Group targets with identical content, keeping target order.
      Map<String, List<TargetLayout>> groups = new LinkedHashMap<>();
      for (TargetLayout l : layouts) {
        groups.computeIfAbsent(l.fingerprint(), k -> new ArrayList<>()).add(l);
      }
      Path out = createOutput(request.outputDir());
      List<BuiltArtifact> artifacts = new ArrayList<>();
      Map<Path, String> written = new LinkedHashMap<>();
      for (List<TargetLayout> group : groups.values()) {
        artifacts.add(writeArtifact(group, out, written));
      }
      record(written);
      List<String> warnings = new ArrayList<>(buildWarnings);
      for (BuiltArtifact a : artifacts) {
        for (String w : a.warnings()) {
          if (!warnings.contains(w)) {
            warnings.add(w);
          }
        }
      }
      return new LayerBuildResult(name, artifacts, false, key.sha256(), warnings);
    }

    // --- fetching -------------------------------------------------------------------------------

    /**
     * Fetches every wheel into the cache and verifies it, as a pipeline: each wheel is opened as
     * soon as it is fetched (on virtual threads, a few at a time) and inspected on a pool of
     * platform threads (the archive reader keeps per-thread buffers), largest first so the pool
     * ends together. The declared-size budget check runs once every wheel is open; if it fails,
     * inspections not yet started are skipped and the budget error is reported, whatever else
     * failed. Otherwise the first failure in wheel order is reported, so the same inputs always
     * give the same error.
     */
    private Map<String, InspectedWheel> fetchAndInspect(
        List<IndexFile> wheels,
        ZipLimits limits,
        WheelInstaller.Options options,
        Map<Target, List<ResolvedPackage>> kept)
        throws AccretionException {
      List<IndexFile> files = new ArrayList<>(wheels);
      Map<IndexFile, Long> sizes = new HashMap<>();
      long known = 0;
      for (IndexFile f : files) {
        long size = f.size().orElse(localSize(f));
        sizes.put(f, size);
        known += Math.max(0, f.size().orElse(0));
      }
      files.sort(
          Comparator.comparing((IndexFile f) -> -sizes.get(f)).thenComparing(IndexFile::filename));
      listener.onEvent(new LayerBuildEvent.FetchPlanned(files.size(), known));
      Semaphore permits = new Semaphore(FETCH_CONCURRENCY);
      AtomicBoolean aborted = new AtomicBoolean();
      AtomicInteger done = new AtomicInteger();
      int n = Math.max(1, Math.min(threads, files.size()));
      ExecutorService inspectors =
          Executors.newFixedThreadPool(n, Thread.ofPlatform().daemon().factory());
      ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
      List<CompletableFuture<ZipArchive>> opened = new ArrayList<>();
      List<CompletableFuture<InspectedWheel>> inspections = new ArrayList<>();
      try {
        for (IndexFile f : files) {
          CompletableFuture<ZipArchive> archive =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      permits.acquire();
                      try {
                        Fetched got = fetch(f);
                        fetched.put(f.url().toString(), got);
                      } finally {
                        permits.release();
                      }
                      ZipArchive a =
                          ZipArchive.open(fetched.get(f.url().toString()).blob(), limits);
                      open.add(a);
                      return a;
                    } catch (ArchiveException e) {
                      aborted.set(true);
                      throw new CompletionException(wrap(f.filename(), e));
                    } catch (AccretionException e) {
                      aborted.set(true);
                      throw new CompletionException(e);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      throw new CompletionException(new AccretionException("interrupted", e));
                    }
                  },
                  fetchers);
          opened.add(archive);
          inspections.add(
              archive.thenApplyAsync(
                  a -> {
                    if (aborted.get()) {
                      throw new CancellationException("build aborted");
                    }
                    try {
                      InspectedWheel wheel =
                          WheelInspector.inspect(
                              a,
                              dev.accretion.python.tags.WheelFilename.parse(f.filename()),
                              request.allowBadRecord());
                      listener.onEvent(
                          new LayerBuildEvent.Inspected(
                              f.filename(), done.incrementAndGet(), files.size()));
                      return wheel;
                    } catch (AccretionException e) {
                      aborted.set(true);
                      throw new CompletionException(e);
                    }
                  },
                  inspectors));
        }
        List<ZipArchive> archives = settle(opened);
        AccretionException openFailure = firstFailure(opened);
        if (openFailure != null) {
          settle(inspections);
          throw openFailure;
        }
        Map<String, ZipArchive> byUrl = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
          byUrl.put(files.get(i).url().toString(), archives.get(i));
        }
        for (Map.Entry<Target, List<ResolvedPackage>> e : kept.entrySet()) {
          try {
            checkDeclaredSize(e.getKey(), e.getValue(), byUrl, options);
          } catch (LayerTooLargeException tooLarge) {
            aborted.set(true);
            settle(inspections);
            throw tooLarge;
          }
        }
        List<InspectedWheel> results = settle(inspections);
        AccretionException inspectFailure = firstFailure(inspections);
        if (inspectFailure != null) {
          throw inspectFailure;
        }
        Map<String, InspectedWheel> inspected = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
          inspected.put(files.get(i).url().toString(), results.get(i));
        }
        return inspected;
      } finally {
        inspectors.shutdownNow();
        fetchers.shutdownNow();
      }
    }

    private long localSize(IndexFile f) {
      if ("file".equalsIgnoreCase(f.url().getScheme())) {
        try {
          return Files.size(Path.of(f.url()));
        } catch (IOException | RuntimeException e) {
          return -1;
        }
      }
      return -1;
    }

    private Fetched fetch(IndexFile file) throws AccretionException {
      String filename = file.filename();
      long size = file.size().orElse(-1);
      Optional<String> expected = file.sha256();
      try {
        if (expected.isPresent()) {
          String sha = expected.get().toLowerCase(Locale.ROOT);
          Optional<Path> hit = cache.blobs().get(sha);
          Path blob;
          boolean fromCache = hit.isPresent();
          if (fromCache) {
            blob = hit.get();
          } else {
            listener.onEvent(new LayerBuildEvent.FetchStarted(filename, size));
            blob =
                cache
                    .blobs()
                    .fetch(
                        sha,
                        out ->
                            locker
                                .client()
                                .download(
                                    file,
                                    out,
                                    n ->
                                        listener.onEvent(
                                            new LayerBuildEvent.FetchProgress(filename, n, size))));
          }
          long bytes = fileSize(blob);
          listener.onEvent(new LayerBuildEvent.FetchFinished(filename, bytes, fromCache));
          return new Fetched(file, blob, sha, bytes);
        }
        // No hash from the index (a find-links folder, a direct reference): trust the bytes as
        // they come and record their hash in the lock and the manifest.
        listener.onEvent(new LayerBuildEvent.FetchStarted(filename, size));
        Path blob;
        if ("file".equalsIgnoreCase(file.url().getScheme())) {
          blob = cache.blobs().put(Path.of(file.url()), Optional.empty());
        } else {
          Path temp = cache.location().tmpDirectory().resolve(tempName());
          try {
            try (OutputStream out = Files.newOutputStream(temp)) {
              locker
                  .client()
                  .download(
                      file,
                      out,
                      n -> listener.onEvent(new LayerBuildEvent.FetchProgress(filename, n, size)));
            }
            blob = cache.blobs().put(temp, Optional.empty());
          } finally {
            Files.deleteIfExists(temp);
          }
          warn(
              filename
                  + " has no sha256 in "
                  + file.index()
                  + ", so its download could not be verified; its hash is recorded in the lock");
        }
        String sha = blob.getFileName().toString();
        long bytes = fileSize(blob);
        listener.onEvent(new LayerBuildEvent.FetchFinished(filename, bytes, false));
        return new Fetched(file, blob, sha, bytes);
      } catch (DigestMismatchException e) {
        throw new AccretionException(
            "wheel "
                + filename
                + " from "
                + file.url()
                + " has sha256 "
                + e.actualSha256()
                + ", but "
                + (locker.format().isLock() ? "the lock" : "the index " + file.index())
                + " says "
                + e.expectedSha256()
                + "; nothing was installed. The file was changed or damaged on the way: check"
                + " the index, or update the lock if the change is intended",
            e);
      } catch (IOException e) {
        throw new AccretionException(
            "could not fetch " + filename + " into the cache: " + e.getMessage(), e);
      }
    }

    private String tempName() {
      return ProcessHandle.current().pid()
          + "-"
          + Long.toUnsignedString(new java.util.Random().nextLong(), 36)
          + ".part";
    }

    // --- opening and checking -------------------------------------------------------------------

    private InvalidWheelException wrap(String filename, ArchiveException e) {
      String problem = e.problem();
      String message = e.getMessage();
      int at = message.indexOf(problem);
      String advice =
          at >= 0 && message.length() > at + problem.length() + 2
              ? message.substring(at + problem.length() + 2)
              : "";
      return new InvalidWheelException(filename, e.entry(), problem, advice, e);
    }

    /** The budget check on what the zip headers declare, before anything is inflated. */
    private void checkDeclaredSize(
        Target target,
        List<ResolvedPackage> packages,
        Map<String, ZipArchive> archives,
        WheelInstaller.Options options)
        throws LayerTooLargeException {
      Map<String, Long> sizes = new LinkedHashMap<>();
      long total = 0;
      String site = options.layout().sitePath(targets.get(target));
      for (ResolvedPackage p : packages) {
        ZipArchive archive = archives.get(p.distribution().file().url().toString());
        long bytes = 0;
        for (ZipEntryInfo e : archive.entries()) {
          if (e.isDirectory()
              || WheelInstaller.inPycache(e.path())
              || !declaredInstalled(e.path(), options)) {
            continue;
          }
          bytes = saturatedAdd(bytes, e.uncompressedSize());
        }
        sizes.put(label(p), bytes);
        total = saturatedAdd(total, bytes);
      }
      if (total > request.budgetBytes()) {
        throw tooLarge(target, total, sizes, "declares", site);
      }
    }

    private boolean declaredInstalled(String path, WheelInstaller.Options options) {
      String first = firstSegment(path);
      if (first.endsWith(".data") && !first.endsWith(".dist-info")) {
        String rest = path.length() > first.length() ? path.substring(first.length() + 1) : "";
        String scheme = firstSegment(rest);
        if (scheme.equals("headers") || scheme.equals("data")) {
          return false;
        }
        if (scheme.equals("scripts")) {
          return options.scripts();
        }
        String inner = rest.length() > scheme.length() ? rest.substring(scheme.length() + 1) : "";
        return !options.slim().drops(inner);
      }
      return !options.slim().drops(path);
    }

    // --- laying out -----------------------------------------------------------------------------

    private TargetLayout layout(
        Target target,
        List<ResolvedPackage> packages,
        Map<String, InspectedWheel> inspected,
        WheelInstaller.Options options,
        Set<String> excludes)
        throws AccretionException {
      PythonTarget python = targets.get(target);
      List<InstalledPackage> installed = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      int slimmed = 0;
      long slimmedBytes = 0;
      for (ResolvedPackage p : packages) {
        InspectedWheel wheel = inspected.get(p.distribution().file().url().toString());
        InstalledPackage pkg = WheelInstaller.install(wheel, python, options);
        installed.add(pkg);
        notes.addAll(pkg.notes());
        warnings.addAll(wheel.recordWarnings());
        slimmed += pkg.slimmedFiles();
        slimmedBytes += pkg.slimmedBytes();
      }
      if (slimmed > 0) {
        notes.add(
            "slimmed: left out "
                + slimmed
                + " file(s), "
                + slimmedBytes
                + " bytes ("
                + describeSlimming(request.slimming())
                + ")");
      }
      for (ResolvedPackage p : resolutions.get(target).packages()) {
        String n = p.name().normalized();
        if (!excludes.contains(n)) {
          continue;
        }
        String why =
            RUNTIME_PROVIDED.contains(n)
                ? "the Lambda Python runtime provides its own "
                    + n
                    + ", which code in this layer"
                    + " then uses (whatever version the runtime ships)"
                : "nothing in the Lambda runtime provides it: imports of it fail unless the"
                    + " function or another layer ships it";
        String text = "excluded " + n + " " + p.version() + " (--exclude): " + why;
        notes.add(text);
        warnings.add(text);
      }
      // One owner per path: different content at one path fails, identical content is merged.
      Map<String, LayerFile> byPath = new TreeMap<>();
      Map<String, String> sources = new HashMap<>();
      Map<String, List<String>> merged = new TreeMap<>();
      List<String> conflicts = new ArrayList<>();
      for (InstalledPackage pkg : installed) {
        String source = pkg.wheel().name().normalized();
        for (LayerFile f : pkg.files()) {
          LayerFile earlier = byPath.putIfAbsent(f.path(), f);
          if (earlier == null) {
            sources.put(f.path(), source);
            continue;
          }
          String other = sources.get(f.path());
          if (earlier.sha256().equals(f.sha256()) && earlier.executable() == f.executable()) {
            merged.computeIfAbsent(f.path(), k -> new ArrayList<>(List.of(other))).add(source);
          } else {
            conflicts.add(
                "'"
                    + f.path()
                    + "' comes from both "
                    + other
                    + " (sha256 "
                    + earlier.sha256()
                    + ") and "
                    + source
                    + " (sha256 "
                    + f.sha256()
                    + ")");
          }
        }
      }
      if (!conflicts.isEmpty()) {
        int shown = Math.min(10, conflicts.size());
        throw new AccretionException(
            "packages collide in the layer for "
                + target
                + ": "
                + String.join("; ", conflicts.subList(0, shown))
                + (conflicts.size() > shown ? "; and " + (conflicts.size() - shown) + " more" : "")
                + ". One path can hold only one file: leave one of the packages out (--exclude),"
                + " or put them in separate layers");
      }
      for (Map.Entry<String, List<String>> m : merged.entrySet()) {
        notes.add(
            "merged duplicate: "
                + m.getKey()
                + " is installed by "
                + String.join(" and ", m.getValue())
                + " with identical content; written once");
      }
      List<LayerFile> files = new ArrayList<>(byPath.values());
      MessageDigest digest = sha256();
      for (LayerFile f : files) {
        digest.update(
            (f.path() + "\0" + f.executable() + "\0" + f.sha256() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      for (InstalledPackage pkg : installed) {
        Fetched f = fetchedFor(pkg);
        digest.update(
            ("package\0"
                    + pkg.wheel().name().normalized()
                    + "\0"
                    + pkg.wheel().version()
                    + "\0"
                    + f.sha256()
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      for (String s : notes) {
        digest.update(("note\0" + s + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (String s : warnings) {
        digest.update(("warning\0" + s + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String fingerprint = HexFormat.of().formatHex(digest.digest());
      return new TargetLayout(
          target,
          python,
          resolutions.get(target),
          installed,
          files,
          sources,
          notes,
          warnings,
          fingerprint);
    }

    private Fetched fetchedFor(InstalledPackage pkg) {
      for (Fetched f : fetched.values()) {
        if (f.file().filename().equals(pkg.wheel().filename().filename())
            && pkg.wheel().archive().file().equals(f.blob())) {
          return f;
        }
      }
      throw new IllegalStateException("no fetched file for " + pkg.wheel().describe());
    }

    // --- writing --------------------------------------------------------------------------------

    private BuiltArtifact writeArtifact(
        List<TargetLayout> group, Path out, Map<Path, String> written) throws AccretionException {
      TargetLayout first = group.get(0);
      List<Target> groupTargets = group.stream().map(TargetLayout::target).toList();
      String base = LayerNames.artifactBase(name, groupTargets);
      listener.onEvent(new LayerBuildEvent.Assembling(base + ".zip", groupTargets));
      List<String> runtimes = new ArrayList<>();
      List<String> architectures = new ArrayList<>();
      for (Target t : groupTargets) {
        if (!runtimes.contains(t.runtime().id())) {
          runtimes.add(t.runtime().id());
        }
        if (!architectures.contains(t.architecture().lambdaName())) {
          architectures.add(t.architecture().lambdaName());
        }
      }
      architectures.sort(Comparator.comparing(a -> a.equals("x86_64") ? 0 : 1));
      List<ManifestPackage> packages = new ArrayList<>();
      Map<String, long[]> sizes = new HashMap<>();
      for (LayerFile f : first.files()) {
        long[] s = sizes.computeIfAbsent(first.sources().get(f.path()), k -> new long[2]);
        s[0] += f.size();
        s[1]++;
      }
      for (InstalledPackage pkg : first.packages()) {
        InspectedWheel w = pkg.wheel();
        Fetched fetchedFile = fetchedFor(pkg);
        ResolvedPackage resolved = resolvedFor(first.resolution(), w.name());
        long[] s = sizes.getOrDefault(w.name().normalized(), new long[2]);
        String license = ManifestPackage.license(w.metadata());
        packages.add(
            new ManifestPackage(
                w.name().normalized(),
                w.version().toString(),
                w.filename().filename(),
                fetchedFile.file().url().toString(),
                fetchedFile.sha256(),
                w.filename().tags().stream().map(Tag::toString).toList(),
                license,
                w.metadata().licenseExpression() != null
                    && !w.metadata().licenseExpression().isBlank(),
                w.metadata().requiresPython() == null
                    ? null
                    : w.metadata().requiresPython().strip(),
                s[0],
                (int) s[1],
                resolved == null ? List.of() : resolved.dependencies()));
      }
      long unzipped = first.files().stream().mapToLong(LayerFile::size).sum();
      Map<String, Object> insideMap =
          LayerDocuments.inside(
              name,
              request.layout().cliName(),
              runtimes,
              architectures,
              packages,
              unzipped,
              first.files().size(),
              first.notes(),
              first.warnings());
      byte[] inside = LayerDocuments.json(insideMap);
      String manifestPath = LayerNames.manifestPath(name);
      long total = unzipped + inside.length;
      if (total > request.budgetBytes()) {
        Map<String, Long> bySize = new LinkedHashMap<>();
        for (ManifestPackage p : packages) {
          bySize.put(p.name() + " " + p.version(), p.unzippedBytes());
        }
        throw tooLarge(first.target(), total, bySize, "comes to", null);
      }
      ReproducibleZipWriter writer = new ReproducibleZipWriter();
      for (InstalledPackage pkg : first.packages()) {
        for (LayerFile f : pkg.files()) {
          f.addTo(writer, pkg.wheel().name().normalized());
        }
      }
      writer.addBytes(manifestPath, inside, false, "accretion");
      Path zipPath = out.resolve(base + ".zip");
      ZipResult zip;
      try {
        zip = writer.write(zipPath);
      } catch (ArchiveException e) {
        throw new AccretionException("could not write layer " + zipPath + ": " + e.getMessage(), e);
      }
      written.put(zipPath, zip.sha256Hex());
      // Locks, one per target.
      List<Path> locks = new ArrayList<>();
      List<String> lockNames = new ArrayList<>();
      PylockWriter.FileFacts facts = new FetchedFacts();
      for (TargetLayout l : group) {
        String lockName = LayerNames.lockFile(name, l.target());
        Path lock = out.resolve(lockName);
        writeAtomically(
            lock, PylockWriter.write(l.resolution(), facts).getBytes(StandardCharsets.UTF_8));
        locks.add(lock);
        lockNames.add(lockName);
        written.put(lock, null);
      }
      Path sbom = out.resolve(base + ".cdx.json");
      writeAtomically(
          sbom,
          LayerDocuments.json(
              LayerDocuments.sbom(name, base, zip.sha256Hex(), runtimes, architectures, packages)));
      written.put(sbom, null);
      String listingText = new String(locker.listingBytes(), StandardCharsets.UTF_8);
      Map<String, Object> beside =
          LayerDocuments.beside(
              insideMap,
              packages,
              new LayerDocuments.Beside(
                  base + ".zip",
                  zip.sha256Hex(),
                  zip.codeSha256Base64(),
                  zip.contentDigest(),
                  zip.zippedBytes(),
                  zip.unzippedBytes(),
                  zip.entryCount(),
                  manifestPath,
                  request.reserveBytes(),
                  request.budgetBytes(),
                  locker.listing(),
                  locker.format().cliName(),
                  listingText,
                  base + ".cdx.json",
                  lockNames,
                  SelectorInputs.options(request),
                  buildWarnings));
      Path manifest = out.resolve(base + ".json");
      byte[] besideBytes = LayerDocuments.json(beside);
      writeAtomically(manifest, besideBytes);
      written.put(manifest, null);
      BuiltArtifact artifact = BuiltArtifact.read(zipPath, manifest, besideBytes);
      listener.onEvent(new LayerBuildEvent.Written(artifact));
      return artifact;
    }

    private ResolvedPackage resolvedFor(Resolution resolution, PackageName name) {
      for (ResolvedPackage p : resolution.packages()) {
        if (p.name().equals(name)) {
          return p;
        }
      }
      return null;
    }

    /** The file facts the lock needs, from what was fetched (no second read). */
    private final class FetchedFacts implements PylockWriter.FileFacts {
      @Override
      public String sha256(IndexFile file) throws AccretionException {
        return facts(file).sha256();
      }

      @Override
      public long size(IndexFile file) throws AccretionException {
        Fetched f = fetched.get(file.url().toString());
        if (f == null && localSize(file) >= 0) {
          return localSize(file); // an excluded package from a local index: no need to copy it
        }
        return facts(file).size();
      }

      private Fetched facts(IndexFile file) throws AccretionException {
        Fetched f = fetched.get(file.url().toString());
        if (f != null) {
          return f;
        }
        // An excluded package is in the lock but was never fetched.
        return fetch(file);
      }
    }

    /** Stores the outputs in the cache and records the selector; a failure is only a warning. */
    private void record(Map<Path, String> written) {
      try {
        List<ArtifactFile> files = new ArrayList<>();
        String artifactSha = null;
        String manifestSha = null;
        for (Map.Entry<Path, String> w : written.entrySet()) {
          Path p = w.getKey();
          String sha = w.getValue() != null ? w.getValue() : sha256Hex(p);
          cache.blobs().put(p, Optional.of(sha));
          files.add(new ArtifactFile(p.getFileName().toString(), sha, Files.size(p)));
          String fileName = p.getFileName().toString();
          if (artifactSha == null && fileName.endsWith(".zip")) {
            artifactSha = sha;
          }
          if (manifestSha == null
              && fileName.endsWith(".json")
              && !fileName.endsWith(".cdx.json")) {
            manifestSha = sha;
          }
        }
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("layer", name);
        attributes.put("builder", BuilderVersion.get());
        attributes.put(
            "targets", String.join(" ", targets.keySet().stream().map(Target::toString).toList()));
        cache
            .selectors()
            .put(
                key, ArtifactRecord.of(artifactSha, manifestSha, files, attributes, Instant.now()));
      } catch (CacheException | IOException e) {
        warn("the build could not be recorded in the cache (" + e.getMessage() + ")");
      }
    }

    private LayerTooLargeException tooLarge(
        Target target, long total, Map<String, Long> sizes, String verb, String site) {
      List<Map.Entry<String, Long>> largest = new ArrayList<>(sizes.entrySet());
      largest.sort(
          Map.Entry.<String, Long>comparingByValue()
              .reversed()
              .thenComparing(Map.Entry.comparingByKey()));
      List<String> names = new ArrayList<>();
      StringBuilder top = new StringBuilder();
      for (int i = 0; i < Math.min(8, largest.size()); i++) {
        Map.Entry<String, Long> e = largest.get(i);
        names.add(e.getKey().split(" ")[0]);
        if (i > 0) {
          top.append(", ");
        }
        top.append(e.getKey()).append(" ").append(Sizes.human(e.getValue()));
      }
      List<String> present = new ArrayList<>();
      for (Resolution r : resolutions.values()) {
        for (ResolvedPackage p : r.packages()) {
          String n = p.name().normalized();
          if (RUNTIME_PROVIDED.contains(n)
              && (n.equals("boto3") || n.equals("botocore"))
              && !present.contains(n)) {
            present.add(n);
          }
        }
      }
      Collections.sort(present);
      StringBuilder ways = new StringBuilder();
      if (!present.isEmpty()) {
        ways.append("leave out what the Lambda Python runtime already provides (");
        for (String p : present) {
          ways.append("--exclude ").append(p).append(' ');
        }
        ways.setLength(ways.length() - 1);
        ways.append("; the runtime's own version is then used, whatever it is); ");
      } else {
        ways.append(
            "leave out packages the function does not need (--exclude NAME; an excluded"
                + " package the runtime provides, such as boto3, is then used in the runtime's"
                + " version); ");
      }
      ways.append(
          "--slim drops __pycache__ and *.pyc, and --slim-pattern GLOB drops more (for example"
              + " --slim-pattern '*/tests'; .dist-info is always kept); ");
      ways.append(EFS_HINT);
      String budget =
          Sizes.human(request.budgetBytes())
              + " ("
              + ZipLimits.LAMBDA_UNZIPPED_BYTES
              + " bytes, Lambda's unzipped limit for a function and its layers"
              + (request.reserveBytes() > 0
                  ? ", minus --reserve " + Sizes.human(request.reserveBytes())
                  : "")
              + ")";
      String message =
          "layer "
              + name
              + " for "
              + target
              + " "
              + verb
              + " "
              + Sizes.human(total)
              + " unzipped, over the budget of "
              + budget
              + " by "
              + Sizes.human(total - request.budgetBytes())
              + ". Largest packages: "
              + top
              + ". Ways out: "
              + ways;
      return new LayerTooLargeException(message, total, request.budgetBytes(), names);
    }
  }

  private static String label(ResolvedPackage p) {
    return p.name().normalized() + " " + p.version();
  }

  private static String describeSlimming(Slimming s) {
    List<String> parts = new ArrayList<>();
    if (s.slim()) {
      parts.add("--slim: __pycache__, *.pyc, *.pyo");
    }
    for (String p : s.patterns()) {
      parts.add("--slim-pattern " + p);
    }
    return String.join(", ", parts);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Waits for every future; the results in order, null where one failed. */
  private static <T> List<T> settle(List<CompletableFuture<T>> futures) {
    List<T> results = new ArrayList<>(futures.size());
    for (CompletableFuture<T> f : futures) {
      try {
        results.add(f.join());
      } catch (CompletionException | CancellationException e) {
        results.add(null);
      }
    }
    return results;
  }

  /**
   * The first failure in list order among settled futures (cancellations, which only follow another
   * failure, are skipped); rethrows unexpected runtime failures and errors.
   */
  private static <T> AccretionException firstFailure(List<CompletableFuture<T>> futures) {
    for (CompletableFuture<T> f : futures) {
      if (!f.isCompletedExceptionally()) {
        continue;
      }
      try {
        f.join();
      } catch (CancellationException e) {
        continue;
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof CancellationException) {
          continue;
        }
        if (cause instanceof AccretionException ae) {
          return ae;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        return new AccretionException(String.valueOf(cause), cause);
      }
    }
    return null;
  }

  private static String firstSegment(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long fileSize(Path p) throws AccretionException {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new AccretionException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(Path file) throws IOException {
    return FileDigests.sha256Hex(file);
  }

  private static Path createOutput(Path dir) throws AccretionException {
    try {
      return Files.createDirectories(dir.toAbsolutePath().normalize());
    } catch (IOException e) {
      throw new AccretionException(
          "cannot create the output folder " + dir + ": " + e.getMessage(), e);
    }
  }

  static void writeAtomically(Path target, byte[] content) throws AccretionException {
    try {
      AtomicFiles.write(target, content);
    } catch (IOException e) {
      throw new AccretionException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static void copyAtomically(Path source, Path target) throws AccretionException {
    try {
      // a stream copy, not Files.copy: that would carry the blob's read-only mode over
      AtomicFiles.copy(source, target);
    } catch (IOException e) {
      throw new AccretionException(
          "cannot copy the cached "
              + target.getFileName()
              + " to "
              + target
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
