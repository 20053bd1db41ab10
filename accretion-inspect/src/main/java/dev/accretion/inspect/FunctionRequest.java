package dev.accretion.inspect;

import dev.accretion.core.runtime.Target;
import java.util.List;
import java.util.Objects;

/**
 * A function to inspect: its own package and its layers, in the order Lambda extracts them. The
 * sources are not closed by the inspection. Immutable.
 *
 * @param name the function's name (or ARN), for messages
 * @param code its own package ({@code /var/task})
 * @param layers its layers, in order (a later layer's files replace an earlier one's)
 * @param target its runtime and architecture, or null when the runtime is not in the matrix (a
 *     custom runtime) and none was given
 * @param runtime the runtime as Lambda names it ({@code python3.12}, {@code provided.al2023}), or
 *     null
 */
public record FunctionRequest(
    String name, ZipSource code, List<ZipSource> layers, Target target, String runtime) {
  public FunctionRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(code, "code");
    layers = List.copyOf(layers);
  }
}
