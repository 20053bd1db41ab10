package dev.accretion.app.lock;

import dev.accretion.app.TargetSpec;
import dev.accretion.app.build.BuilderSettings;
import dev.accretion.app.sources.IndexSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Lock a listing for Lambda targets: one PEP 751 {@code pylock.toml} per target. Immutable.
 *
 * @param listing the listing (relative to the environment's working directory)
 * @param targets the targets
 * @param output a file (one target) or folder; null for beside the listing
 * @param format the listing format when the file name doesn't say, or null
 * @param extras optional-dependency sets to include
 * @param groups dependency groups to include
 * @param allowEmpty lock a listing that asks for nothing, instead of failing
 * @param sources where packages come from
 * @param cacheDir the shared cache, or null for the default
 * @param builder the builder, its options beyond the Python flags, and plug-in jars
 */
public record LockRequest(
    Path listing,
    TargetSpec targets,
    Path output,
    String format,
    List<String> extras,
    List<String> groups,
    boolean allowEmpty,
    IndexSettings sources,
    Path cacheDir,
    BuilderSettings builder) {
  public LockRequest {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(targets, "targets");
    extras = List.copyOf(extras);
    groups = List.copyOf(groups);
    Objects.requireNonNull(sources, "sources");
  }

  /** A request with the builder found from the listing, no builder options or plug-ins. */
  public LockRequest(
      Path listing,
      TargetSpec targets,
      Path output,
      String format,
      List<String> extras,
      List<String> groups,
      boolean allowEmpty,
      IndexSettings sources,
      Path cacheDir) {
    this(
        listing,
        targets,
        output,
        format,
        extras,
        groups,
        allowEmpty,
        sources,
        cacheDir,
        BuilderSettings.none());
  }
}
