package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.lock.FileFacts;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.lock.PylockWriter;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    Locker.Options options = index.lockerOptions(context, cache, format, extras, groups, progress);
    List<Map<String, Object>> summaries = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try (Locker locker = Locker.open(listingPath, options)) {
      for (String note : locker.notes()) {
        progress.warning(note);
      }
      FileFacts facts = new FileFacts(locker.client());
      for (Target t : targetList) {
        warnIfDeprecated(t, progress);
        long targetStart = System.nanoTime();
        PythonTarget target = PythonTarget.of(t);
        progress.label("resolving " + t);
        Resolution resolution;
        try {
          resolution = locker.resolve(target);
        } catch (AccretionException e) {
          // one target without a solution doesn't stop the others; the exit code says it
          progress.clear();
          failed.add(t + ": " + e.getMessage());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("runtime", t.runtime().id());
          m.put("architecture", t.architecture().lambdaName());
          m.put("error", e.getMessage());
          summaries.add(m);
          if (targetList.size() > 1 && !json) {
            context.err().println("accretion: error: " + t + ": " + e.getMessage());
          }
          continue;
        }
        progress.clear();
        for (String warning : resolution.warnings()) {
          progress.warning(warning);
        }
        String text = PylockWriter.write(resolution, facts);
        Path file = outputFile(listingPath, t, targetList.size());
        writeAtomically(file, text);
        long millis = (System.nanoTime() - targetStart) / 1_000_000;
        summaries.add(summary(t, resolution, file, millis));
        if (!json) {
          printHuman(t, resolution, file, millis);
        }
      }
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("listing", listingPath.toString());
      out.put("locks", summaries);
      out.put("elapsedMillis", (System.nanoTime() - start) / 1_000_000);
      context.out().println(JsonOutput.write(out));
    }
    if (failed.size() == 1 && targetList.size() == 1) {
      throw new AccretionException(failed.get(0).substring(failed.get(0).indexOf(": ") + 2));
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

  private Path outputFile(Path listingPath, Target target, int count) {
    String perTarget =
        "pylock."
            + target.runtime().id().replace(".", "")
            + "-"
            + target.architecture().lambdaName()
            + ".toml";
    if (output != null) {
      Path out = context.resolve(output);
      if (count == 1 && !Files.isDirectory(out)) {
        return out;
      }
      return out.resolve(perTarget);
    }
    Path dir = listingPath.getParent();
    boolean listingIsPylock = listingPath.getFileName().toString().startsWith("pylock.");
    return dir.resolve(count == 1 && !listingIsPylock ? "pylock.toml" : perTarget);
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
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
      pm.put("name", p.name().normalized());
      pm.put("version", p.version().toString());
      IndexFile f = p.distribution().file();
      pm.put("wheel", f.filename());
      pm.put("url", f.url().toString());
      f.sha256().ifPresent(h -> pm.put("sha256", h));
      pm.put("requiredBy", p.requiredBy());
      packages.add(pm);
    }
    m.put("packages", packages);
    m.put("warnings", resolution.warnings());
    m.put("rounds", resolution.rounds());
    m.put("backtracks", resolution.backtracks());
    m.put("elapsedMillis", millis);
    return m;
  }

  private void printHuman(Target target, Resolution resolution, Path file, long millis) {
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
      width = Math.max(width, p.name().normalized().length());
    }
    for (ResolvedPackage p : resolution.packages()) {
      out.printf(
          "  %-" + width + "s  %-14s %s%n",
          p.name().normalized(),
          p.version(),
          p.distribution().file().filename());
    }
  }
}
