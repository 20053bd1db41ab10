package dev.accretion.cli;

import dev.accretion.app.catalog.ListLayers;
import dev.accretion.app.catalog.VersionInfo;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code accretion ls}: flags to a {@link ListLayers.Request}; the layers as a table. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "List the layers Accretion manages (their latest version carries Accretion's digest marker)"
          + " with the latest version per region and when it was published.",
      "Regions: --region, else every region of accretion.toml, else $AWS_REGION.",
    },
    footerHeading = "%nExamples:%n",
    footer = {"  accretion ls --region us-east-1,eu-west-1", "  accretion ls --json"})
final class LsCommand implements Callable<Integer> {
  private final Context context;

  @Option(
      names = {"--region", "--regions"},
      paramLabel = "REGION",
      description = "Regions to list, comma list (repeatable).")
  List<String> regions = new ArrayList<>();

  @Mixin AwsOptions aws;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  LsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    ListLayers.Result result =
        new ListLayers(context.environment()).list(new ListLayers.Request(regions, aws.access()));
    if (json) {
      context.out().println(result.toJson());
      return Cli.OK;
    }
    if (result.layers().isEmpty()) {
      context
          .out()
          .println(
              "No layers managed by Accretion in " + String.join(", ", result.regions()) + ".");
      return Cli.OK;
    }
    Table table =
        new Table("LAYER", "REGION", "VERSION", "PUBLISHED", "RUNTIMES", "ARCH", "DIGEST");
    for (VersionInfo v : result.layers()) {
      table.row(
          v.name(),
          v.region(),
          v.version(),
          CatalogSupport.human(v.created()),
          String.join(",", v.runtimes()),
          String.join(",", v.architectures()),
          CatalogSupport.shortSha(v.digest()));
    }
    table.print(context.out(), "");
    return Cli.OK;
  }
}
