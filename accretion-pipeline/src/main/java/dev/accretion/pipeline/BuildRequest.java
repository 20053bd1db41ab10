package dev.accretion.pipeline;

import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to build: a listing, its builder and options, the targets, and the pipeline's own options.
 * Immutable.
 *
 * @param listing the dependency listing (or, for a folder-based builder, the folder)
 * @param format the listing format id ({@code --format}), or null to let the builder detect it
 * @param builder the builder id ({@code python}), or null to find the builder that reads the
 *     listing
 * @param options the builder's own options (validated by the builder)
 * @param targets the Lambda targets, at least one; order and repeats do not matter
 * @param name the layer name, or null for the builder session's default
 * @param outputDir where the artifacts go (created if missing)
 * @param placement a layer, or a function package
 * @param excludes package names left out of the layer even though they are resolved (compared as
 *     the ecosystem normalizes names)
 * @param reserveBytes unzipped space kept free for function code and other layers
 * @param refresh build even if the selector cache has this build
 * @param allowEmpty build an empty layer from a listing that asks for nothing, instead of failing
 * @param context the environment, cache root and listener
 */
public record BuildRequest(
    Path listing,
    String format,
    String builder,
    BuilderOptions options,
    List<Target> targets,
    String name,
    Path outputDir,
    Placement placement,
    List<String> excludes,
    long reserveBytes,
    boolean refresh,
    boolean allowEmpty,
    BuildContext context) {

  public BuildRequest {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(options, "options");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a build needs at least one target");
    }
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(placement, "placement");
    excludes = List.copyOf(excludes);
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
    Objects.requireNonNull(context, "context");
  }

  /**
   * A layer build with the defaults: the builder found from the listing, no builder options, the
   * default name, nothing excluded or reserved.
   */
  public static BuildRequest of(
      Path listing, List<Target> targets, Path outputDir, BuildContext context) {
    return new BuildRequest(
        listing,
        null,
        null,
        BuilderOptions.none(),
        targets,
        null,
        outputDir,
        Placement.LAYER,
        List.of(),
        0,
        false,
        false,
        context);
  }

  /** This request with another layer name (null: the default). */
  public BuildRequest withName(String newName) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        newName,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        allowEmpty,
        context);
  }

  /** This request with other builder options. */
  public BuildRequest withOptions(BuilderOptions newOptions) {
    return new BuildRequest(
        listing,
        format,
        builder,
        newOptions,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        allowEmpty,
        context);
  }

  /** This request with another listing format (null: detect). */
  public BuildRequest withFormat(String newFormat) {
    return new BuildRequest(
        listing,
        newFormat,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        allowEmpty,
        context);
  }

  /** This request with a builder chosen by id (null: find it from the listing). */
  public BuildRequest withBuilder(String newBuilder) {
    return new BuildRequest(
        listing,
        format,
        newBuilder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        allowEmpty,
        context);
  }

  /** This request with other excluded packages. */
  public BuildRequest withExcludes(List<String> newExcludes) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        newExcludes,
        reserveBytes,
        refresh,
        allowEmpty,
        context);
  }

  /** This request with another reserve, in bytes. */
  public BuildRequest withReserveBytes(long newReserve) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        newReserve,
        refresh,
        allowEmpty,
        context);
  }

  /** This request asking (or not) to build even if the cache has the build. */
  public BuildRequest withRefresh(boolean newRefresh) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        newRefresh,
        allowEmpty,
        context);
  }

  /** This request allowing (or not) a listing that asks for nothing. */
  public BuildRequest withAllowEmpty(boolean newAllowEmpty) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        newAllowEmpty,
        context);
  }

  /** This request with another context (environment, cache, listener). */
  public BuildRequest withContext(BuildContext newContext) {
    return new BuildRequest(
        listing,
        format,
        builder,
        options,
        targets,
        name,
        outputDir,
        placement,
        excludes,
        reserveBytes,
        refresh,
        allowEmpty,
        newContext);
  }

  /** The unzipped budget: 262,144,000 bytes minus the reserve. */
  public long budgetBytes() {
    return ZipLimits.LAMBDA_UNZIPPED_BYTES - reserveBytes;
  }
}
