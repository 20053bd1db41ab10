package dev.accretion.cli;

import dev.accretion.app.catalog.DescribeVersion;
import dev.accretion.app.catalog.DiffVersions;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion diff}: flags to a {@link DiffVersions.Request}; the changes as a table. */
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
    DiffVersions.Result diff =
        new DiffVersions(context.environment())
            .diff(new DiffVersions.Request(layer, from, to, runtime, arch, regions, aws.access()));
    var out = context.out();
    if (json) {
      out.println(diff.toJson());
      return Cli.OK;
    }
    out.println(diff.layer() + " " + from + " -> " + to + " in " + diff.region() + ":");
    if (diff.isEmpty()) {
      out.println("  no package changes");
      return Cli.OK;
    }
    Table t = new Table("", "PACKAGE", "FROM", "TO");
    for (DescribeVersion.Package p : diff.added()) {
      t.row("+", p.name(), "-", p.version());
    }
    for (DescribeVersion.Package p : diff.removed()) {
      t.row("-", p.name(), p.version(), "-");
    }
    for (DiffVersions.Change c : diff.changed()) {
      t.row("~", c.name(), c.from(), c.to());
    }
    t.print(out, "  ");
    out.printf(
        "  %d added, %d removed, %d changed%n",
        diff.added().size(), diff.removed().size(), diff.changed().size());
    return Cli.OK;
  }
}
