package dev.accretion.cli;

import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.PackageDiff;
import dev.accretion.aws.PackageVersion;
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
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Packages added, removed and changed from one layer version to another (from their"
          + " manifests; names compared as PEP 503 normalizes them).",
      "A project layer published as several Lambda layers is found by its own name and"
          + " --runtime/--arch.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion diff web-deps 3 4 --region us-east-1",
      "  accretion diff web-deps 3 4 --json",
      "  accretion diff web-deps 1 2 --runtime python3.12 --arch arm64",
    })
final class DiffCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LAYER", description = "The layer name.")
  String layer;

  @Parameters(index = "1", paramLabel = "V1", description = "The older version.")
  long from;

  @Parameters(index = "2", paramLabel = "V2", description = "The newer version.")
  long to;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region (default: the project's, else $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "The target runtime, to choose among a layer's Lambda layers.")
  String runtime;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "The target architecture (x86_64 or arm64), to choose among them.")
  String arch;

  @Mixin AwsOptions aws;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  DiffCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    if (from < 1 || to < 1) {
      throw new UsageException("versions are positive numbers, like 3 4");
    }
    LayerQuery query = LayerQuery.of(layer, runtime, arch);
    Optional<ProjectFile> project = aws.projectForReading(context);
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), CatalogSupport.bucketPattern(project, layer))) {
      String region =
          Regions.oneForLayer(Regions.split(regions), project, layer, catalog::defaultRegion);
      String lambdaLayer = catalog.locate(query, region).lambdaLayerName();
      PackageDiff diff = catalog.diff(lambdaLayer, from, to, region);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", lambdaLayer);
        m.put("region", region);
        m.put("from", from);
        m.put("to", to);
        m.put("added", diff.added().stream().map(DescribeCommand::package_).toList());
        m.put("removed", diff.removed().stream().map(DescribeCommand::package_).toList());
        List<Map<String, Object>> changed = new ArrayList<>();
        for (PackageDiff.Change c : diff.changed()) {
          Map<String, Object> cm = new LinkedHashMap<>();
          cm.put("name", c.name());
          cm.put("from", c.from());
          cm.put("to", c.to());
          changed.add(cm);
        }
        m.put("changed", changed);
        context.out().println(JsonOutput.write(m));
        return Cli.OK;
      }
      var out = context.out();
      out.println(lambdaLayer + " " + from + " -> " + to + " in " + region + ":");
      if (diff.isEmpty()) {
        out.println("  no package changes");
        return Cli.OK;
      }
      Table t = new Table("", "PACKAGE", "FROM", "TO");
      for (PackageVersion p : diff.added()) {
        t.row("+", p.name(), "-", p.version());
      }
      for (PackageVersion p : diff.removed()) {
        t.row("-", p.name(), p.version(), "-");
      }
      for (PackageDiff.Change c : diff.changed()) {
        t.row("~", c.name(), c.from(), c.to());
      }
      t.print(out, "  ");
      out.printf(
          "  %d added, %d removed, %d changed%n",
          diff.added().size(), diff.removed().size(), diff.changed().size());
      return Cli.OK;
    }
  }
}
