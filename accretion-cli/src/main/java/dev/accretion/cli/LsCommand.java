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
import picocli.CommandLine.Parameters;

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
    footer = {
      "  accretion ls --region us-east-1,eu-west-1",
      "  accretion ls --json",
      "  accretion ls web-deps --arch arm64    # the Lambda layers of a project layer",
    })
final class LsCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "LAYER",
      description =
          "Only this layer: its Lambda layer, or the Lambda layers it was published as (one per"
              + " target).")
  String layer;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "Only layers whose latest version serves this runtime.")
  String runtime;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "Only layers whose latest version serves x86_64 or arm64.")
  String arch;

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
        new ListLayers(context.environment())
            .list(new ListLayers.Request(layer, runtime, arch, regions, aws.access()));
    if (json) {
      context.out().println(result.toJson());
      return Cli.OK;
    }
    if (result.layers().isEmpty()) {
      context
          .out()
          .println(
              (result.filter() == null
                      ? "No layers managed by Accretion"
                      : "No layer of " + result.filter())
                  + " in "
                  + String.join(", ", result.regions())
                  + ".");
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
