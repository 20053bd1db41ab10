package dev.accretion.app.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Build the layers of a project file ({@code accretion.toml}), as {@code publish} builds them.
 * Immutable.
 *
 * @param project the project file, or null for {@code accretion.toml} in the working directory
 * @param layers the layer names to build; empty for every layer
 * @param output the output folder, or null for {@code dist/} beside the project file
 * @param flags the settings of {@code accretion build} that apply to every layer (Python flags,
 *     builder settings over each layer's, cache, refresh); its listing, targets, output and name
 *     are not used: each layer has its own
 */
public record BuildProjectRequest(
    Path project, List<String> layers, Path output, BuildRequest flags) {
  public BuildProjectRequest {
    layers = List.copyOf(layers);
    Objects.requireNonNull(flags, "flags");
  }
}
