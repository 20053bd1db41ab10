package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerNames;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.Sizes;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Build a reproducible Lambda layer zip from a Python dependency listing: resolve it for each"
          + " --runtime/--arch target (or use a lock as it is), fetch every wheel once into the"
          + " cache (hashes verified), check every wheel (RECORD, ELF machine and glibc) and copy"
          + " its files into the zip without recompressing.",
      "",
      "Writes DIR/<name>-<runtime>-<arch>.zip and beside it .json (manifest), .cdx.json"
          + " (CycloneDX SBOM) and a PEP 751 lock per target, pylock.<name>-<runtime>-<arch>.toml"
          + " (dots dropped: pylock.web-python312-arm64.toml). Targets whose files come out"
          + " identical share one zip named after all of them"
          + " (<name>-python3.12+python3.13-x86_64.zip); when they can't, a warning says which"
          + " files differ. The manifest is also inside the zip, at accretion/<name>/manifest.json.",
      "",
      "An unchanged rebuild (same listing, targets, options, indexes and Accretion version) copies"
          + " the cached result without resolving; --refresh builds again (for new releases of"
          + " unpinned requirements).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion build requirements.txt --runtime python3.12 --arch arm64",
      "  accretion build pyproject.toml --runtime python3.12,python3.13 --arch x86_64 --json",
      "  accretion build requirements.txt --runtime python3.11 --exclude boto3 --exclude botocore",
      "  accretion build requirements.txt --runtime python3.11 --slim --slim-pattern '*/tests'",
      "",
      "Default --name: the [project] name of a pyproject.toml, else the name of the listing's"
          + " folder.",
      "Exit codes: 0 built (or unchanged), 1 failure (explained: resolution, a refused wheel, over"
          + " the size budget...), 2 usage error.",
    })
final class BuildCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LISTING", description = "The dependency listing.")
  Path listing;

  @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "%nTargets:%n")
  List<TargetOptions.Pair> targets = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      defaultValue = "dist",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Layer name: letters, digits, '-', '_' (default: see below).")
  String name;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Listing format when the file name doesn't say: requirements, pyproject, pylock.")
  String format;

  @Option(
      names = "--extra",
      paramLabel = "EXTRA",
      description = "Include a pyproject optional-dependency set (repeatable).")
  List<String> extras = new ArrayList<>();

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description = "Include a PEP 735 dependency group (repeatable).")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--layout",
      paramLabel = "LAYOUT",
      defaultValue = "python",
      description =
          "python (default): packages in python/, usable by every Python runtime;"
              + " site-packages: python/lib/python3.X/site-packages.")
  String layout;

  @Option(
      names = "--no-scripts",
      description = "Leave out the wheels' scripts (.data/scripts), otherwise installed in bin/.")
  boolean noScripts;

  @Option(
      names = "--exclude",
      paramLabel = "NAME",
      description =
          "Leave a resolved package out of the layer (repeatable), e.g. boto3 and botocore, which"
              + " every Lambda Python runtime provides (its version is then used).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--slim", description = "Drop __pycache__ folders and *.pyc/*.pyo files.")
  boolean slim;

  @Option(
      names = "--slim-pattern",
      paramLabel = "GLOB",
      description =
          "Also drop files or folders matching GLOB, relative to the package folder (repeatable;"
              + " '*/tests' drops top-level packages' tests folders, '**/tests' any). .dist-info"
              + " is always kept.")
  List<String> slimPatterns = new ArrayList<>();

  @Option(
      names = "--reserve",
      paramLabel = "MiB",
      defaultValue = "0",
      description =
          "Unzipped space to keep free for function code and other layers, in MiB (the budget is"
              + " 250 MiB = 262,144,000 bytes minus this; default: ${DEFAULT-VALUE}).")
  long reserveMiB;

  @Option(
      names = "--allow-bad-record",
      description =
          "Install wheels whose RECORD does not match their content, with a warning kept in the"
              + " manifest (default: refuse them).")
  boolean allowBadRecord;

  @Option(names = "--refresh", description = "Build even if the cache holds this build.")
  boolean refresh;

  @Option(
      names = "--allow-empty",
      description =
          "Build an empty layer from a listing that asks for nothing (default: that is an error).")
  boolean allowEmpty;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(
      names = "--json",
      description = "Print {\"artifacts\": [...]} on stdout and nothing else.")
  boolean json;

  BuildCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    long start = System.nanoTime();
    TargetOptions targetOptions = new TargetOptions();
    targetOptions.pairs = targets;
    List<Target> targetList = targetOptions.targets(RuntimeMatrix.load());
    if (name != null && !LayerNames.isValid(name)) {
      throw new UsageException(
          "--name '"
              + name
              + "' is not a valid layer name: use 1 to 64 letters, digits, '-' or '_'");
    }
    long reserveBytes = reserveMiB * 1024L * 1024L;
    if (reserveMiB < 0 || reserveBytes >= ZipLimits.LAMBDA_UNZIPPED_BYTES) {
      throw new UsageException(
          "--reserve must be between 0 and 249 MiB (the layer budget is 250 MiB), got "
              + reserveMiB);
    }
    Map<String, List<String>> options = index.builderOptions(extras, groups);
    options.put("layout", List.of(layout));
    if (noScripts) {
      options.put("scripts", List.of("false"));
    }
    if (slim) {
      options.put("slim", List.of("true"));
    }
    if (!slimPatterns.isEmpty()) {
      options.put("slim-pattern", slimPatterns);
    }
    if (allowBadRecord) {
      options.put("allow-bad-record", List.of("true"));
    }
    Path listingPath = context.resolve(listing);
    Progress warnings = new Progress(context);
    for (Target t : targetList) {
      LockCommand.warnIfDeprecated(t, warnings);
    }
    BuildProgress progress = new BuildProgress(warnings);
    BuildRequest request =
        new BuildRequest(
            listingPath,
            format,
            null,
            BuilderOptions.of(options),
            targetList,
            name,
            context.resolve(output),
            Placement.LAYER,
            excludes,
            reserveBytes,
            refresh,
            allowEmpty,
            new BuildContext(
                context.env(),
                context.home(),
                context.workingDirectory(),
                cache.location(context).root(),
                progress));
    BuildResult result = new LayerPipeline(BuilderRegistry.load()).build(request);
    progress.done();
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (json) {
      context.out().println(JsonOutput.write(Map.of("artifacts", artifactsJson(result))));
    } else {
      printHuman(result, millis);
    }
    return 0;
  }

  private static List<Map<String, Object>> artifactsJson(BuildResult result) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (BuiltArtifact a : result.artifacts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", a.zip().toString());
      m.put("runtimes", a.runtimes());
      m.put("architectures", a.architectures());
      m.put("sha256", a.sha256Hex());
      m.put("codeSha256", a.codeSha256());
      m.put("contentDigest", a.contentDigest());
      m.put("zippedBytes", a.zippedBytes());
      m.put("unzippedBytes", a.unzippedBytes());
      List<Map<String, Object>> packages = new ArrayList<>();
      for (BuiltArtifact.PackageSize p : a.packages()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("name", p.name());
        pm.put("version", p.version());
        packages.add(pm);
      }
      m.put("packages", packages);
      list.add(m);
    }
    return list;
  }

  private void printHuman(BuildResult result, long millis) {
    PrintWriter out = context.out();
    int count = result.artifacts().size();
    if (result.fromCache()) {
      out.println(
          "Unchanged: copied layer "
              + result.layerName()
              + " ("
              + count
              + (count == 1 ? " artifact" : " artifacts")
              + ") from the cache in "
              + millis
              + " ms; nothing was resolved or assembled (--refresh builds again)");
    } else {
      out.println(
          "Built layer "
              + result.layerName()
              + ": "
              + count
              + (count == 1 ? " artifact" : " artifacts")
              + " in "
              + seconds(millis));
    }
    for (BuiltArtifact a : result.artifacts()) {
      out.println();
      out.println(
          "  "
              + relative(a.zip())
              + "  ("
              + String.join(", ", a.runtimes())
              + " on "
              + String.join(", ", a.architectures())
              + ")");
      List<BuiltArtifact.PackageSize> packages = new ArrayList<>(a.packages());
      packages.sort(
          Comparator.comparingLong(BuiltArtifact.PackageSize::unzippedBytes)
              .reversed()
              .thenComparing(BuiltArtifact.PackageSize::name));
      int width = "package".length();
      int versionWidth = "version".length();
      for (BuiltArtifact.PackageSize p : packages) {
        width = Math.max(width, p.name().length());
        versionWidth = Math.max(versionWidth, p.version().length());
      }
      String row = "    %-" + width + "s  %-" + versionWidth + "s  %11s  %6s%n";
      out.printf(Locale.ROOT, row, "package", "version", "unzipped", "share");
      for (BuiltArtifact.PackageSize p : packages) {
        out.printf(
            Locale.ROOT,
            row,
            p.name(),
            p.version(),
            Sizes.human(p.unzippedBytes()),
            percent(p.unzippedBytes(), ZipLimits.LAMBDA_UNZIPPED_BYTES));
      }
      out.printf(
          Locale.ROOT,
          "    total: %d packages, %s unzipped = %s of the 250 MiB budget%s; %s zipped%s%n",
          packages.size(),
          Sizes.human(a.unzippedBytes()),
          percent(a.unzippedBytes(), ZipLimits.LAMBDA_UNZIPPED_BYTES),
          a.budgetBytes() < ZipLimits.LAMBDA_UNZIPPED_BYTES
              ? " (" + Sizes.human(a.budgetBytes()) + " after --reserve)"
              : "",
          Sizes.human(a.zippedBytes()),
          a.needsS3Upload() ? " (over 50 MiB: needs S3 upload to publish)" : "");
      out.println("    sha256 " + a.sha256Hex() + "  CodeSha256 " + a.codeSha256());
      for (String note : a.notes()) {
        out.println("    note: " + note);
      }
    }
    for (String w : result.warnings()) {
      context.err().println("accretion: warning: " + w);
    }
  }

  private String relative(Path p) {
    Path abs = p.toAbsolutePath();
    return abs.startsWith(context.workingDirectory())
        ? context.workingDirectory().relativize(abs).toString()
        : abs.toString();
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f%%", part * 100.0 / whole);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
