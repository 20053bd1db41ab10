package dev.accretion.cli;

import dev.accretion.app.functions.SyncFunctions;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion functions sync}: flags to a {@link SyncFunctions.Request}; a table or JSON. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Make every function folder declared in the repository's accretion.toml"
          + " ([functions.\"<folder>\"] with runtime, handler and role) a Lambda function named"
          + " <prefix>-<hash> (the hash of the repository's remote URL, or [repository] name, and"
          + " the folder's path: the same in every clone).",
      "A function whose Description already holds <folder>@<revision> (the folder's git tree id"
          + " at HEAD) and whose settings match is skipped; otherwise the folder is bundled with"
          + " its production dependencies (requirements.txt/pyproject.toml or"
          + " package-lock.json/package.json; tests and dev dependencies left out) and the"
          + " function created or updated. A zip Lambda already has is never uploaded again.",
      "Uncommitted changes in a folder stop the sync unless --allow-dirty. Functions of this"
          + " repository whose folder is gone are listed, and deleted only with --prune.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion functions sync --plan",
      "  accretion functions sync . --prefix shop --regions us-east-1,eu-west-1",
      "  accretion functions sync --json > sync.json",
      "  accretion functions sync --prune",
      "",
      "Exit codes: 0 every function up to date, 1 a function or region failed (rerun to"
          + " finish; the failures are named), 2 usage error.",
    })
final class FunctionsSyncCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REPO_DIR",
      description = "The git repository (default: the working directory).")
  Path repository;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "Function name prefix, at most 47 characters (default: accretion).")
  String prefix;

  @Option(
      names = {"--regions", "--region"},
      paramLabel = "REGION",
      split = ",",
      description = "Regions, comma list (default: $AWS_REGION or the profile's region).")
  List<String> regions = new ArrayList<>();

  @Option(names = "--plan", description = "Print create/update/skip per function and region only.")
  boolean plan;

  @Option(names = "--json", description = "Print the JSON result on stdout and nothing else.")
  boolean json;

  @Option(names = "--allow-dirty", description = "Deploy folders with uncommitted changes.")
  boolean allowDirty;

  @Option(
      names = "--prune",
      description = "Delete this repository's functions whose folder is gone.")
  boolean prune;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "Functions worked on at once, over all regions (default: 8).")
  int parallel = 8;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "The build cache folder.")
  Path cacheDir;

  @Mixin AwsOptions aws;

  FunctionsSyncCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    SyncFunctions.Result result =
        new SyncFunctions(context.environment())
            .sync(
                new SyncFunctions.Request(
                    repository,
                    prefix,
                    regions,
                    plan,
                    allowDirty,
                    prune,
                    parallel,
                    cacheDir,
                    aws.access()));
    if (json) {
      context.out().print(result.toJson());
    } else {
      print(result, context.out());
    }
    if (result.failed()) {
      PrintWriter err = context.err();
      err.println(
          "error: " + result.failures().size() + " failure(s); rerun to finish what is missing:");
      for (String f : result.failures()) {
        err.println("  " + f);
      }
      err.flush();
      return Cli.FAILURE;
    }
    return Cli.OK;
  }

  private static void print(SyncFunctions.Result result, PrintWriter out) {
    String verb = result.plan() ? "plan" : "sync";
    out.println(
        verb
            + " of "
            + result.repository()
            + " (prefix "
            + result.prefix()
            + ", "
            + String.join(", ", result.regions())
            + ")");
    for (SyncFunctions.FunctionResult f : result.functions()) {
      String action = f.action().name().toLowerCase(Locale.ROOT);
      String detail =
          switch (f.action()) {
            case UPDATE ->
                result.plan()
                    ? ""
                    : f.codeUploaded() ? " (code and configuration)" : " (configuration only)";
            case FAILED -> ": " + f.error();
            default -> "";
          };
      out.printf(
          Locale.ROOT,
          "  %-7s %-12s %-40s %s@%s%s%n",
          action,
          f.region(),
          f.name(),
          f.path(),
          f.revision().length() > 12 ? f.revision().substring(0, 12) : f.revision(),
          detail);
    }
    for (SyncFunctions.GoneFunction g : result.gone()) {
      out.printf(
          Locale.ROOT,
          "  %-7s %-12s %-40s %s%s%n",
          g.removed() ? "pruned" : "gone",
          g.region(),
          g.name(),
          g.path(),
          g.removed() ? "" : " (folder no longer declared; --prune deletes it)");
    }
    StringBuilder counts = new StringBuilder();
    result
        .counts()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                counts.append(counts.isEmpty() ? "" : ", ").append(v).append(' ').append(k);
              }
            });
    out.println(counts.isEmpty() ? "nothing to do" : counts.toString());
    out.flush();
  }
}
