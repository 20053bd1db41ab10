package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheEntryKind;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.CacheReport;
import dev.accretion.core.cache.GcPolicy;
import dev.accretion.core.cache.GcReport;
import dev.accretion.core.cache.VerifyReport;
import dev.accretion.pipeline.Sizes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Look after the shared cache of downloaded wheels and built layers (blobs named by their"
          + " sha256, and selectors from build inputs to the layers they produced). Several"
          + " builds may use it at once, also while gc runs.",
    },
    subcommands = {CacheCommand.Ls.class, CacheCommand.Verify.class, CacheCommand.Gc.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion cache ls",
      "  accretion cache verify",
      "  accretion cache gc --older-than 7 --dry-run",
    })
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a cache command: ls, verify or gc.");
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      versionProvider = Cli.VersionProvider.class,
      description = "Show what the cache holds: counts and sizes by kind, and the largest blobs.")
  static final class Ls implements Callable<Integer> {
    private final Context context;

    @Mixin CacheOptions cache;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    Ls(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      Cache opened = Cache.open(cache.location(context), CacheListener.none());
      CacheReport report = opened.ls();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("root", report.root().toString());
        m.put("totalBytes", report.totalBytes());
        Map<String, Object> usage = new LinkedHashMap<>();
        for (CacheEntryKind kind : CacheEntryKind.values()) {
          CacheReport.Usage u = report.usage(kind);
          usage.put(kindName(kind), Map.of("count", u.count(), "bytes", u.bytes()));
        }
        m.put("usage", usage);
        List<Map<String, Object>> largest = new ArrayList<>();
        for (CacheReport.LargeBlob b : report.largest()) {
          Map<String, Object> bm = new LinkedHashMap<>();
          bm.put("sha256", b.sha256());
          bm.put("bytes", b.size());
          bm.put("lastUsed", b.lastUsed().toString());
          bm.put("names", b.names());
          largest.add(bm);
        }
        m.put("largest", largest);
        context.out().println(JsonOutput.write(m));
        return 0;
      }
      PrintWriter out = context.out();
      out.println("Cache " + report.root() + ": " + Sizes.human(report.totalBytes()));
      for (CacheEntryKind kind : CacheEntryKind.values()) {
        CacheReport.Usage u = report.usage(kind);
        out.printf(
            Locale.ROOT, "  %-11s %7d  %11s%n", kindName(kind), u.count(), Sizes.human(u.bytes()));
      }
      if (!report.largest().isEmpty()) {
        out.println("Largest blobs:");
        for (CacheReport.LargeBlob b : report.largest()) {
          out.printf(
              Locale.ROOT,
              "  %11s  %s  %s  (last used %s)%n",
              Sizes.human(b.size()),
              b.sha256().substring(0, 12),
              b.names().isEmpty() ? "(downloaded file)" : String.join(", ", b.names()),
              b.lastUsed());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      versionProvider = Cli.VersionProvider.class,
      description = {
        "Re-hash every blob and check every selector. Corrupt blobs are moved to quarantine/ (the"
            + " next build fetches them again).",
        "Exit code 1 when something was wrong.",
      })
  static final class Verify implements Callable<Integer> {
    private final Context context;

    @Mixin CacheOptions cache;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    Verify(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      Cache opened = Cache.open(cache.location(context), CacheListener.none());
      VerifyReport report = opened.verify();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", report.ok());
        m.put("blobsChecked", report.blobsChecked());
        m.put("bytesChecked", report.bytesChecked());
        List<Map<String, Object>> corrupt = new ArrayList<>();
        for (VerifyReport.CorruptBlob c : report.corrupt()) {
          corrupt.add(
              Map.of(
                  "sha256", c.sha256(),
                  "actualSha256", c.actualSha256(),
                  "quarantined", c.quarantined().toString()));
        }
        m.put("corrupt", corrupt);
        List<Map<String, Object>> broken = new ArrayList<>();
        for (VerifyReport.BrokenSelector b : report.brokenSelectors()) {
          broken.add(Map.of("key", b.key(), "reason", b.reason()));
        }
        m.put("brokenSelectors", broken);
        m.put("unexpectedFiles", report.unexpectedFiles().stream().map(Object::toString).toList());
        context.out().println(JsonOutput.write(m));
        return report.ok() ? 0 : Cli.FAILURE;
      }
      PrintWriter out = context.out();
      out.println(
          "Checked "
              + report.blobsChecked()
              + " blobs ("
              + Sizes.human(report.bytesChecked())
              + ")"
              + (report.ok() ? ": all good" : ":"));
      for (VerifyReport.CorruptBlob c : report.corrupt()) {
        out.println(
            "  corrupt: blob "
                + c.sha256()
                + " holds content with sha256 "
                + c.actualSha256()
                + "; moved to "
                + c.quarantined()
                + " (it is fetched again when needed)");
      }
      for (VerifyReport.BrokenSelector b : report.brokenSelectors()) {
        out.println("  broken build record " + b.key() + ": " + b.reason());
      }
      for (var p : report.unexpectedFiles()) {
        out.println("  not Accretion's (left alone): " + p);
      }
      return report.ok() ? 0 : Cli.FAILURE;
    }
  }

  @Command(
      name = "gc",
      mixinStandardHelpOptions = true,
      versionProvider = Cli.VersionProvider.class,
      description = {
        "Remove what is no longer used: blobs no cached build references that were not used for"
            + " DAYS (default 30), build records not used for DAYS, abandoned temporary files and"
            + " quarantined entries. Nothing used in the last hour is removed, so builds running"
            + " at the same time are safe.",
      })
  static final class Gc implements Callable<Integer> {
    private final Context context;

    @Mixin CacheOptions cache;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    @Option(
        names = "--older-than",
        paramLabel = "DAYS",
        description = "Remove entries unused for more than DAYS days (default: 30).")
    Long olderThanDays;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    Gc(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      GcPolicy policy = GcPolicy.defaults().withDryRun(dryRun);
      if (olderThanDays != null) {
        if (olderThanDays < 0) {
          throw new UsageException("--older-than must be 0 or more days, got " + olderThanDays);
        }
        policy = policy.withMaxUnused(Duration.ofDays(olderThanDays));
      }
      Cache opened = Cache.open(cache.location(context), CacheListener.none());
      GcReport report = opened.gc(policy);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dryRun", report.dryRun());
        m.put("bytes", report.bytes());
        List<Map<String, Object>> removals = new ArrayList<>();
        for (GcReport.Removal r : report.removals()) {
          Map<String, Object> rm = new LinkedHashMap<>();
          rm.put("kind", kindName(r.kind()));
          rm.put("path", r.path().toString());
          rm.put("bytes", r.bytes());
          rm.put("reason", r.reason());
          removals.add(rm);
        }
        m.put("removals", removals);
        context.out().println(JsonOutput.write(m));
        return 0;
      }
      PrintWriter out = context.out();
      String verb = report.dryRun() ? "Would remove" : "Removed";
      out.println(
          verb
              + " "
              + report.removals().size()
              + " entries, "
              + Sizes.human(report.bytes())
              + (report.dryRun() ? " (dry run: nothing was removed)" : ""));
      for (CacheEntryKind kind : CacheEntryKind.values()) {
        long n = report.count(kind);
        if (n > 0) {
          out.printf(
              Locale.ROOT,
              "  %-11s %7d  %11s%n",
              kindName(kind),
              n,
              Sizes.human(report.bytes(kind)));
        }
      }
      for (GcReport.Removal r : report.removals()) {
        out.println("  " + r.path().getFileName() + ": " + r.reason());
      }
      return 0;
    }
  }

  static String kindName(CacheEntryKind kind) {
    return switch (kind) {
      case BLOB -> "blobs";
      case SELECTOR -> "selectors";
      case QUARANTINE -> "quarantine";
      case TMP -> "tmp";
    };
  }
}
