package dev.accretion.app.runtimes;

import dev.accretion.app.Json;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.Tag;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Use cases {@code runtimes} and {@code runtimes RUNTIME}: the Lambda runtime matrix, and what a
 * layer for one target must match (for Python: the wheel tags in priority order and the marker
 * environment). Thread-safe.
 */
public final class ListRuntimes {
  /** The whole matrix; {@code today} decides which runtimes are deprecated. */
  public record Result(List<Runtime> runtimes, LocalDate today) {
    public Result {
      runtimes = List.copyOf(runtimes);
    }

    /** Whether {@code runtime} reached its deprecation date. */
    public boolean isDeprecated(Runtime runtime) {
      return runtime.deprecation().map(d -> !today.isBefore(d)).orElse(false);
    }

    /** The documented {@code runtimes --json} document: {@code {"runtimes": [...]}}. */
    public String toJson() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Runtime r : runtimes) {
        rows.add(row(r));
      }
      return Json.write(Map.of("runtimes", rows));
    }
  }

  /**
   * One target in detail.
   *
   * @param pythonFullVersion for a Python runtime, the full version markers use; else null
   * @param markerEnvironment for Python, the PEP 508 marker environment; else empty
   * @param tags for Python, the PEP 425 tags best first; else empty
   */
  public record Details(
      Target target,
      String pythonFullVersion,
      Map<String, String> markerEnvironment,
      List<String> tags) {
    public Details {
      markerEnvironment =
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(markerEnvironment));
      tags = List.copyOf(tags);
    }

    /** The documented {@code runtimes RUNTIME --json} document. */
    public String toJson() {
      Map<String, Object> out = row(target.runtime());
      out.put("architecture", target.architecture().lambdaName());
      if (pythonFullVersion != null) {
        out.put("pythonFullVersion", pythonFullVersion);
        out.put("markerEnvironment", markerEnvironment);
        out.put("tags", tags);
      }
      return Json.write(out);
    }
  }

  public Result list() throws AccretionException {
    RuntimeMatrix matrix = RuntimeMatrix.load();
    return new Result(matrix.all(), LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * @param architecture {@code x86_64} or {@code arm64}
   * @throws AccretionException a bad-input failure for an unknown runtime or architecture
   */
  public Details show(String runtime, String architecture) throws AccretionException {
    Target target = RuntimeMatrix.load().target(runtime, architecture);
    if (target.runtime().language() != dev.accretion.core.runtime.Language.PYTHON) {
      return new Details(target, null, Map.of(), List.of());
    }
    PythonTarget python = PythonTarget.of(target);
    return new Details(
        target,
        python.pythonFullVersion(),
        python.markerEnvironment(),
        python.tags().stream().map(Tag::toString).toList());
  }

  private static Map<String, Object> row(Runtime r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("language", r.language().name().toLowerCase(Locale.ROOT));
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
}
