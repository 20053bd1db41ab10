package dev.accretion.cli;

import dev.accretion.app.build.BuildArguments;
import dev.accretion.app.build.BuildLayer;
import dev.accretion.app.build.BuildProject;
import dev.accretion.app.build.BuildProjectRequest;
import dev.accretion.app.build.BuildProjectResult;
import dev.accretion.app.build.BuildRequest;
import dev.accretion.app.build.BuildResult;
import dev.accretion.app.build.ListingFormats;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion build}: flags to a {@link BuildRequest}, the result printed. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Build a reproducible Lambda layer zip from a dependency listing: resolve it for each"
          + " --runtime/--arch target (or use a lock as it is), fetch every package once into the"
          + " cache (hashes verified), check every file (ELF machine and glibc, sizes) and copy"
          + " its files into the zip. The builder comes from the listing: python (requirements.txt,"
          + " pyproject.toml, Python locks), nodejs (package.json and its locks), java (pom.xml,"
          + " Maven coordinates, java-lock.json), or --builder / a plug-in from --builder-path; the"
          + " --runtime must be one of its language.",
      "",
      "Without a listing, builds the layers of accretion.toml (all, or the LAYERs named) as"
          + " publish does: each with its listing (or a command builder's source), runtimes,"
          + " architectures, builder and options, into dist/ beside the project file.",
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
      "  accretion build pyproject.toml --runtime python3.12,python3.13 --json",
      "  accretion build requirements.txt --runtime python3.11 \\",
      "      --exclude boto3 --exclude botocore",
      "  accretion build requirements.txt --runtime python3.11 \\",
      "      --slim --slim-pattern '*/tests'",
      "  accretion build pom.xml --runtime java21 -s ci/settings.xml",
      "  accretion build package.json --runtime nodejs22.x --arch arm64 --workspace api",
      "  accretion build                          # every layer of accretion.toml",
      "  accretion build web-deps tools           # two of its layers",
      "",
      "Default --name: the [project] name of a pyproject.toml, else the name of the listing's"
          + " folder.",
      "Exit codes: 0 built (or unchanged), 1 failure (explained: resolution, a refused wheel, over"
          + " the size budget...), 2 usage error.",
    })
final class BuildCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      arity = "0..*",
      paramLabel = "LISTING|LAYER",
      description = "The dependency listing; or layer names of accretion.toml (none: every layer).")
  List<String> arguments = new ArrayList<>();

  @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "%nTargets (for a listing):%n")
  List<TargetOptions.Pair> targets = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Output folder (default: dist, beside the project file for its layers).")
  Path output;

  @Option(
      names = "--project",
      paramLabel = "FILE",
      description = "The project file (default: accretion.toml in the working directory).")
  Path project;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Layer name: letters, digits, '-', '_' (default: see below).")
  String name;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      completionCandidates = Formats.class,
      description = "Listing format when the file name doesn't say: ${COMPLETION-CANDIDATES}.")
  String format;

  @Mixin ListingOptions listingOptions;

  @Mixin LayerOptions layer;

  @Option(names = "--refresh", description = "Build even if the cache holds this build.")
  boolean refresh;

  @Option(
      names = "--allow-empty",
      description =
          "Build an empty layer from a listing that asks for nothing (default: that is an error).")
  boolean allowEmpty;

  @Mixin BuilderFlags builder;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(
      names = "--json",
      description = "Print {\"artifacts\": [...]} on stdout and nothing else.")
  boolean json;

  BuildCommand(Context context) {
    this.context = context;
  }

  /** The --format values, from the builders. */
  static final class Formats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ListingFormats.ids().iterator();
    }
  }

  @Override
  public Integer call() throws AccretionException {
    Path listing = BuildArguments.listing(arguments, project, context.workingDirectory());
    if (listing == null) {
      BuildArguments.refuseForProject(!targets.isEmpty(), name != null, format != null);
      BuildProjectResult result =
          new BuildProject(context.environment())
              .build(
                  new BuildProjectRequest(
                      project, arguments, output, request(Path.of("accretion.toml"))),
                  new Progress(context));
      if (json) {
        context.out().println(result.toJson());
      } else {
        new BuildOutput(context).print(result);
      }
      return Cli.OK;
    }
    BuildResult result =
        new BuildLayer(context.environment()).build(request(listing), new Progress(context));
    if (json) {
      context.out().println(result.toJson());
    } else {
      new BuildOutput(context).print(result);
    }
    return Cli.OK;
  }

  private BuildRequest request(Path listing) {
    return new BuildRequest(
            listing,
            TargetOptions.spec(targets),
            output == null ? Path.of("dist") : output,
            name,
            format,
            listingOptions.extras,
            listingOptions.groups,
            layer.layout,
            !layer.noScripts,
            layer.excludes,
            layer.slim,
            layer.slimPatterns,
            layer.reserveMiB,
            layer.allowBadRecord,
            refresh,
            allowEmpty,
            index.settings(),
            cache.cacheDir)
        .withBuilder(builder.settings(context));
  }
}
