package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.cache.InspectCache;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion cache ls}: {@link InspectCache}, printed. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = "Show what the cache holds: counts and sizes by kind, and the largest blobs.")
final class CacheLsCommand implements Callable<Integer> {
  private final Context context;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  CacheLsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    InspectCache.Result r = new InspectCache(context.environment()).inspect(cache.cacheDir);
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    out.println("Cache " + r.root() + ": " + Sizes.human(r.totalBytes()));
    r.usage().forEach((kind, u) -> CacheCommand.row(out, kind, u));
    if (!r.largest().isEmpty()) {
      out.println("Largest blobs:");
      for (InspectCache.LargeBlob b : r.largest()) {
        out.printf(
            Locale.ROOT,
            "  %11s  %s  %s  (last used %s)%n",
            Sizes.human(b.bytes()),
            b.sha256().substring(0, 12),
            b.names().isEmpty() ? "(downloaded file)" : String.join(", ", b.names()),
            b.lastUsed());
      }
    }
    return Cli.OK;
  }
}
