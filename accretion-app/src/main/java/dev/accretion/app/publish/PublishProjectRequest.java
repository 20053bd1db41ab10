package dev.accretion.app.publish;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Publish the layers of a project file ({@code accretion.toml}). Immutable.
 *
 * @param layers project layer names; empty for every layer
 * @param settings only regions may be given (replacing every layer's); the other settings live in
 *     the project file, and giving one is a usage failure
 * @param aws how to reach AWS and where the project file is
 * @param cacheDir the shared build cache for layers built from a listing, or null for the default
 * @param refresh build layers from a listing again even when the cache holds the build (an unpinned
 *     listing re-resolved)
 */
public record PublishProjectRequest(
    List<String> layers, PublishSettings settings, AwsAccess aws, Path cacheDir, boolean refresh) {
  /** A request that uses cached builds. */
  public PublishProjectRequest(
      List<String> layers, PublishSettings settings, AwsAccess aws, Path cacheDir) {
    this(layers, settings, aws, cacheDir, false);
  }

  public PublishProjectRequest {
    layers = List.copyOf(layers);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(aws, "aws");
  }
}
