package dev.accretion.pipeline;

import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to lock: a listing resolved for each target into the builder's lock file. Immutable.
 *
 * @param listing the dependency listing
 * @param format the listing format id, or null to let the builder detect it
 * @param builder the builder id, or null to find the builder that reads the listing
 * @param options the builder's own options
 * @param targets the Lambda targets, at least one, in the order to lock them
 * @param output where to write: a file (one target), a folder (several; one lock per target), or
 *     null for beside the listing
 * @param allowEmpty lock a listing that asks for nothing, instead of failing
 * @param context the environment, cache root and listener
 */
public record LockRequest(
    Path listing,
    String format,
    String builder,
    BuilderOptions options,
    List<Target> targets,
    Path output,
    boolean allowEmpty,
    BuildContext context) {
  public LockRequest {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(options, "options");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a lock needs at least one target");
    }
    Objects.requireNonNull(context, "context");
  }
}
