package dev.accretion.cli;

import dev.accretion.app.lock.LockListing;
import dev.accretion.app.lock.LockRequest;
import dev.accretion.app.lock.LockResult;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion lock}: flags to a {@link LockRequest}, each target's lock or error printed. */
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
      "  accretion lock pyproject.toml --extra aws --runtime python3.11 \\",
      "      --output locks/pylock.toml",
      "  accretion lock requirements.txt --runtime python3.11,python3.12 \\",
      "      --arch x86_64,arm64 --json",
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
      completionCandidates = BuildCommand.Formats.class,
      description = "Listing format when the file name doesn't say: ${COMPLETION-CANDIDATES}.")
  String format;

  @Mixin ListingOptions listingOptions;

  @Option(
      names = "--allow-empty",
      description = "Lock a listing that asks for nothing (default: that is an error).")
  boolean allowEmpty;

  @Mixin BuilderFlags builder;

  @Mixin IndexOptions index;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print a JSON summary on stdout and nothing else.")
  boolean json;

  LockCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    LockRequest request =
        new LockRequest(
            listing,
            TargetOptions.spec(targets),
            output,
            format,
            listingOptions.extras,
            listingOptions.groups,
            allowEmpty,
            index.settings(),
            cache.cacheDir,
            builder.settings(context));
    LockResult result = new LockListing(context.environment()).lock(request, new Progress(context));
    if (json) {
      context.out().println(result.toJson());
    } else {
      for (LockResult.TargetLock t : result.locks()) {
        print(t, result.locks().size());
      }
    }
    Optional<AccretionException> failure = result.failure();
    if (failure.isPresent() && result.locks().size() > 1 && !json) {
      // each target's error is printed above
      throw new AccretionException(
          failure.get().kind(),
          failure.get().getMessage() + " (each explained above); the others were written");
    }
    if (failure.isPresent()) {
      throw failure.get();
    }
    return Cli.OK;
  }

  private void print(LockResult.TargetLock t, int targetCount) {
    if (!t.ok()) {
      if (targetCount > 1) {
        context.err().println("accretion: error: " + t.target() + ": " + t.failure().getMessage());
      }
      return;
    }
    var out = context.out();
    out.println(
        "Locked "
            + t.packages().size()
            + " packages for "
            + t.description()
            + " in "
            + t.elapsedMillis()
            + " ms -> "
            + context.workingDirectory().relativize(t.lock().toAbsolutePath()));
    int width = 4;
    for (LockResult.LockedPackage p : t.packages()) {
      width = Math.max(width, p.name().length());
    }
    for (LockResult.LockedPackage p : t.packages()) {
      out.printf("  %-" + width + "s  %-14s %s%n", p.name(), p.version(), p.wheel());
    }
  }
}
