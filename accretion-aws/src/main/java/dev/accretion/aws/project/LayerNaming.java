package dev.accretion.aws.project;

import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one project layer with several targets becomes Lambda layers. A Lambda layer version holds
 * one zip and lists the runtimes and architectures it is compatible with, so:
 *
 * <ol>
 *   <li>A zip that serves several runtimes is <b>one</b> version listing all of them (a pure-Python
 *       layer for python3.12 and python3.13 is one layer, one version).
 *   <li>A layer configured for <b>one</b> architecture keeps its name: {@code web-deps}. A layer
 *       configured for <b>both</b> is always split by architecture, named {@code <layer>-x86_64}
 *       and {@code <layer>-arm64}, even when one zip happens to serve both (the names then do not
 *       move when a native package arrives later); each lists only its architecture.
 *   <li>Within one architecture, when the zips differ by runtime (native wheels for each Python),
 *       each zip is its own layer, named after the lowest runtime it serves with the dot dropped:
 *       {@code <layer>-python311}, {@code <layer>-python312} (and with rule 2 {@code
 *       <layer>-python311-arm64}). A zip serving python3.12 and python3.13 is {@code
 *       <layer>-python312} and lists both.
 * </ol>
 *
 * Every target of the layer ({@code runtimes × architectures}) must be served by exactly one zip;
 * targets a zip serves beyond the layer's are left out of its compatible lists. Derived names are
 * checked like any layer name (at most 140 characters). Stateless.
 */
public final class LayerNaming {
  private LayerNaming() {}

  /** One Lambda layer to publish: its name, its zip, and what it is listed as compatible with. */
  public record Planned(
      String layerName, BuiltArtifact artifact, List<String> runtimes, List<String> architectures) {
    public Planned {
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
    }
  }

  /** {@code python3.12} → {@code python312} (layer names allow no dots). */
  public static String runtimeSuffix(String runtime) {
    return runtime.replace(".", "");
  }

  /**
   * The Lambda layers of a project layer, in the order of its architectures, then its runtimes.
   *
   * @throws AccretionException when a target is served by no zip or by two, or a zip serves none of
   *     the layer's targets
   */
  public static List<Planned> plan(ProjectFile.LayerConfig layer, List<BuiltArtifact> artifacts)
      throws AccretionException {
    List<String> problems = new ArrayList<>();
    // what each artifact serves of the layer's targets, in the layer's order
    Map<BuiltArtifact, List<String>> runtimesOf = new LinkedHashMap<>();
    Map<BuiltArtifact, List<String>> archsOf = new LinkedHashMap<>();
    for (BuiltArtifact a : artifacts) {
      List<String> r = layer.runtimes().stream().filter(a.runtimes()::contains).toList();
      List<String> x = layer.architectures().stream().filter(a.architectures()::contains).toList();
      if (r.isEmpty() || x.isEmpty()) {
        problems.add(
            a.zip().getFileName()
                + " serves "
                + String.join(", ", a.runtimes())
                + " on "
                + String.join(", ", a.architectures())
                + ", none of the layer's targets ("
                + String.join(", ", layer.runtimes())
                + " on "
                + String.join(", ", layer.architectures())
                + ")");
        continue;
      }
      runtimesOf.put(a, r);
      archsOf.put(a, x);
    }
    for (String arch : layer.architectures()) {
      for (String runtime : layer.runtimes()) {
        List<BuiltArtifact> serving =
            runtimesOf.keySet().stream()
                .filter(a -> runtimesOf.get(a).contains(runtime) && archsOf.get(a).contains(arch))
                .toList();
        if (serving.isEmpty()) {
          problems.add("no zip serves " + runtime + " on " + arch);
        } else if (serving.size() > 1) {
          problems.add(
              serving.get(0).zip().getFileName()
                  + " and "
                  + serving.get(1).zip().getFileName()
                  + " both serve "
                  + runtime
                  + " on "
                  + arch
                  + " (one zip per target)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AccretionException(layer.where() + ": " + String.join("; ", problems));
    }
    boolean splitByArch = layer.architectures().size() > 1;
    List<Planned> out = new ArrayList<>();
    for (String arch : layer.architectures()) {
      List<BuiltArtifact> forArch =
          runtimesOf.keySet().stream()
              .filter(a -> archsOf.get(a).contains(arch))
              .sorted(
                  java.util.Comparator.comparingInt(
                      a -> layer.runtimes().indexOf(runtimesOf.get(a).get(0))))
              .toList();
      for (BuiltArtifact a : forArch) {
        String name = layer.name();
        if (forArch.size() > 1) {
          name += "-" + runtimeSuffix(runtimesOf.get(a).get(0));
        }
        if (splitByArch) {
          name += "-" + arch;
        }
        out.add(new Planned(name, a, runtimesOf.get(a), List.of(arch)));
      }
    }
    return out;
  }
}
