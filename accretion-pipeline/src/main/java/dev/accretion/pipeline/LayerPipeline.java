package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.FileDigests;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheEvent;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.ListingFormat;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Resolution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The language-neutral layer pipeline: the two units of work every language shares.
 *
 * <ul>
 *   <li>{@link #build}: a listing and targets → one reproducible zip per distinct content, with its
 *       manifest (inside and beside), CycloneDX SBOM and the lock of each target; an unchanged
 *       rebuild is copied from the selector cache.
 *   <li>{@link #lock}: a listing and targets → the builder's lock file per target.
 * </ul>
 *
 * The builder of a listing comes from a {@link BuilderRegistry}; progress and warnings go to the
 * request's {@link BuildContext#listener()} as {@link BuildEvent}s and {@link PipelineEvent}s; the
 * pipeline never prints. Nothing is written outside the output folder (or the lock's place) and the
 * shared cache. Thread-safe: builds may run concurrently (each has its own state), and any number
 * of processes may share the cache.
 */
public final class LayerPipeline {
  private final BuilderRegistry registry;
  private final int threads;
  private final OutputSet.Hook hook;

  /** A pipeline over the builders of {@code registry}. */
  public LayerPipeline(BuilderRegistry registry) {
    this(registry, Math.max(1, Runtime.getRuntime().availableProcessors()), OutputSet.Hook.NONE);
  }

  /** For tests: a thread count and a hook that injects output failures. */
  LayerPipeline(BuilderRegistry registry, int threads, OutputSet.Hook hook) {
    this.registry = registry;
    this.threads = threads;
    this.hook = hook;
  }

  /** The builders this pipeline uses. */
  public BuilderRegistry registry() {
    return registry;
  }

  /**
   * Builds (or copies from the cache) the layers of {@code request}.
   *
   * @throws AccretionException of the kind that says what failed: {@link FailureKind#USAGE} for a
   *     listing no builder reads or targets of another language, {@link FailureKind#BAD_INPUT} for
   *     a malformed or empty listing, {@link FailureKind#CONFLICT} when nothing resolves or two
   *     packages collide, {@link FailureKind#UNREACHABLE} for a source that cannot be read, {@link
   *     FailureKind#REFUSED} for a file that fails a digest, integrity or ELF check, {@link
   *     FailureKind#TOO_LARGE} ({@link LayerTooLargeException}) over the size budget, {@link
   *     FailureKind#FAILED} when the output cannot be written (then nothing of the build is left in
   *     the output folder)
   */
  public BuildResult build(BuildRequest request) throws AccretionException {
    BuildContext context = request.context();
    BuildListener listener = context.listener();
    List<Target> targets = new ArrayList<>(new LinkedHashSet<>(request.targets()));
    targets.sort(LayerNames.targetOrder());
    Path listing =
        context.workingDirectory().resolve(request.listing()).toAbsolutePath().normalize();
    Builder builder = registry.choose(request.builder(), listing, request.format(), targets);
    BuilderRegistry.checkTargets(builder, targets, listing);
    Path out = context.workingDirectory().resolve(request.outputDir()).toAbsolutePath().normalize();
    removeLeftovers(out, listener);
    Cache cache = openCache(context);
    try (BuildSession session =
        builder.open(new BuildInput(listing, request.format(), request.options(), context))) {
      checkNotEmpty(session, request.allowEmpty());
      String name = request.name() != null ? request.name() : session.defaultName();
      if (!LayerNames.isValid(name)) {
        throw new AccretionException(
            FailureKind.USAGE, LayerNames.invalidMessage(name), "give a name with --name", null);
      }
      Optional<String> text = session.selectorText();
      SelectorKey key =
          text.map(t -> SelectorCache.key(builder.id(), t, targets, name, request)).orElse(null);
      if (key != null) {
        if (!request.refresh()) {
          Optional<List<BuiltArtifact>> hit =
              new SelectorCache(cache, listener).copy(key, out, hook);
          if (hit.isPresent()) {
            List<String> warnings = new ArrayList<>();
            for (BuiltArtifact a : hit.get()) {
              for (String w : a.warnings()) {
                if (!warnings.contains(w)) {
                  warnings.add(w);
                }
              }
            }
            return new BuildResult(name, builder.id(), hit.get(), true, key.sha256(), warnings);
          }
        } else {
          listener.onEvent(new PipelineEvent.CacheMiss(key.sha256(), "--refresh asked for"));
        }
      }
      return new Build(request, builder, session, cache, targets, name, key, out, threads, hook)
          .run();
    }
  }

  /**
   * Resolves {@code request}'s listing for each target and writes the builder's lock file per
   * target. A target without a solution does not stop the others: its entry in the result carries
   * the failure. Lock files are named as the builder names them: for one target without {@code
   * output}, the format's own name beside the listing ({@code pylock.toml}), unless the listing is
   * itself in that format; for several, one per target ({@code pylock.python312-arm64.toml}) in
   * {@code output} or beside the listing; {@code output} may also name the file for one target.
   *
   * @throws AccretionException when the listing cannot be chosen, opened or is empty, or a lock
   *     cannot be written; a target's resolution failure is in the result instead
   */
  public LockResult lock(LockRequest request) throws AccretionException {
    BuildContext context = request.context();
    BuildListener listener = context.listener();
    Path listing =
        context.workingDirectory().resolve(request.listing()).toAbsolutePath().normalize();
    Builder builder =
        registry.choose(request.builder(), listing, request.format(), request.targets());
    BuilderRegistry.checkTargets(builder, request.targets(), listing);
    List<String> warnings = new ArrayList<>();
    try (BuildSession session =
        builder.open(new BuildInput(listing, request.format(), request.options(), context))) {
      checkNotEmpty(session, request.allowEmpty());
      for (String note : session.notes()) {
        warn(warnings, listener, note);
      }
      FileFacts facts = new LockFacts();
      List<LockResult.TargetLock> locks = new ArrayList<>();
      int count = request.targets().size();
      for (Target t : request.targets()) {
        long start = System.nanoTime();
        listener.onEvent(new BuildEvent.Resolving(t));
        Resolution resolution;
        try {
          resolution = session.resolve(t);
        } catch (AccretionException e) {
          locks.add(
              new LockResult.TargetLock(t, null, null, (System.nanoTime() - start) / 1_000_000, e));
          continue;
        }
        listener.onEvent(
            new BuildEvent.Resolved(
                t, resolution.packages().size(), (System.nanoTime() - start) / 1_000_000));
        for (String w : resolution.warnings()) {
          warn(warnings, listener, w);
        }
        Optional<LockFile> lock = session.lockFile(resolution, null, facts);
        Path file = null;
        if (lock.isPresent()) {
          file = lockPath(request, builder, session, lock.get(), count, context);
          try {
            AtomicFiles.write(file, lock.get().content());
          } catch (IOException e) {
            throw new AccretionException(
                FailureKind.FAILED, "cannot write " + file + ": " + e.getMessage(), e);
          }
        }
        locks.add(
            new LockResult.TargetLock(
                t, resolution, file, (System.nanoTime() - start) / 1_000_000, null));
      }
      return new LockResult(listing, builder.id(), locks, warnings);
    }
  }

  private static void warn(List<String> warnings, BuildListener listener, String message) {
    if (!warnings.contains(message)) {
      warnings.add(message);
    }
    listener.onEvent(new BuildEvent.Warning(message));
  }

  /** Where {@code accretion lock} writes a target's lock; see {@link #lock}. */
  private static Path lockPath(
      LockRequest request,
      Builder builder,
      BuildSession session,
      LockFile lock,
      int count,
      BuildContext context) {
    if (request.output() != null) {
      Path output = context.workingDirectory().resolve(request.output()).toAbsolutePath();
      if (count == 1 && !Files.isDirectory(output)) {
        return output;
      }
      return output.resolve(lock.fileName());
    }
    Path dir = session.listing().getParent();
    if (count == 1 && !session.format().id().equals(lock.format())) {
      for (ListingFormat f : builder.formats()) {
        if (f.id().equals(lock.format())) {
          for (String fileName : f.fileNames()) {
            if (fileName.chars().noneMatch(c -> "*?[{".indexOf(c) >= 0)) {
              return dir.resolve(fileName);
            }
          }
        }
      }
    }
    return dir.resolve(lock.fileName());
  }

  /**
   * File facts for a standalone lock: a lock must pin every file by a sha256, so a file the source
   * gives none for is hashed when it is local, and refused otherwise (nothing is downloaded to
   * lock).
   */
  private static final class LockFacts implements FileFacts {
    @Override
    public String sha256(PackageSource source) throws AccretionException {
      if (source.sha256().isPresent()) {
        return source.sha256().get().hex();
      }
      Path path = local(source);
      try {
        return FileDigests.sha256Hex(path);
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.NOT_FOUND, "cannot read " + path + " to hash it: " + e.getMessage(), e);
      }
    }

    @Override
    public long size(PackageSource source) throws AccretionException {
      if (source.size().isPresent()) {
        return source.size().getAsLong();
      }
      Path path = local(source);
      try {
        return Files.size(path);
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.NOT_FOUND, "cannot read " + path + ": " + e.getMessage(), e);
      }
    }

    private static Path local(PackageSource source) throws AccretionException {
      if (!"file".equalsIgnoreCase(source.url().getScheme())) {
        throw new AccretionException(
            FailureKind.REFUSED,
            source.origin()
                + " gives no sha256 for "
                + source.filename()
                + "; a lock must pin every file by hash",
            "use a source that publishes sha256 digests",
            null);
      }
      return Path.of(source.url());
    }
  }

  private static void checkNotEmpty(BuildSession session, boolean allowEmpty)
      throws AccretionException {
    if (allowEmpty) {
      return;
    }
    Optional<String> why = session.emptyReason();
    if (why.isPresent()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          session.listing() + " asks for nothing: " + why.get(),
          "add the dependencies to it, or pass --allow-empty to build an empty layer on purpose",
          null);
    }
  }

  /** Removes partial files that killed builds left in the output folder. */
  private static void removeLeftovers(Path out, BuildListener listener) throws AccretionException {
    if (!Files.isDirectory(out)) {
      return;
    }
    try {
      List<Path> removed = AtomicFiles.removeStale(out);
      if (!removed.isEmpty()) {
        listener.onEvent(new PipelineEvent.LeftoversRemoved(removed));
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot read the output folder " + out + ": " + e.getMessage(), e);
    }
  }

  private static Cache openCache(BuildContext context) throws AccretionException {
    BuildListener listener = context.listener();
    return Cache.open(
        CacheLocation.of(context.cacheRoot()),
        event -> {
          if (event instanceof CacheEvent.CorruptQuarantined c) {
            listener.onEvent(
                new BuildEvent.Warning(
                    "the cache entry sha256 "
                        + c.sha256()
                        + " was corrupt (its content hashes to "
                        + c.actualSha256()
                        + "): set aside in "
                        + c.quarantined()
                        + " and fetched again"));
          }
        });
  }
}
