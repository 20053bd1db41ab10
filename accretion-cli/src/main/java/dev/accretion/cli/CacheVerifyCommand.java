package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.cache.VerifyCache;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code accretion cache verify}: {@link VerifyCache}, printed; exit 1 when something was wrong.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = {
      "Re-hash every blob and check every selector. Corrupt blobs are moved to quarantine/ (the"
          + " next build fetches them again).",
      "Exit code 1 when something was wrong.",
    })
final class CacheVerifyCommand implements Callable<Integer> {
  private final Context context;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  CacheVerifyCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    VerifyCache.Result r = new VerifyCache(context.environment()).verify(cache.cacheDir);
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
    } else {
      out.println(
          "Checked "
              + r.blobsChecked()
              + " blobs ("
              + Sizes.human(r.bytesChecked())
              + ")"
              + (r.ok() ? ": all good" : ":"));
      for (VerifyCache.CorruptBlob c : r.corrupt()) {
        out.println(
            "  corrupt: blob "
                + c.sha256()
                + " holds content with sha256 "
                + c.actualSha256()
                + "; moved to "
                + c.quarantined()
                + " (it is fetched again when needed)");
      }
      for (VerifyCache.BrokenSelector b : r.brokenSelectors()) {
        out.println("  broken build record " + b.key() + ": " + b.reason());
      }
      for (var p : r.unexpectedFiles()) {
        out.println("  not Accretion's (left alone): " + p);
      }
      for (VerifyCache.Leftover l : r.leftovers()) {
        out.println(
            "  leftover of a killed build (removed): "
                + l.file()
                + " ("
                + Sizes.human(l.size())
                + ")");
      }
    }
    return r.failure().map(f -> f.kind().exitCode()).orElse(Cli.OK);
  }
}
