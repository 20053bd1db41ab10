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
 */
public record PublishProjectRequest(
    List<String> layers, PublishSettings settings, AwsAccess aws, Path cacheDir) {
  public PublishProjectRequest {
    layers = List.copyOf(layers);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(aws, "aws");
  }
}
