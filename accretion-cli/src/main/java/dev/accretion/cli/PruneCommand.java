package dev.accretion.cli;

import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.PruneResult;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    if (keep < 1) {
      throw new UsageException("--keep must be at least 1: the latest version is never deleted");
    }
    if (olderThanDays != null && olderThanDays < 0) {
      throw new UsageException("--older-than must be 0 or more days");
    }
    LayerQuery query = LayerQuery.of(layer, runtime, arch);
    Optional<ProjectFile> project = aws.projectForReading(context);
    List<PruneResult> results;
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), CatalogSupport.bucketPattern(project, layer))) {
      List<String> regionList =
          Regions.forLayer(Regions.split(regions), project, layer, catalog::defaultRegion);
      results =
          catalog.prune(
              query,
              regionList,
              keep,
              olderThanDays == null ? null : Duration.ofDays(olderThanDays),
              !yes);
    }
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("name", layer);
      root.put("dryRun", !yes);
      List<Map<String, Object>> rs = new ArrayList<>();
      for (PruneResult r : results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", r.region());
        m.put("layer", r.layerName());
        m.put("deleted", r.deleted().stream().map(CatalogSupport::json).toList());
        m.put("kept", r.kept().stream().map(CatalogSupport::json).toList());
        rs.add(m);
      }
      root.put("regions", rs);
      context.out().println(JsonOutput.write(root));
      return Cli.OK;
    }
    Table t = new Table("LAYER", "REGION", "VERSION", "CREATED", "ACTION");
    int deleted = 0;
    for (PruneResult r : results) {
      for (LayerVersionInfo v : r.kept()) {
        t.row(r.layerName(), r.region(), v.version(), CatalogSupport.human(v.created()), "keep");
      }
      for (LayerVersionInfo v : r.deleted()) {
        t.row(
            r.layerName(),
            r.region(),
            v.version(),
            CatalogSupport.human(v.created()),
            yes ? "deleted" : "would delete");
        deleted++;
      }
    }
    t.print(context.out(), "");
    if (yes) {
      context.out().println("Deleted " + deleted + " version" + (deleted == 1 ? "" : "s") + ".");
    } else {
      context
          .out()
          .println(
              "Dry run: "
                  + deleted
                  + " version"
                  + (deleted == 1 ? "" : "s")
                  + " would be deleted; rerun with --yes to delete.");
    }
    return Cli.OK;
  }
}
