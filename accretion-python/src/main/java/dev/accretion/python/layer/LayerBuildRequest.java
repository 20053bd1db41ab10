package dev.accretion.python.layer;

import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.lock.Locker;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to build: a listing, the targets, and how to lay the layer out. Immutable.
 *
 * @param listing the dependency listing (any format {@link Locker} reads)
 * @param locker how to read the listing and where packages come from
 * @param targets the Lambda targets (Python runtimes), at least one; order does not matter
 * @param name the layer name, or null for {@link LayerNames#defaultName}
 * @param outputDir where the artifacts go (created if missing)
 * @param layout where packages go in the layer
 * @param scripts whether {@code .data/scripts} are installed into {@code bin/}
 * @param excludes package names left out of the layer even though they are resolved
 * @param slimming what is dropped from the installed files
 * @param reserveBytes unzipped space kept free for function code and other layers
 * @param allowBadRecord install wheels whose RECORD does not match, with a warning
 * @param refresh build even if the cache has this build
 */
public record LayerBuildRequest(
    Path listing,
    Locker.Options locker,
    List<Target> targets,
    String name,
    Path outputDir,
    Layout layout,
    boolean scripts,
    List<String> excludes,
    Slimming slimming,
    long reserveBytes,
    boolean allowBadRecord,
    boolean refresh) {

  public LayerBuildRequest {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(locker, "locker");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a build needs at least one target");
    }
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(layout, "layout");
    excludes = List.copyOf(excludes);
    Objects.requireNonNull(slimming, "slimming");
    if (reserveBytes < 0 || reserveBytes >= ZipLimits.LAMBDA_UNZIPPED_BYTES) {
      throw new IllegalArgumentException(
          "the reserve must be at least 0 and less than "
              + ZipLimits.LAMBDA_UNZIPPED_BYTES
              + " bytes, got "
              + reserveBytes);
    }
    if (name != null && !LayerNames.isValid(name)) {
      throw new IllegalArgumentException(LayerNames.invalidMessage(name));
    }
  }

  /** A request with the defaults: {@code python/} layout, scripts, nothing excluded or slimmed. */
  public static LayerBuildRequest of(
      Path listing, Locker.Options locker, List<Target> targets, Path outputDir) {
    return of(listing, locker, targets, null, outputDir);
  }

  /** As {@link #of(Path, Locker.Options, List, Path)}, with a layer name (null: the default). */
  public static LayerBuildRequest of(
      Path listing, Locker.Options locker, List<Target> targets, String name, Path outputDir) {
    return new LayerBuildRequest(
        listing,
        locker,
        targets,
        name,
        outputDir,
        Layout.PYTHON,
        true,
        List.of(),
        Slimming.none(),
        0,
        false,
        false);
  }

  /** The unzipped budget: 262,144,000 bytes minus the reserve. */
  public long budgetBytes() {
    return ZipLimits.LAMBDA_UNZIPPED_BYTES - reserveBytes;
  }
}
