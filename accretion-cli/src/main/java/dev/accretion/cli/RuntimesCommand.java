package dev.accretion.cli;

import dev.accretion.app.runtimes.ListRuntimes;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Runtime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion runtimes [RUNTIME]}: the matrix, or one target's tags and markers. */
@Command(
    mixinStandardHelpOptions = true,
    name = "runtimes",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Show the Lambda runtime matrix Accretion builds for: OS, glibc, architectures, layer paths"
          + " and deprecation dates. With a runtime, show what a layer for it must match: the"
          + " PEP 425 wheel tags in priority order and the PEP 508 marker environment.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion runtimes",
      "  accretion runtimes python3.11 --arch arm64",
      "  accretion runtimes python3.12 --json",
    })
final class RuntimesCommand implements Callable<Integer> {
  private static final String ROW = "%-12s %-8s %-18s %-6s %-15s %s%n";

  private final Context context;

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUNTIME", description = "e.g. python3.12")
  String runtime;

  @Option(
      names = "--arch",
      defaultValue = "x86_64",
      description = "x86_64 or arm64 (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(names = "--json", description = "Print JSON on stdout and nothing else.")
  boolean json;

  RuntimesCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    var out = context.out();
    if (runtime == null) {
      ListRuntimes.Result all = new ListRuntimes().list();
      if (json) {
        out.println(all.toJson());
        return Cli.OK;
      }
      out.printf(ROW, "RUNTIME", "LANG", "OS", "GLIBC", "ARCHITECTURES", "DEPRECATION");
      for (Runtime r : all.runtimes()) {
        String deprecation =
            r.deprecation().map(d -> d + (all.isDeprecated(r) ? " (deprecated)" : "")).orElse("-");
        List<String> archs = r.architectures().stream().map(Architecture::lambdaName).toList();
        out.printf(
            ROW,
            r.id(),
            r.language().name().toLowerCase(Locale.ROOT),
            r.os(),
            r.glibc(),
            String.join(",", archs),
            deprecation);
      }
      return Cli.OK;
    }
    ListRuntimes.Details one = new ListRuntimes().show(runtime, arch);
    if (json) {
      out.println(one.toJson());
      return Cli.OK;
    }
    out.println(
        one.target().runtime().describe() + " on " + one.target().architecture().lambdaName());
    out.println("  layer paths: " + String.join(", ", one.target().runtime().layerPaths()));
    one.target().runtime().deprecation().ifPresent(d -> out.println("  deprecation: " + d));
    if (one.pythonFullVersion() != null) {
      out.println("  marker environment:");
      one.markerEnvironment().forEach((k, v) -> out.println("    " + k + " = " + v));
      out.println("  wheel tags, best first (" + one.tags().size() + "):");
      for (String t : one.tags()) {
        out.println("    " + t);
      }
    }
    return Cli.OK;
  }
}
