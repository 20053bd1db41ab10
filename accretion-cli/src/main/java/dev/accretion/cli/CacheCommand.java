package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.cache.InspectCache;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code accretion cache}: the parent of ls, verify and gc, each its own class. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Look after the shared cache of downloaded wheels and built layers (blobs named by their"
          + " sha256, and selectors from build inputs to the layers they produced). Several"
          + " builds may use it at once, also while gc runs.",
    },
    subcommands = {CacheLsCommand.class, CacheVerifyCommand.class, CacheGcCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion cache ls",
      "  accretion cache verify",
      "  accretion cache gc --older-than 7 --dry-run",
    })
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a cache command: ls, verify or gc.");
  }

  static void row(PrintWriter out, String kind, InspectCache.Entries u) {
    out.printf(Locale.ROOT, "  %-11s %7d  %11s%n", kind, u.count(), Sizes.human(u.bytes()));
  }
}
