package dev.accretion.inspect;

import dev.accretion.core.runtime.Target;
import java.util.List;
import java.util.Objects;

/**
 * What to inspect: one zip (a layer, or a function's own package) and the targets to check it
 * against. Immutable.
 *
 * @param source the zip; not closed by the inspection
 * @param functionCode whether the zip is a function's package ({@code /var/task}) rather than a
 *     layer ({@code /opt})
 * @param targets the targets to check against; empty for no "will it run" checks
 * @param declaredRuntimes the runtimes the layer version declares compatible (Lambda's {@code
 *     CompatibleRuntimes}); empty when unknown
 * @param targetsFromManifest when {@code targets} is empty and the zip carries Accretion's
 *     manifest, check against the targets it was built for
 */
public record LayerRequest(
    ZipSource source,
    boolean functionCode,
    List<Target> targets,
    List<String> declaredRuntimes,
    boolean targetsFromManifest) {

  public LayerRequest {
    Objects.requireNonNull(source, "source");
    targets = List.copyOf(targets);
    declaredRuntimes = List.copyOf(declaredRuntimes);
  }

  /** A layer zip checked against {@code targets}. */
  public static LayerRequest layer(ZipSource source, List<Target> targets) {
    return new LayerRequest(source, false, targets, List.of(), false);
  }
}
