package dev.accretion.cli;

import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "arn",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Print the ARN of the latest layer version (compatible with --runtime and --arch when"
          + " given), and nothing else: for scripts and templates.",
      "LAYER is the name given to publish: a project layer published as several Lambda layers"
          + " (web-deps-x86_64, web-deps-python312-arm64, ...) is found by its own name and the"
          + " target.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion arn web-deps --region eu-west-1 --runtime python3.12 --arch arm64",
      "  aws lambda update-function-configuration --function-name f \\",
      "      --layers \"$(accretion arn web-deps --region eu-west-1)\"",
      "",
      "Exit codes: 0 printed, 1 no matching version (or a failure), 2 usage error.",
    })
final class ArnCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      index = "0",
      paramLabel = "LAYER",
      description = "The layer name (a project layer's, or a Lambda layer's).")
  String layer;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region (default: the project's, else $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "Compatible with this runtime.")
  String runtime;

  @Option(names = "--arch", paramLabel = "ARCH", description = "Compatible with x86_64 or arm64.")
  String arch;

  @Mixin AwsOptions aws;

  ArnCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    LayerQuery query = LayerQuery.of(layer, runtime, arch);
    Optional<ProjectFile> project = aws.projectForReading(context);
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), CatalogSupport.bucketPattern(project, layer))) {
      String region =
          Regions.oneForLayer(Regions.split(regions), project, layer, catalog::defaultRegion);
      context.out().println(catalog.arn(query, region));
      return Cli.OK;
    }
  }
}
