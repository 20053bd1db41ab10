package dev.accretion.cli;

import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.ManagedLayer;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
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
      "  accretion ls web-deps --arch arm64        # the Lambda layers of one project layer",
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
    if (layer == null && (runtime != null || arch != null)) {
      throw new UsageException("--runtime and --arch filter the layers of one LAYER: name it");
    }
    LayerQuery filter = layer == null ? null : LayerQuery.of(layer, runtime, arch);
    Optional<ProjectFile> project = aws.projectForReading(context);
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), PublishRequest.DEFAULT_BUCKET_PATTERN)) {
      List<String> regionList = Regions.split(regions);
      if (regionList.isEmpty() && project.isPresent()) {
        regionList =
            layer != null
                ? Regions.forLayer(List.of(), project, layer, catalog::defaultRegion)
                : Regions.ofProject(project.get());
      }
      if (regionList.isEmpty()) {
        regionList = List.of(catalog.defaultRegion());
      }
      List<ManagedLayer> layers = catalog.list(regionList, filter);
      if (json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ManagedLayer m : layers) {
          out.add(CatalogSupport.json(m.latest()));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("regions", regionList);
        root.put("layers", out);
        context.out().println(JsonOutput.write(root));
        return Cli.OK;
      }
      if (layers.isEmpty()) {
        context
            .out()
            .println(
                (filter == null
                        ? "No layers managed by Accretion"
                        : "No layer of "
                            + filter.layerName()
                            + (filter.hasTarget() ? " for " + filter.targetText() : ""))
                    + " in "
                    + String.join(", ", regionList)
                    + ".");
        return Cli.OK;
      }
      Table table =
          new Table("LAYER", "REGION", "VERSION", "PUBLISHED", "RUNTIMES", "ARCH", "DIGEST");
      for (ManagedLayer m : layers) {
        table.row(
            m.layerName(),
            m.region(),
            m.latest().version(),
            CatalogSupport.human(m.latest().created()),
            String.join(",", m.latest().compatibleRuntimes()),
            String.join(",", m.latest().compatibleArchitectures()),
            CatalogSupport.shortSha(m.latest().sha256()));
      }
      table.print(context.out(), "");
      return Cli.OK;
    }
  }
}
