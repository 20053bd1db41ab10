package dev.accretion.cli;

import dev.accretion.app.catalog.DescribeVersion;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion describe}: {@code LAYER[:VERSION]} to a request; the version as a table. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Show one layer version: what is installed in it (from its manifest), runtimes,"
          + " architectures, size, digest and who it is shared with.",
      "Without :VERSION, the latest version. Region: --region, else the project's, else"
          + " $AWS_REGION. A project layer published as several Lambda layers is found by its"
          + " own name and --runtime/--arch.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion describe web-deps --region us-east-1",
      "  accretion describe web-deps:3 --json",
      "  accretion describe web-deps --runtime python3.13 --arch arm64",
    })
final class DescribeCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LAYER[:VERSION]", description = "Layer name and version.")
  String target;

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

  DescribeCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    DescribeVersion.Result d =
        new DescribeVersion(context.environment())
            .describe(DescribeVersion.Request.parse(target, runtime, arch, regions, aws.access()));
    if (json) {
      context.out().println(d.toJson());
    } else {
      print(d);
    }
    return Cli.OK;
  }

  private void print(DescribeVersion.Result d) {
    var out = context.out();
    Table t = new Table("", "");
    t.row("Layer", d.name() + ":" + d.version() + " in " + d.region());
    t.row("ARN", d.layerVersionArn());
    t.row("Created", CatalogSupport.human(d.created()));
    t.row("Description", d.description().isEmpty() ? "-" : d.description());
    t.row("Runtimes", String.join(", ", d.runtimes()));
    t.row(
        "Architectures", d.architectures().isEmpty() ? "-" : String.join(", ", d.architectures()));
    t.row("License", d.license());
    t.row("Size", String.format("%,d bytes zipped", d.codeSize()));
    t.row("Digest", d.digest() == null ? "- (not published by Accretion)" : "sha256:" + d.digest());
    t.row("CodeSha256", d.codeSha256());
    t.row("Sharing", sharing(d));
    // the header row of a key/value table is empty: skip it
    java.io.StringWriter buffer = new java.io.StringWriter();
    t.print(new java.io.PrintWriter(buffer), "");
    buffer.toString().lines().skip(1).forEach(out::println);
    out.println();
    if (d.packages() == null) {
      out.println(
          "Packages: unknown (no manifest in the staging bucket"
              + (d.digest() == null ? "; not published by Accretion)" : ")"));
      return;
    }
    out.println("Packages (" + d.packages().size() + "):");
    Table p = new Table("NAME", "VERSION");
    for (DescribeVersion.Package pv : d.packages()) {
      p.row(pv.name(), pv.version());
    }
    p.print(out, "  ");
  }

  private static String sharing(DescribeVersion.Result d) {
    if (d.grants().isEmpty()) {
      return "private";
    }
    List<String> parts = new ArrayList<>();
    for (DescribeVersion.Grant g : d.grants()) {
      if (g.organizationId() != null) {
        parts.add("org:" + g.organizationId());
      } else if (g.principal().equals("*")) {
        parts.add("public");
      } else {
        parts.add("account " + g.principal());
      }
    }
    return String.join(", ", parts);
  }
}
