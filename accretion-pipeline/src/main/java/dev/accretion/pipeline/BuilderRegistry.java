package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The builders a pipeline can use: the ones on the class path ({@link ServiceLoader}, {@code
 * META-INF/services/dev.accretion.pipeline.spi.Builder}) and those of plug-in jars, each loaded in
 * a class loader of its own (so a plug-in's dependencies never clash with Accretion's or another
 * plug-in's). Chooses the builder of a listing (by id, by format, or by asking each builder whether
 * it reads the file) and checks that the targets are runtimes of the builder's language.
 *
 * <p>Immutable and thread-safe; plug-in class loaders stay open for the life of the registry.
 */
public final class BuilderRegistry {
  private final Map<String, Builder> builders;

  private BuilderRegistry(Map<String, Builder> builders) {
    this.builders = builders;
  }

  /**
   * The builders found by {@link ServiceLoader} through this class's class loader.
   *
   * @throws IllegalStateException if two builders have one id, or a provider cannot be loaded (a
   *     broken installation)
   */
  public static BuilderRegistry load() {
    try {
      return of(loadAll(ServiceLoader.load(Builder.class, BuilderRegistry.class.getClassLoader())));
    } catch (AccretionException | ServiceConfigurationError e) {
      throw new IllegalStateException(
          "the built-in builders cannot be loaded: " + e.getMessage(), e);
    }
  }

  /**
   * Exactly these builders.
   *
   * @throws AccretionException ({@link FailureKind#CONFLICT}) if two have the same id, ({@link
   *     FailureKind#USAGE}) if an id is not {@code [a-z][a-z0-9-]*}
   */
  public static BuilderRegistry of(List<Builder> list) throws AccretionException {
    Map<String, Builder> map = new LinkedHashMap<>();
    for (Builder b : list) {
      add(map, b, b.getClass().getName());
    }
    return new BuilderRegistry(map);
  }

  private static void add(Map<String, Builder> map, Builder b, String where)
      throws AccretionException {
    String id = b.id();
    if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
      throw new AccretionException(
          FailureKind.USAGE,
          "builder " + where + " has the id '" + id + "'; a builder id is [a-z][a-z0-9-]*");
    }
    Builder earlier = map.putIfAbsent(id, b);
    if (earlier != null) {
      throw new AccretionException(
          FailureKind.CONFLICT,
          "two builders have the id '"
              + id
              + "': "
              + earlier.getClass().getName()
              + " and "
              + where
              + "; remove one of them");
    }
  }

  private static List<Builder> loadAll(ServiceLoader<Builder> loader) {
    List<Builder> out = new ArrayList<>();
    for (Builder b : loader) {
      out.add(b);
    }
    return out;
  }

  /**
   * These builders plus the ones each plug-in jar provides ({@code
   * META-INF/services/dev.accretion.pipeline.spi.Builder} inside the jar), every jar in a class
   * loader of its own whose parent holds Accretion (so a plug-in sees the builder interface and
   * core, and nothing of another plug-in).
   *
   * @throws AccretionException ({@link FailureKind#NOT_FOUND}) for a missing jar, ({@link
   *     FailureKind#BAD_INPUT}) for a jar that provides no builder or whose providers fail to load,
   *     ({@link FailureKind#CONFLICT}) for an id taken already
   */
  public BuilderRegistry withPlugins(List<Path> jars) throws AccretionException {
    Map<String, Builder> map = new LinkedHashMap<>(builders);
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new AccretionException(
            FailureKind.NOT_FOUND, "builder plug-in " + jar + " does not exist");
      }
      URLClassLoader loader;
      try {
        loader =
            new URLClassLoader(
                "accretion-plugin:" + jar.getFileName(),
                new URL[] {jar.toUri().toURL()},
                BuilderRegistry.class.getClassLoader());
      } catch (MalformedURLException e) {
        throw new AccretionException(FailureKind.BAD_INPUT, "builder plug-in " + jar + ": " + e);
      }
      List<Builder> found = new ArrayList<>();
      try {
        for (ServiceLoader.Provider<Builder> p :
            ServiceLoader.load(Builder.class, loader).stream().toList()) {
          // the parent's providers are listed too: keep only the jar's own
          if (p.type().getClassLoader() == loader) {
            found.add(p.get());
          }
        }
      } catch (ServiceConfigurationError e) {
        close(loader);
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "builder plug-in " + jar + " cannot be loaded: " + e.getMessage(),
            "build it against this version of accretion-pipeline, with a public no-argument"
                + " constructor",
            e);
      }
      if (found.isEmpty()) {
        close(loader);
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "builder plug-in " + jar + " provides no builder",
            "list its class in META-INF/services/" + Builder.class.getName(),
            null);
      }
      for (Builder b : found) {
        add(map, b, jar.toString());
      }
    }
    return new BuilderRegistry(map);
  }

  private static void close(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // nothing was loaded from it that matters
    }
  }

  /** Every builder, built-in ones first, in the order found. */
  public List<Builder> builders() {
    return List.copyOf(builders.values());
  }

  /** The builder with this id. */
  public Optional<Builder> byId(String id) {
    return Optional.ofNullable(builders.get(id));
  }

  /**
   * The builder for a listing: the one named by {@code id} if given; else the one that reads the
   * format {@code format} if given; else the one whose {@link Builder#detect} recognises the file
   * name.
   *
   * @throws AccretionException ({@link FailureKind#USAGE}) for an unknown id or format, a format
   *     the named builder does not read, or a listing no builder (or more than one) recognises
   */
  public Builder choose(String id, Path listing, String format) throws AccretionException {
    return choose(id, listing, format, List.of());
  }

  /**
   * As {@link #choose(String, Path, String)}; when several builders recognise the listing's name
   * ({@code maven.txt} is a requirements file's name too), the one whose language the targets'
   * runtimes have (the {@code --runtime} decides the language).
   */
  public Builder choose(String id, Path listing, String format, List<Target> targets)
      throws AccretionException {
    if (id != null) {
      Builder b = builders.get(id);
      if (b == null) {
        throw new AccretionException(
            FailureKind.USAGE,
            "there is no builder '" + id + "'",
            "the builders are " + String.join(", ", builders.keySet()),
            null);
      }
      if (format != null && b.formats().stream().noneMatch(f -> f.id().equals(format))) {
        throw unknownFormat(format, List.of(b));
      }
      return b;
    }
    if (format != null) {
      List<Builder> readers =
          builders.values().stream()
              .filter(b -> b.formats().stream().anyMatch(f -> f.id().equals(format)))
              .toList();
      if (readers.isEmpty()) {
        throw unknownFormat(format, builders.values());
      }
      if (readers.size() > 1) {
        throw new AccretionException(
            FailureKind.USAGE,
            "the format '"
                + format
                + "' is read by several builders: "
                + String.join(", ", readers.stream().map(Builder::id).toList()),
            "name the builder too",
            null);
      }
      return readers.get(0);
    }
    List<Builder> readers = new ArrayList<>();
    for (Builder b : builders.values()) {
      if (b.detect(listing).isPresent()) {
        readers.add(b);
      }
    }
    if (readers.size() > 1 && !targets.isEmpty()) {
      List<Builder> fit =
          readers.stream()
              .filter(
                  b ->
                      !b.languages().isEmpty()
                          && targets.stream()
                              .allMatch(t -> b.languages().contains(t.runtime().language())))
              .toList();
      if (fit.size() == 1) {
        return fit.get(0);
      }
    }
    if (readers.size() == 1) {
      return readers.get(0);
    }
    if (readers.isEmpty()) {
      Set<String> names = new LinkedHashSet<>();
      Set<String> formats = new TreeSet<>();
      for (Builder b : builders.values()) {
        for (ListingFormat f : b.formats()) {
          names.addAll(f.fileNames());
          formats.add(f.id());
        }
      }
      throw new AccretionException(
          FailureKind.USAGE,
          "can't tell what kind of listing '" + listing + "' is from its name",
          "name it " + String.join(", ", names) + ", or say --format " + String.join("|", formats),
          null);
    }
    throw new AccretionException(
        FailureKind.USAGE,
        "'"
            + listing.getFileName()
            + "' could be read by several builders: "
            + String.join(", ", readers.stream().map(Builder::id).toList()),
        "say --format (or the builder) to choose",
        null);
  }

  private static AccretionException unknownFormat(String format, Iterable<Builder> among) {
    List<String> known = new ArrayList<>();
    for (Builder b : among) {
      for (ListingFormat f : b.formats()) {
        known.add(f.id());
      }
    }
    return new AccretionException(
        FailureKind.USAGE,
        "unknown listing format '" + format + "'",
        "use one of: " + String.join(", ", known),
        null);
  }

  /**
   * Checks that every target is a runtime of a language {@code builder} builds for.
   *
   * @throws AccretionException ({@link FailureKind#USAGE}) naming the listing, the builder, its
   *     languages and each target of another language
   */
  public static void checkTargets(Builder builder, List<Target> targets, Path listing)
      throws AccretionException {
    Set<Language> languages = builder.languages();
    if (languages.isEmpty()) {
      return;
    }
    List<String> wrong = new ArrayList<>();
    for (Target t : targets) {
      if (!languages.contains(t.runtime().language())) {
        String s = t.runtime().id() + " (a " + t.runtime().language().id() + " runtime)";
        if (!wrong.contains(s)) {
          wrong.add(s);
        }
      }
    }
    if (wrong.isEmpty()) {
      return;
    }
    List<String> ids = languages.stream().map(Language::id).sorted().toList();
    throw new AccretionException(
        FailureKind.USAGE,
        "'"
            + listing.getFileName()
            + "' is a "
            + builder.id()
            + " listing, built for "
            + String.join(" or ", ids)
            + " runtimes, but the targets include "
            + String.join(", ", wrong),
        "choose "
            + String.join(" or ", ids)
            + " runtimes (accretion runtimes lists them), or a listing for those targets",
        null);
  }
}
