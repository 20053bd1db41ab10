package dev.accretion.app.publish;

import dev.accretion.app.build.BuilderSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Build a listing (as {@code accretion build} does, so an unchanged listing is a cache hit), then
 * publish its zips under the names the multi-target rule gives. Immutable.
 *
 * @param listing the listing (relative to the working directory)
 * @param layer the Lambda layer name (per-target names derive from it)
 * @param settings the runtimes to build for (required) and architectures (default x86_64), regions,
 *     sharing, ... over those of the project file's layer of that name
 * @param aws how to reach AWS and where the project file is
 * @param cacheDir the shared build cache, or null for the default
 * @param builder the builder, its options and plug-in jars (over those of the project file's layer
 *     of that name)
 */
public record PublishListingRequest(
    Path listing,
    String layer,
    PublishSettings settings,
    AwsAccess aws,
    Path cacheDir,
    BuilderSettings builder) {
  /** A request with the builder found from the listing, no builder options or plug-ins. */
  public PublishListingRequest(
      Path listing, String layer, PublishSettings settings, AwsAccess aws, Path cacheDir) {
    this(listing, layer, settings, aws, cacheDir, BuilderSettings.none());
  }

  public PublishListingRequest {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(aws, "aws");
  }
}
