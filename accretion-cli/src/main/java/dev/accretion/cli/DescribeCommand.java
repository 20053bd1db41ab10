package dev.accretion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.LayerVersionDetails;
import dev.accretion.aws.PackageVersion;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.io.IOException;
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

  /** {@code name[:version]} split; a bad version is a usage error. */
  static Map.Entry<String, Long> parseTarget(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return Map.entry(text, -1L);
    }
    String version = text.substring(colon + 1);
    try {
      long v = Long.parseLong(version);
      if (v < 1) {
        throw new NumberFormatException();
      }
      return Map.entry(text.substring(0, colon), v);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "'" + text + "': the version after ':' must be a positive number, like my-layer:3");
    }
  }

  @Override
  public Integer call() throws AccretionException {
    Map.Entry<String, Long> parsed = parseTarget(target);
    String layer = parsed.getKey();
    Long version = parsed.getValue() < 0 ? null : parsed.getValue();
    LayerQuery query = LayerQuery.of(layer, runtime, arch);
    Optional<ProjectFile> project = aws.projectForReading(context);
    try (LayerCatalog catalog =
        new LayerCatalog(aws.settings(context), CatalogSupport.bucketPattern(project, layer))) {
      String region =
          Regions.oneForLayer(Regions.split(regions), project, layer, catalog::defaultRegion);
      String lambdaLayer = catalog.locate(query, region).lambdaLayerName();
      LayerVersionDetails d = catalog.describe(lambdaLayer, version, region);
      if (json) {
        context.out().println(JsonOutput.write(json(d)));
      } else {
        print(d);
      }
      return Cli.OK;
    }
  }

  private static Map<String, Object> json(LayerVersionDetails d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.layerName());
    m.put("region", d.region());
    m.put("version", d.version());
    m.put("layerVersionArn", d.layerVersionArn());
    m.put("created", CatalogSupport.iso(d.created()));
    m.put("description", d.description());
    m.put("runtimes", d.compatibleRuntimes());
    m.put("architectures", d.compatibleArchitectures());
    m.put("license", d.licenseInfo());
    m.put("codeSize", d.codeSize());
    m.put("codeSha256", d.codeSha256());
    m.put("digest", d.sha256());
    m.put("public", d.isPublic());
    List<Map<String, Object>> grants = new ArrayList<>();
    for (Sharing.Grant g : d.grants()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("statementId", g.statementId());
      gm.put("principal", g.principal());
      gm.put("organizationId", g.organizationId());
      grants.add(gm);
    }
    m.put("sharing", grants);
    if (d.manifest() == null) {
      m.put("packages", null);
      m.put("manifest", null);
    } else {
      List<Map<String, Object>> packages = new ArrayList<>();
      for (PackageVersion p : d.manifest().packages()) {
        packages.add(package_(p));
      }
      m.put("packages", packages);
      try {
        m.put("manifest", new ObjectMapper().readTree(d.manifest().json()));
      } catch (IOException e) {
        throw new IllegalStateException("the manifest was parsed before", e);
      }
    }
    return m;
  }

  static Map<String, Object> package_(PackageVersion p) {
    Map<String, Object> pm = new LinkedHashMap<>();
    pm.put("name", p.name());
    pm.put("version", p.version());
    return pm;
  }

  private void print(LayerVersionDetails d) {
    var out = context.out();
    Table t = new Table("", "");
    t.row("Layer", d.layerName() + ":" + d.version() + " in " + d.region());
    t.row("ARN", d.layerVersionArn());
    t.row("Created", CatalogSupport.human(d.created()));
    t.row("Description", d.description().isEmpty() ? "-" : d.description());
    t.row("Runtimes", String.join(", ", d.compatibleRuntimes()));
    t.row(
        "Architectures",
        d.compatibleArchitectures().isEmpty()
            ? "-"
            : String.join(", ", d.compatibleArchitectures()));
    t.row("License", d.licenseInfo());
    t.row("Size", String.format("%,d bytes zipped", d.codeSize()));
    t.row("Digest", d.sha256() == null ? "- (not published by Accretion)" : "sha256:" + d.sha256());
    t.row("CodeSha256", d.codeSha256());
    t.row("Sharing", sharing(d));
    // the header row of a key/value table is empty: skip it
    java.io.StringWriter buffer = new java.io.StringWriter();
    t.print(new java.io.PrintWriter(buffer), "");
    buffer.toString().lines().skip(1).forEach(out::println);
    if (d.manifest() == null) {
      out.println();
      out.println(
          "Packages: unknown (no manifest in the staging bucket"
              + (d.sha256() == null ? "; not published by Accretion)" : ")"));
      return;
    }
    out.println();
    out.println("Packages (" + d.manifest().packages().size() + "):");
    Table p = new Table("NAME", "VERSION");
    for (PackageVersion pv : d.manifest().packages()) {
      p.row(pv.name(), pv.version());
    }
    p.print(out, "  ");
  }

  private static String sharing(LayerVersionDetails d) {
    if (d.grants().isEmpty()) {
      return "private";
    }
    List<String> parts = new ArrayList<>();
    for (Sharing.Grant g : d.grants()) {
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
