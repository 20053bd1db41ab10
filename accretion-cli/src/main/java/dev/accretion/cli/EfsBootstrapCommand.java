package dev.accretion.cli;

import dev.accretion.app.efs.BootstrapEfs;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion efs bootstrap}: {@link BootstrapEfs}, printed. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Write the small, dependency-free Python module a function imports before anything else:"
          + " it puts the set's view under the mount (or, with --no-view, each version folder in"
          + " lock order) at the front of sys.path, and fails the import with a clear message if"
          + " the view or a version is missing. Never set PYTHONPATH on a Lambda function: it"
          + " replaces the runtime's layer paths.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs bootstrap pylock.toml --runtime python3.11 --mount /mnt/deps \\",
      "      --output src/accretion_efs.py",
      "  # in the handler's module, first line:  import accretion_efs  # noqa: F401",
    })
final class EfsBootstrapCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LOCK", description = "The lock (or listing) installed.")
  Path lock;

  @Option(
      names = "--mount",
      required = true,
      paramLabel = "PATH",
      description = "Where the function mounts the store's root, e.g. /mnt/deps.")
  String mount;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "The module to write (default: accretion_efs.py).")
  Path output;

  @Option(names = "--no-view", description = "One sys.path entry per version folder.")
  boolean noView;

  @Mixin EfsCommand.Target target;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Listing format.")
  String format;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  EfsBootstrapCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    BootstrapEfs.Result r =
        new BootstrapEfs(context.environment())
            .bootstrap(
                new BootstrapEfs.Request(
                    lock,
                    format,
                    target.runtime,
                    target.arch,
                    mount,
                    output,
                    !noView,
                    index.settings(),
                    cache.cacheDir),
                new Progress(context));
    if (json) {
      context.out().println(r.toJson());
      return Cli.OK;
    }
    context
        .out()
        .println(
            "Wrote "
                + r.output()
                + ": "
                + (r.view()
                    ? "the view " + r.mount() + "/views/" + r.digest()
                    : "each version folder")
                + " first on sys.path ("
                + r.packages()
                + " packages)");
    return Cli.OK;
  }
}
