package dev.accretion.app.build;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which builder builds a listing and the options it gets beyond the Python flags: the same keys
 * from command-line flags ({@code --settings}, {@code --workspace}, ...), a layer of {@code
 * accretion.toml} ({@code builder = "java"}, {@code offline = true}) and the service's layer
 * definitions. Immutable.
 *
 * @param builder the builder id ({@code java}, {@code nodejs}, {@code command}, a plug-in's), or
 *     null to choose it from the listing's format or name
 * @param options builder option keys and their values (each builder documents its keys and refuses
 *     others)
 * @param plugins builder plug-in jars, each loaded in a class loader of its own
 */
public record BuilderSettings(
    String builder, Map<String, List<String>> options, List<Path> plugins) {
  public BuilderSettings {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    options.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    options = Collections.unmodifiableMap(copy);
    plugins = List.copyOf(plugins);
  }

  private static final BuilderSettings NONE = new BuilderSettings(null, Map.of(), List.of());

  /** The builder found from the listing, no options, no plug-ins. */
  public static BuilderSettings none() {
    return NONE;
  }
}
