package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.spi.Builder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python flags' options go to the Python builder only: for another builder (java, a plug-in)
 * the defaults the flags always carry ({@code layout=python}, {@code index-strategy=first-index})
 * are dropped, and any Python flag given explicitly is left in, for that builder to refuse by name.
 */
final class BuilderFlags {
  private BuilderFlags() {}

  static Map<String, List<String>> forListing(
      BuilderRegistry registry, Path listing, String format, Map<String, List<String>> options)
      throws AccretionException {
    Builder builder = registry.choose(null, listing, format);
    if (builder.id().equals("python")) {
      return options;
    }
    Map<String, List<String>> out = new LinkedHashMap<>(options);
    out.remove("layout", List.of("python"));
    out.remove("index-strategy", List.of("first-index"));
    return out;
  }
}
