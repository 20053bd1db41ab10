package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.cache.CollectCache;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion cache gc}: {@link CollectCache}, printed. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = {
      "Remove what is no longer used: blobs no cached build references that were not used for"
          + " DAYS (default 30), build records not used for DAYS, abandoned temporary files and"
          + " quarantined entries. Nothing used in the last hour is removed, so builds running"
          + " at the same time are safe.",
    })
final class CacheGcCommand implements Callable<Integer> {
  private final Context context;

  @Mixin CacheOptions cache;

  @Option(names = "--dry-run", description = "Only say what would be removed.")
  boolean dryRun;

  @Option(
      names = "--older-than",
      paramLabel = "DAYS",
      description = "Remove entries unused for more than DAYS days (default: 30).")
  Long olderThanDays;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  CacheGcCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    CollectCache.Result r =
        new CollectCache(context.environment())
            .collect(new CollectCache.Request(cache.cacheDir, olderThanDays, dryRun));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    out.println(
        (r.dryRun() ? "Would remove" : "Removed")
            + " "
            + r.removals().size()
            + " entries, "
            + Sizes.human(r.bytes())
            + (r.dryRun() ? " (dry run: nothing was removed)" : ""));
    r.byKind().forEach((kind, u) -> CacheCommand.row(out, kind, u));
    for (CollectCache.Removal removal : r.removals()) {
      out.println("  " + removal.path().getFileName() + ": " + removal.reason());
    }
    return Cli.OK;
  }
}
