package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.efs.ListEfs;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code accretion efs ls}: {@link ListEfs}, printed. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = {"What a store holds: every package version, its size, the views that use it."},
    footerHeading = "%nExamples:%n",
    footer = {"  accretion efs ls --root /mnt/efs", "  accretion efs ls --root /mnt/efs --json"})
final class EfsLsCommand implements Callable<Integer> {
  private final Context context;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The store's root.")
  Path root;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  EfsLsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    ListEfs.Result r = new ListEfs(context.environment()).list(new ListEfs.Request(root));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
      return Cli.OK;
    }
    out.println(
        r.versions().size()
            + " package versions, "
            + Sizes.human(r.bytes())
            + "; "
            + r.views().size()
            + " views; "
            + r.installsInProgress()
            + " installs in progress");
    for (ListEfs.Version v : r.versions()) {
      out.printf(
          Locale.ROOT,
          "  %-50s %10s  %d view(s)%n",
          v.path(),
          Sizes.human(v.bytes()),
          v.views().size());
    }
    for (ListEfs.View v : r.views()) {
      out.println(
          "  view "
              + v.digest()
              + "  "
              + v.runtime()
              + "/"
              + v.architecture()
              + "  "
              + v.packages()
              + " packages"
              + (v.complete() ? "" : "  INCOMPLETE"));
    }
    return Cli.OK;
  }
}
