package dev.accretion.app.lock;

import dev.accretion.app.Deprecations;
import dev.accretion.app.Environment;
import dev.accretion.app.Sizes;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.lock.FileFacts;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.lock.PylockWriter;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Use case {@code lock}: resolves a listing for each target (a lock file is used as it is) and
 * writes a PEP 751 {@code pylock.toml} per target. A target without a solution does not stop the
 * others; the result says which failed ({@link LockResult#failure()}).
 *
 * <p>Lock file names: one target and no {@code output} gives {@code pylock.toml} beside the listing
 * (or {@code pylock.<runtime>-<arch>.toml} when the listing itself is a {@code pylock.*} file);
 * several targets give {@code pylock.<runtime>-<arch>.toml} (dots dropped: {@code
 * pylock.python312-arm64.toml}) in {@code output} or beside the listing; {@code output} that is not
 * a folder is the file of a single target.
 *
 * <p>Thread-safe: every call works on its own.
 */
public final class LockListing {
  private final Environment environment;

  public LockListing(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException when the listing cannot be read or a target is unknown (usage or
   *     bad-input failures); a target that cannot be resolved is a failed entry of the result
   */
  public LockResult lock(LockRequest request, ProgressListener listener) throws AccretionException {
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    long start = System.nanoTime();
    List<Target> targets = request.targets().targets(RuntimeMatrix.load());
    Path listing = environment.resolve(request.listing());
    Locker.Options options =
        Sources.lockerOptions(
            environment,
            request.sources(),
            Sources.cache(environment, request.cacheDir()),
            request.format(),
            request.extras(),
            request.groups(),
            Sources.indexListener(progress, "resolving"));
    List<LockResult.TargetLock> locks = new ArrayList<>();
    try (Locker locker = Locker.open(listing, options)) {
      for (String note : locker.notes()) {
        progress.warning(note);
      }
      FileFacts facts = new FileFacts(locker.client());
      for (Target t : targets) {
        Deprecations.warnIfDeprecated(t, progress);
        long targetStart = System.nanoTime();
        PythonTarget target = PythonTarget.of(t);
        progress.activity("resolving " + t);
        Resolution resolution;
        try {
          resolution = locker.resolve(target);
        } catch (AccretionException e) {
          progress.idle();
          locks.add(
              new LockResult.TargetLock(
                  t.runtime().id(),
                  t.architecture().lambdaName(),
                  t.toString(),
                  target.describe(),
                  null,
                  List.of(),
                  List.of(),
                  0,
                  0,
                  millisSince(targetStart),
                  e));
          continue;
        }
        progress.idle();
        for (String warning : resolution.warnings()) {
          progress.warning(warning);
        }
        Path file = outputFile(request.output(), listing, t, targets.size());
        write(file, PylockWriter.write(resolution, facts));
        long millis = millisSince(targetStart);
        progress.stage(
            "Resolved "
                + resolution.packages().size()
                + (resolution.packages().size() == 1 ? " package for " : " packages for ")
                + t
                + " in "
                + Sizes.duration(millis)
                + " -> "
                + file.getFileName());
        locks.add(
            new LockResult.TargetLock(
                t.runtime().id(),
                t.architecture().lambdaName(),
                t.toString(),
                resolution.target().describe(),
                file,
                packages(resolution),
                resolution.warnings(),
                resolution.rounds(),
                resolution.backtracks(),
                millis,
                null));
      }
    }
    return new LockResult(listing, locks, millisSince(start));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static List<LockResult.LockedPackage> packages(Resolution resolution) {
    List<LockResult.LockedPackage> out = new ArrayList<>();
    for (ResolvedPackage p : resolution.packages()) {
      IndexFile f = p.distribution().file();
      out.add(
          new LockResult.LockedPackage(
              p.name().normalized(),
              p.version().toString(),
              f.filename(),
              f.url().toString(),
              f.sha256().orElse(null),
              p.requiredBy()));
    }
    return out;
  }

  private Path outputFile(Path output, Path listing, Target target, int count) {
    String perTarget =
        "pylock."
            + target.runtime().id().replace(".", "")
            + "-"
            + target.architecture().lambdaName()
            + ".toml";
    if (output != null) {
      Path out = environment.resolve(output);
      if (count == 1 && !Files.isDirectory(out)) {
        return out;
      }
      return out.resolve(perTarget);
    }
    Path dir = listing.getParent();
    boolean listingIsPylock = listing.getFileName().toString().startsWith("pylock.");
    return dir.resolve(count == 1 && !listingIsPylock ? "pylock.toml" : perTarget);
  }

  private static void write(Path file, String text) throws AccretionException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".pylock", ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "cannot write the lock file " + file,
          e.getMessage() + "; check that its folder is writable",
          e);
    }
  }
}
