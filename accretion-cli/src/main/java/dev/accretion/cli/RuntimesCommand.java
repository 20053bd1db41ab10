package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.Tag;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    RuntimeMatrix matrix = RuntimeMatrix.load();
    if (runtime == null) {
      listAll(matrix);
    } else {
      showOne(matrix.target(runtime, arch));
    }
    return 0;
  }

  private void listAll(RuntimeMatrix matrix) {
    LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Runtime r : matrix.all()) {
        rows.add(row(r));
      }
      context.out().println(JsonOutput.write(Map.of("runtimes", rows)));
      return;
    }
    context
        .out()
        .printf(
            "%-12s %-8s %-18s %-6s %-15s %s%n",
            "RUNTIME", "LANG", "OS", "GLIBC", "ARCHITECTURES", "DEPRECATION");
    for (Runtime r : matrix.all()) {
      String deprecation =
          r.deprecation()
              .map(d -> d + (matrix.isDeprecated(r, today) ? " (deprecated)" : ""))
              .orElse("-");
      List<String> archs = r.architectures().stream().map(Architecture::lambdaName).toList();
      context
          .out()
          .printf(
              "%-12s %-8s %-18s %-6s %-15s %s%n",
              r.id(),
              r.language().name().toLowerCase(java.util.Locale.ROOT),
              r.os(),
              r.glibc(),
              String.join(",", archs),
              deprecation);
    }
  }

  private static Map<String, Object> row(Runtime r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("language", r.language().name().toLowerCase(java.util.Locale.ROOT));
    m.put("languageVersion", r.languageVersion());
    m.put("os", r.os());
    m.put("glibc", r.glibc().toString());
    m.put("architectures", r.architectures().stream().map(Architecture::lambdaName).toList());
    m.put("layerPaths", r.layerPaths());
    m.put("deprecation", r.deprecation().map(LocalDate::toString).orElse(null));
    m.put("blockFunctionCreate", r.blockFunctionCreate().map(LocalDate::toString).orElse(null));
    m.put("blockFunctionUpdate", r.blockFunctionUpdate().map(LocalDate::toString).orElse(null));
    return m;
  }

  private void showOne(Target target) throws AccretionException {
    Map<String, Object> out = row(target.runtime());
    out.put("architecture", target.architecture().lambdaName());
    if (target.runtime().language() == Language.PYTHON) {
      PythonTarget python = PythonTarget.of(target);
      out.put("pythonFullVersion", python.pythonFullVersion());
      out.put("markerEnvironment", python.markerEnvironment());
      out.put("tags", python.tags().stream().map(Tag::toString).toList());
    }
    if (json) {
      context.out().println(JsonOutput.write(out));
      return;
    }
    var w = context.out();
    w.println(target.runtime().describe() + " on " + target.architecture().lambdaName());
    w.println("  layer paths: " + String.join(", ", target.runtime().layerPaths()));
    target.runtime().deprecation().ifPresent(d -> w.println("  deprecation: " + d));
    if (out.containsKey("tags")) {
      @SuppressWarnings("unchecked")
      Map<String, String> markers = (Map<String, String>) out.get("markerEnvironment");
      w.println("  marker environment:");
      markers.forEach((k, v) -> w.println("    " + k + " = " + v));
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) out.get("tags");
      w.println("  wheel tags, best first (" + tags.size() + "):");
      for (String t : tags) {
        w.println("    " + t);
      }
    }
  }
}
