package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.efs.InstallEfs;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion efs install}: {@link InstallEfs}, printed. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Resolve a listing (a lock is used as it is) for one Python target and install every"
          + " package version the store lacks into ROOT/<runtime>/<arch>/<name>/<version>/, with"
          + " the same checks as a layer build (digests, RECORD, hostile wheels, ELF machine and"
          + " glibc); then write the set's view ROOT/views/<digest>/ and its record <digest>.json.",
      "",
      "Versions already in the store are not written again. Several installers (processes or"
          + " hosts) may share a root: each version is written once, under a temporary name and"
          + " renamed when complete; a killed install leaves nothing visible and the next one"
          + " finishes it.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs install pylock.toml --root /mnt/efs --runtime python3.11 \\",
      "      --arch x86_64",
      "  accretion efs install requirements.txt --root ./store --json",
    })
final class EfsInstallCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LISTING", description = "The lock or listing.")
  Path listing;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "The store's root (where the file system is mounted here).")
  Path root;

  @Mixin EfsCommand.Target target;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Listing format when the file name doesn't say.")
  String format;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  EfsInstallCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    InstallEfs.Result r =
        new InstallEfs(context.environment())
            .install(
                new InstallEfs.Request(
                    listing,
                    format,
                    target.runtime,
                    target.arch,
                    root,
                    index.settings(),
                    cache.cacheDir),
                new Progress(context));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    out.println(
        "Installed "
            + r.installed()
            + " of "
            + r.packages().size()
            + " package versions ("
            + Sizes.human(r.bytesWritten())
            + " written; the others were in the store) for "
            + r.runtime()
            + "/"
            + r.architecture());
    for (InstallEfs.Version v : r.packages()) {
      out.println((v.installed() ? "  + " : "    ") + v.path());
    }
    out.println("View: " + r.view() + (r.viewCreated() ? "" : " (already there)"));
    out.println("Set:  " + r.digest());
    return Cli.OK;
  }
}
