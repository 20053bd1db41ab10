package dev.accretion.cli;

import dev.accretion.app.catalog.PruneVersions;
import dev.accretion.app.catalog.VersionInfo;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion prune}: flags to a {@link PruneVersions.Request}; kept and deleted listed. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Delete old versions of a layer: all but the --keep newest (and of those only the ones older"
          + " than --older-than days). Never the latest version. Only shows what it would delete"
          + " unless --yes is given.",
      "Regions: --region, else every region of the project's layer, else $AWS_REGION.",
      "A project layer published as several Lambda layers (one per target) is pruned in each of"
          + " them, or only in the one that serves --runtime/--arch.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion prune web-deps --keep 3                      # dry run",
      "  accretion prune web-deps --keep 3 --older-than 30 --region us-east-1 --yes",
      "  accretion prune web-deps --keep 1 --runtime python3.12 --arch arm64 --yes",
    })
final class PruneCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LAYER", description = "The layer name.")
  String layer;

  @Option(
      names = "--keep",
      required = true,
      paramLabel = "N",
      description = "How many of the newest versions to keep (at least 1).")
  int keep;

  @Option(
      names = "--older-than",
      paramLabel = "DAYS",
      description = "Delete only versions created more than DAYS days ago.")
  Integer olderThanDays;

  @Option(
      names = {"--region", "--regions"},
      paramLabel = "REGION",
      description = "Regions, comma list (default: the project layer's, else $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(names = "--yes", description = "Really delete (default: only show what would go).")
  boolean yes;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "Only the Lambda layer of the layer that serves this runtime.")
  String runtime;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "Only the Lambda layer of the layer that serves x86_64 or arm64.")
  String arch;

  @Mixin AwsOptions aws;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  PruneCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    PruneVersions.Result result =
        new PruneVersions(context.environment())
            .prune(
                new PruneVersions.Request(
                    layer, keep, olderThanDays, runtime, arch, regions, yes, aws.access()));
    var out = context.out();
    if (json) {
      out.println(result.toJson());
      return Cli.OK;
    }
    Table t = new Table("LAYER", "REGION", "VERSION", "CREATED", "ACTION");
    int deleted = 0;
    for (PruneVersions.Region r : result.regions()) {
      for (VersionInfo v : r.kept()) {
        t.row(r.layer(), r.region(), v.version(), CatalogSupport.human(v.created()), "keep");
      }
      for (VersionInfo v : r.deleted()) {
        t.row(
            r.layer(),
            r.region(),
            v.version(),
            CatalogSupport.human(v.created()),
            yes ? "deleted" : "would delete");
        deleted++;
      }
    }
    t.print(out, "");
    String versions = deleted + " version" + (deleted == 1 ? "" : "s");
    out.println(
        yes
            ? "Deleted " + versions + "."
            : "Dry run: " + versions + " would be deleted; rerun with --yes to delete.");
    return Cli.OK;
  }
}
