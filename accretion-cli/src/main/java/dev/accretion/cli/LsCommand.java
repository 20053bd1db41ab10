package dev.accretion.cli;

import dev.accretion.aws.LayerCatalog;
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
    Optional<ProjectFile> project = aws.projectForReading(context);
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), PublishRequest.DEFAULT_BUCKET_PATTERN)) {
      List<String> regionList = Regions.split(regions);
      if (regionList.isEmpty() && project.isPresent()) {
        regionList = Regions.ofProject(project.get());
      }
      if (regionList.isEmpty()) {
        regionList = List.of(catalog.defaultRegion());
      }
      List<ManagedLayer> layers = catalog.list(regionList);
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
            .println("No layers managed by Accretion in " + String.join(", ", regionList) + ".");
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
