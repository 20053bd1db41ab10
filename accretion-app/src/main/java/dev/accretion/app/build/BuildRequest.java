package dev.accretion.app.build;

import dev.accretion.app.TargetSpec;
import dev.accretion.app.sources.IndexSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Build a layer from a listing for its targets. Text values are checked by the use case (a bad one
 * is a usage failure naming the option). Immutable.
 *
 * @param listing the listing (relative to the environment's working directory)
 * @param targets the targets
 * @param output the output folder
 * @param name the layer name, or null for the pyproject's project name, else the listing's folder
 * @param format the listing format when the file name doesn't say, or null
 * @param extras optional-dependency sets to include
 * @param groups dependency groups to include
 * @param layout {@code python} or {@code site-packages}
 * @param scripts install the wheels' scripts into {@code bin/}
 * @param excludes resolved packages left out of the layer
 * @param slim drop {@code __pycache__} folders and {@code *.pyc/*.pyo} files
 * @param slimPatterns more globs of files or folders to drop
 * @param reserveMiB unzipped space kept free for function code and other layers, 0 to 249
 * @param allowBadRecord install wheels whose RECORD does not match, with a warning
 * @param refresh build even if the cache holds this build
 * @param allowEmpty build an empty layer from a listing that asks for nothing, instead of failing
 * @param sources where packages come from
 * @param cacheDir the shared cache, or null for the default
 * @param builder the builder, its options beyond the Python flags, and plug-in jars
 */
public record BuildRequest(
    Path listing,
    TargetSpec targets,
    Path output,
    String name,
    String format,
    List<String> extras,
    List<String> groups,
    String layout,
    boolean scripts,
    List<String> excludes,
    boolean slim,
    List<String> slimPatterns,
    long reserveMiB,
    boolean allowBadRecord,
    boolean refresh,
    boolean allowEmpty,
    IndexSettings sources,
    Path cacheDir,
    BuilderSettings builder) {
  public BuildRequest {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(output, "output");
    extras = List.copyOf(extras);
    groups = List.copyOf(groups);
    Objects.requireNonNull(layout, "layout");
    excludes = List.copyOf(excludes);
    slimPatterns = List.copyOf(slimPatterns);
    Objects.requireNonNull(sources, "sources");
  }

  /** A request with the builder found from the listing, no builder options or plug-ins. */
  public BuildRequest(
      Path listing,
      TargetSpec targets,
      Path output,
      String name,
      String format,
      List<String> extras,
      List<String> groups,
      String layout,
      boolean scripts,
      List<String> excludes,
      boolean slim,
      List<String> slimPatterns,
      long reserveMiB,
      boolean allowBadRecord,
      boolean refresh,
      boolean allowEmpty,
      IndexSettings sources,
      Path cacheDir) {
    this(
        listing,
        targets,
        output,
        name,
        format,
        extras,
        groups,
        layout,
        scripts,
        excludes,
        slim,
        slimPatterns,
        reserveMiB,
        allowBadRecord,
        refresh,
        allowEmpty,
        sources,
        cacheDir,
        BuilderSettings.none());
  }

  /** This request, building again even when the cache holds the build ({@code --refresh}). */
  public BuildRequest withRefresh(boolean value) {
    return new BuildRequest(
        listing,
        targets,
        output,
        name,
        format,
        extras,
        groups,
        layout,
        scripts,
        excludes,
        slim,
        slimPatterns,
        reserveMiB,
        allowBadRecord,
        value,
        allowEmpty,
        sources,
        cacheDir,
        builder);
  }

  /** The defaults of {@code accretion build}: {@code python/} layout, scripts, nothing dropped. */
  public static BuildRequest of(Path listing, TargetSpec targets, Path output, String name) {
    return new BuildRequest(
        listing,
        targets,
        output,
        name,
        null,
        List.of(),
        List.of(),
        "python",
        true,
        List.of(),
        false,
        List.of(),
        0,
        false,
        false,
        false,
        IndexSettings.configured(),
        null);
  }

  /** This request with its cache folder. */
  public BuildRequest withCacheDir(Path dir) {
    return new BuildRequest(
        listing,
        targets,
        output,
        name,
        format,
        extras,
        groups,
        layout,
        scripts,
        excludes,
        slim,
        slimPatterns,
        reserveMiB,
        allowBadRecord,
        refresh,
        allowEmpty,
        sources,
        dir,
        builder);
  }

  /** This request for another listing, targets, output folder and name (a project layer's). */
  public BuildRequest forLayer(
      Path newListing, TargetSpec newTargets, Path newOutput, String newName) {
    return new BuildRequest(
        newListing,
        newTargets,
        newOutput,
        newName,
        format,
        extras,
        groups,
        layout,
        scripts,
        excludes,
        slim,
        slimPatterns,
        reserveMiB,
        allowBadRecord,
        refresh,
        allowEmpty,
        sources,
        cacheDir,
        builder);
  }

  /** This request with another builder, options and plug-ins. */
  public BuildRequest withBuilder(BuilderSettings newBuilder) {
    return new BuildRequest(
        listing,
        targets,
        output,
        name,
        format,
        extras,
        groups,
        layout,
        scripts,
        excludes,
        slim,
        slimPatterns,
        reserveMiB,
        allowBadRecord,
        refresh,
        allowEmpty,
        sources,
        cacheDir,
        newBuilder);
  }
}
