package dev.accretion.pipeline.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a builder opens: a listing, its format, the builder's own options and the environment.
 * Immutable.
 *
 * @param listing the listing file (absolute, normalized); for builders that build a source folder
 *     (the command builder), the folder
 * @param format the format the user named ({@code --format}, {@code format = …}), or null to detect
 *     it
 * @param options the builder's own options, validated by {@link Builder#open} (unknown keys are a
 *     usage error naming the key and the keys it takes)
 * @param context the environment, cache and listener of the build
 */
public record BuildInput(
    Path listing, String format, BuilderOptions options, BuildContext context) {
  public BuildInput {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(context, "context");
  }
}
