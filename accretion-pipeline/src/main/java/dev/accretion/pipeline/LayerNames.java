package dev.accretion.pipeline;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How layers and their files are named, for every language.
 *
 * <ul>
 *   <li>Layer name: {@code --name}, else the builder session's {@link
 *       dev.accretion.pipeline.spi.BuildSession#defaultName()} (a pyproject's project name, else
 *       the listing's folder); 1 to 64 of {@code [A-Za-z0-9_-]} (Lambda layer names allow those).
 *   <li>Artifact: {@code <name>-<runtime>-<arch>.zip} for one target. Targets whose files came out
 *       identical share one artifact named after all of them: {@code
 *       <name>-python3.12+python3.13-x86_64.zip}, {@code
 *       <name>-python3.12+python3.13-x86_64+arm64.zip} (runtimes in runtime-matrix order,
 *       architectures x86_64 before arm64); when the shared targets are not every combination of
 *       those runtimes and architectures, the pairs are listed: {@code
 *       <name>-python3.12-x86_64+python3.13-arm64.zip}.
 *   <li>Beside each zip, with the same base name: {@code .json} (manifest), {@code .cdx.json}
 *       (CycloneDX SBOM); and per target the lock file the builder names.
 *   <li>Inside each zip: the manifest at {@code accretion/<name>/manifest.json} (extracted to
 *       {@code /opt/accretion/<name>/manifest.json}, off every search path, one per layer name so
 *       several layers on one function keep theirs).
 * </ul>
 */
public final class LayerNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern INVALID_RUN = Pattern.compile("[^a-z0-9_-]+");

  private LayerNames() {}

  /** Whether {@code name} can name a layer. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Why {@code name} cannot name a layer, for messages. */
  public static String invalidMessage(String name) {
    return "layer name '"
        + name
        + "' is not valid: use 1 to 64 letters, digits, '-' or '_' (what Lambda layer names allow)";
  }

  /**
   * {@code text} made into a layer name: lower-cased, every run of characters outside {@code
   * [a-z0-9_-]} replaced by {@code -}, without leading or trailing {@code -}, at most 64
   * characters; empty if nothing is left.
   */
  public static String sanitize(String text) {
    String s = INVALID_RUN.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("-");
    s = s.replaceAll("^-+|-+$", "");
    if (s.length() > 64) {
      s = s.substring(0, 64).replaceAll("-+$", "");
    }
    return s;
  }

  /** Runtimes in runtime-matrix order, then x86_64 before arm64. */
  public static Comparator<Target> targetOrder() {
    List<String> ids = RuntimeMatrix.load().all().stream().map(r -> r.id()).toList();
    return Comparator.comparingInt((Target t) -> indexOf(ids, t.runtime().id()))
        .thenComparing(t -> t.runtime().id())
        .thenComparing(Target::architecture);
  }

  private static int indexOf(List<String> ids, String id) {
    int i = ids.indexOf(id);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** The base file name (no extension) of the artifact serving {@code targets}. */
  public static String artifactBase(String name, List<Target> targets) {
    List<Target> sorted = new ArrayList<>(targets);
    sorted.sort(targetOrder());
    Set<String> runtimes = new LinkedHashSet<>();
    Set<Architecture> architectures = new LinkedHashSet<>();
    for (Target t : sorted) {
      runtimes.add(t.runtime().id());
      architectures.add(t.architecture());
    }
    List<Architecture> arches = new ArrayList<>(architectures);
    arches.sort(Comparator.naturalOrder());
    if (runtimes.size() * arches.size() == sorted.size()) {
      return name
          + "-"
          + String.join("+", runtimes)
          + "-"
          + String.join("+", arches.stream().map(Architecture::lambdaName).toList());
    }
    List<String> pairs = new ArrayList<>();
    for (Target t : sorted) {
      pairs.add(t.runtime().id() + "-" + t.architecture().lambdaName());
    }
    return name + "-" + String.join("+", pairs);
  }

  /** The manifest's path inside the layer: {@code accretion/<name>/manifest.json}. */
  public static String manifestPath(String name) {
    return "accretion/" + name + "/manifest.json";
  }
}
