package dev.accretion.app.sources;

import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.python.index.IndexListener;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.resolve.IndexStrategy;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Turns a request's package sources and cache folder into what the Python engine takes. */
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

  /**
   * What reading and resolving a listing needs.
   *
   * @param format the listing format as named ({@code --format}), or null to detect it
   * @throws AccretionException a bad-input failure for an unknown format, a usage failure for an
   *     unknown index strategy
   */
  public static Locker.Options lockerOptions(
      Environment environment,
      IndexSettings sources,
      CacheLocation cache,
      String format,
      List<String> extras,
      List<String> groups,
      IndexListener listener)
      throws AccretionException {
    return new Locker.Options(
        format == null ? null : ListingFormat.parse(format),
        new LinkedHashSet<>(extras),
        new LinkedHashSet<>(groups),
        new Locker.IndexOverrides(
            sources.indexUrl(),
            sources.extraIndexUrls(),
            sources.findLinks(),
            sources.noIndex(),
            sources.cert()),
        strategy(sources.strategy()),
        sources.pre(),
        cache.root().resolve("http"),
        environment.variables(),
        environment.home(),
        environment.workingDirectory(),
        listener);
  }

  private static IndexStrategy strategy(String text) throws AccretionException {
    if (text == null) {
      return IndexStrategy.FIRST_INDEX;
    }
    try {
      return IndexStrategy.parse(text);
    } catch (IllegalArgumentException e) {
      throw Usage.error(e.getMessage());
    }
  }

  /** Index warnings and page-load progress as use-case events, under a label. */
  public static IndexListener indexListener(ProgressListener listener, String label) {
    return new IndexListener() {
      @Override
      public void warning(String message) {
        listener.warning(message);
      }

      @Override
      public void progress(long done, long requested) {
        listener.activity(label + ": " + done + "/" + requested + " index pages");
      }
    };
  }
}
