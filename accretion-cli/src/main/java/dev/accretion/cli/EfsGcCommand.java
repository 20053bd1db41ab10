package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.efs.CollectEfs;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion efs gc}: {@link CollectEfs}, printed. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Remove the views of every set not kept, and every package version that no kept set and no"
          + " install in progress uses. A set is kept by its lock (resolved for --runtime/--arch"
          + " as efs install does) or by its view digest. Installs that start while gc runs wait"
          + " for it; installs already running keep their versions.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs gc --root /mnt/efs --keep pylock.toml --runtime python3.11 \\",
      "      --dry-run",
      "  accretion efs gc --root /mnt/efs --keep VIEW-DIGEST --keep b/pylock.toml",
    })
final class EfsGcCommand implements Callable<Integer> {
  private final Context context;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The store's root.")
  Path root;

  @Option(
      names = "--keep",
      required = true,
      paramLabel = "LOCK|DIGEST",
      description = "A set to keep: its lock, or its view digest (repeatable).")
  List<String> keep = new ArrayList<>();

  @Option(names = "--dry-run", description = "Only say what would be removed.")
  boolean dryRun;

  @Mixin EfsCommand.Target target;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  EfsGcCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    CollectEfs.Result r =
        new CollectEfs(context.environment())
            .collect(
                new CollectEfs.Request(
                    root,
                    keep,
                    target.runtime,
                    target.arch,
                    dryRun,
                    index.settings(),
                    cache.cacheDir),
                new Progress(context));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    CollectEfs.Result c = r;
    out.println(
        (c.dryRun() ? "Would remove " : "Removed ")
            + c.removedVersions().size()
            + " package versions ("
            + Sizes.human(c.removedBytes())
            + ") and "
            + c.removedViews().size()
            + " views; kept "
            + c.keptVersions().size()
            + " versions of "
            + c.keptViews().size()
            + " views"
            + (c.dryRun() ? " (dry run: nothing was removed)" : ""));
    for (String v : c.removedVersions()) {
      out.println("  - " + v);
    }
    return Cli.OK;
  }
}
