package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.LockRequest;
import dev.accretion.pipeline.LockResult;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    name = "lock",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Resolve a Python dependency listing for Lambda targets and write a PEP 751 pylock.toml per"
          + " target: the exact wheel (URL, size, sha256) of every package that will run on that"
          + " runtime's Python, glibc and CPU. No Python, pip or Docker is needed.",
      "",
      "Listings: requirements.txt (pip syntax), pyproject.toml. Indexes come from pip's own"
          + " configuration (pip.conf, PIP_INDEX_URL, ...) unless flags say otherwise.",
      "",
      "Locks (pylock.toml, uv.lock, poetry.lock, Pipfile.lock) are not resolved again: the"
          + " packages whose markers hold for the target are taken, with the best wheel each"
          + " records for it; hashes are enforced, and a package with no wheel for the target"
          + " fails with the package and the target named.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion lock requirements.txt --runtime python3.12 --arch arm64",
      "  accretion lock pyproject.toml --extra aws --runtime python3.11 --output locks/pylock.toml",
      "  accretion lock requirements.txt --runtime python3.11,python3.12 --arch x86_64,arm64 --json",
      "  accretion lock uv.lock --extra aws --runtime python3.12 --arch arm64",
      "  accretion lock Pipfile.lock --group develop --runtime python3.11",
      "",
      "With several targets the locks are named pylock.<runtime>-<arch>.toml (dots dropped:"
          + " pylock.python312-arm64.toml), in --output DIR or beside the listing.",
      "Exit codes: 0 locked, 1 no solution or a failure (explained), 2 usage error.",
    })
final class LockCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "LISTING", description = "The dependency listing.")
  Path listing;

  @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "%nTargets:%n")
  List<TargetOptions.Pair> targets = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE|DIR",
      description =
          "Where to write: a file for one target, a folder for several (default: beside the"
              + " listing).")
  Path output;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Listing format when the file name doesn't say: requirements, pyproject, pylock,"
              + " uv-lock, poetry-lock, pipfile-lock.")
  String format;

  @Option(
      names = "--extra",
      paramLabel = "EXTRA",
      description =
          "Include an optional-dependency set (pyproject, or a lock's extras; repeatable).")
  List<String> extras = new ArrayList<>();

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "Include a dependency group: PEP 735, a uv or Poetry group, a Pipfile.lock category"
              + " (develop); repeatable.")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--allow-empty",
      description = "Lock a listing that asks for nothing (default: that is an error).")
  boolean allowEmpty;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print a JSON summary on stdout and nothing else.")
  boolean json;

  LockCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException, IOException {
    long start = System.nanoTime();
    TargetOptions targetOptions = new TargetOptions();
    targetOptions.pairs = targets;
    List<Target> targetList = targetOptions.targets(RuntimeMatrix.load());
    Path listingPath = context.resolve(listing);
    Progress progress = new Progress(context);
    for (Target t : targetList) {
      warnIfDeprecated(t, progress);
    }
    BuildProgress events = new BuildProgress(progress);
    LockRequest request =
        new LockRequest(
            listingPath,
            format,
            null,
            BuilderOptions.of(index.builderOptions(extras, groups)),
            targetList,
            output == null ? null : context.resolve(output),
            allowEmpty,
            new BuildContext(
                context.env(),
                context.home(),
                context.workingDirectory(),
                cache.location(context).root(),
                events));
    LockResult result = new LayerPipeline(BuilderRegistry.load()).lock(request);
    events.done();
    List<Map<String, Object>> summaries = new ArrayList<>();
    List<LockResult.TargetLock> failed = result.failures();
    for (LockResult.TargetLock lock : result.locks()) {
      Target t = lock.target();
      if (lock.failed()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtime", t.runtime().id());
        m.put("architecture", t.architecture().lambdaName());
        m.put("error", lock.failure().getMessage());
        summaries.add(m);
        if (targetList.size() > 1 && !json) {
          context.err().println("accretion: error: " + t + ": " + lock.failure().getMessage());
        }
        continue;
      }
      summaries.add(summary(t, lock.resolution(), lock.file(), lock.millis()));
      if (!json) {
        printHuman(lock.resolution(), lock.file(), lock.millis());
      }
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("listing", result.listing().toString());
      out.put("locks", summaries);
      out.put("elapsedMillis", (System.nanoTime() - start) / 1_000_000);
      context.out().println(JsonOutput.write(out));
    }
    if (failed.size() == 1 && targetList.size() == 1) {
      throw failed.get(0).failure();
    }
    if (!failed.isEmpty()) {
      if (json) {
        // the JSON on stdout already carries each target's error; keep stderr to one line
        context
            .err()
            .println(
                "accretion: error: no lock for "
                    + failed.size()
                    + " of "
                    + targetList.size()
                    + " targets");
        return 1;
      }
      throw new AccretionException(
          "no lock for "
              + failed.size()
              + " of "
              + targetList.size()
              + " targets (each explained above); the others were written");
    }
    return 0;
  }

  static void warnIfDeprecated(Target t, Progress progress) {
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    t.runtime()
        .deprecation()
        .filter(d -> !today.isBefore(d))
        .ifPresent(
            d ->
                progress.warning(
                    t.runtime().id()
                        + " reached Lambda's deprecation date on "
                        + d
                        + t.runtime()
                            .blockFunctionUpdate()
                            .map(u -> "; function updates are blocked from " + u)
                            .orElse("")
                        + ". Plan a move to a newer runtime (accretion runtimes lists them)."));
  }

  private static Map<String, Object> summary(
      Target target, Resolution resolution, Path file, long millis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runtime", target.runtime().id());
    m.put("architecture", target.architecture().lambdaName());
    m.put("lock", file.toString());
    List<Map<String, Object>> packages = new ArrayList<>();
    for (ResolvedPackage p : resolution.packages()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name());
      pm.put("version", p.version());
      pm.put("wheel", p.source().filename());
      pm.put("url", p.source().url().toString());
      p.source().sha256().ifPresent(h -> pm.put("sha256", h.hex()));
      pm.put("requiredBy", p.requiredBy());
      packages.add(pm);
    }
    m.put("packages", packages);
    m.put("warnings", resolution.warnings());
    m.put("rounds", resolution.facts().get("rounds"));
    m.put("backtracks", resolution.facts().get("backtracks"));
    m.put("elapsedMillis", millis);
    return m;
  }

  private void printHuman(Resolution resolution, Path file, long millis) {
    var out = context.out();
    out.println(
        "Locked "
            + resolution.packages().size()
            + " packages for "
            + resolution.target().describe()
            + " in "
            + millis
            + " ms -> "
            + context.workingDirectory().relativize(file.toAbsolutePath()));
    int width = 4;
    for (ResolvedPackage p : resolution.packages()) {
      width = Math.max(width, p.name().length());
    }
    for (ResolvedPackage p : resolution.packages()) {
      out.printf("  %-" + width + "s  %-14s %s%n", p.name(), p.version(), p.source().filename());
    }
  }
}
