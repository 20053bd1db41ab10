package dev.accretion.app.sources;

import dev.accretion.app.Environment;
import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.Builder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request's package sources, listing parts and cache folder into what the layer pipeline
 * takes: the builder's options (the keys the Python builder documents) and the build context.
 */
public final class Sources {
  private Sources() {}

  /**
   * The shared cache: the given folder, else {@code ACCRETION_CACHE_DIR}, XDG, {@code ~/.cache}.
   */
  public static CacheLocation cache(Environment environment, Path cacheDir) {
    return CacheLocation.resolve(
        Optional.ofNullable(cacheDir == null ? null : environment.resolve(cacheDir)),
        environment.variables(),
        environment.home());
  }

  /** The environment, cache root and listener of a build or lock. */
  public static BuildContext context(
      Environment environment, Path cacheDir, BuildListener listener) {
    return new BuildContext(
        environment.variables(),
        environment.home(),
        environment.workingDirectory(),
        cache(environment, cacheDir).root(),
        listener);
  }

  /**
   * The builder options of the package sources and the listing's extras and groups ({@code
   * index-url}, {@code extra-index-url}, {@code find-links}, {@code no-index}, {@code cert}, {@code
   * index-strategy}, {@code pre}, {@code extra}, {@code group}); pip's configuration applies to
   * what is not given. The builder checks the values (an unknown strategy is a usage failure).
   */
  public static Map<String, List<String>> builderOptions(
      IndexSettings sources, List<String> extras, List<String> groups) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (sources.indexUrl() != null) {
      options.put("index-url", List.of(sources.indexUrl()));
    }
    if (!sources.extraIndexUrls().isEmpty()) {
      options.put("extra-index-url", sources.extraIndexUrls());
    }
    if (!sources.findLinks().isEmpty()) {
      options.put("find-links", sources.findLinks());
    }
    if (sources.noIndex()) {
      options.put("no-index", List.of("true"));
    }
    if (sources.cert() != null) {
      options.put("cert", List.of(sources.cert()));
    }
    options.put(
        "index-strategy", List.of(sources.strategy() == null ? "first-index" : sources.strategy()));
    if (sources.pre()) {
      options.put("pre", List.of("true"));
    }
    if (!extras.isEmpty()) {
      options.put("extra", extras);
    }
    if (!groups.isEmpty()) {
      options.put("group", groups);
    }
    return options;
  }

  /**
   * {@code options} for the builder of {@code listing}: the defaults the Python flags always carry
   * ({@code layout=python}, {@code index-strategy=first-index}) go to the Python builder only; for
   * another builder (java, a plug-in) they are dropped, and a Python option given explicitly stays,
   * for that builder to refuse by name. When no builder can be chosen the options pass unchanged
   * and the pipeline reports why.
   */
  public static Map<String, List<String>> forBuilder(
      BuilderRegistry registry, Path listing, String format, Map<String, List<String>> options) {
    return forBuilder(registry, listing, format, null, List.of(), options);
  }

  /**
   * As {@link #forBuilder(BuilderRegistry, Path, String, Map)}, the builder named by {@code
   * builderId} when not null.
   */
  public static Map<String, List<String>> forBuilder(
      BuilderRegistry registry,
      Path listing,
      String format,
      String builderId,
      List<Target> targets,
      Map<String, List<String>> options) {
    Builder builder;
    try {
      builder = registry.choose(builderId, listing, format, targets);
    } catch (AccretionException e) {
      return options;
    }
    if (builder.id().equals("python")) {
      return options;
    }
    Map<String, List<String>> out = new LinkedHashMap<>(options);
    out.remove("layout", List.of("python"));
    out.remove("index-strategy", List.of("first-index"));
    return out;
  }
}
