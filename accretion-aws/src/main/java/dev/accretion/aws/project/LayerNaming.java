package dev.accretion.aws.project;

import dev.accretion.aws.LambdaLayerNames;
import dev.accretion.aws.SsmParameterNames;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
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
 * checked like any layer name (at most 140 characters). The read commands find these Lambda layers
 * again from the project layer's name and a target ({@link LambdaLayerNames}, {@link
 * dev.accretion.aws.LayerCatalog#locate}). The layer's {@code ssm-parameter} must give each Lambda
 * layer its own parameters ({@link SsmParameterNames}). Stateless.
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
    return LambdaLayerNames.runtimeSuffix(runtime);
  }

  /**
   * The Lambda layers of a project layer, in the order of its architectures, then its runtimes.
   *
   * @throws AccretionException when a target is served by no zip or by two, or a zip serves none of
   *     the layer's targets, or two Lambda layers would write one SSM parameter (all {@link
   *     FailureKind#BAD_INPUT})
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
      throw new AccretionException(
          FailureKind.BAD_INPUT, layer.where() + ": " + String.join("; ", problems));
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
        String name =
            LambdaLayerNames.derive(
                layer.name(),
                forArch.size() > 1 ? runtimesOf.get(a).get(0) : null,
                splitByArch ? arch : null);
        out.add(new Planned(name, a, runtimesOf.get(a), List.of(arch)));
      }
    }
    checkSsmParameters(layer, out);
    return out;
  }

  /**
   * A parameter is written by one Lambda layer only: the layer's {@code ssm-parameter} pattern must
   * give different names to targets that different Lambda layers serve (see {@link
   * SsmParameterNames}).
   */
  private static void checkSsmParameters(ProjectFile.LayerConfig layer, List<Planned> planned)
      throws AccretionException {
    String pattern = layer.ssmParameterName();
    if (pattern == null || planned.size() < 2) {
      return;
    }
    Map<String, Planned> writer = new LinkedHashMap<>();
    for (Planned p : planned) {
      for (String name : SsmParameterNames.expand(pattern, p.runtimes(), p.architectures())) {
        Planned other = writer.putIfAbsent(name, p);
        if (other != null && other != p) {
          // what tells the layer's Lambda layers apart, and is not in the name yet
          List<String> missing = new ArrayList<>();
          if (!pattern.contains(SsmParameterNames.RUNTIME)
              && planned.stream().map(Planned::runtimes).distinct().count() > 1) {
            missing.add(SsmParameterNames.RUNTIME);
          }
          if (!pattern.contains(SsmParameterNames.ARCH)
              && planned.stream().map(Planned::architectures).distinct().count() > 1) {
            missing.add(SsmParameterNames.ARCH);
          }
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              layer.where()
                  + ": ssm-parameter '"
                  + pattern
                  + "' would be written by both Lambda layers "
                  + other.layerName()
                  + " and "
                  + p.layerName()
                  + " (the layer's targets need "
                  + planned.size()
                  + " zips)",
              "put "
                  + String.join(" and ", missing)
                  + " in the name to give each target its own parameter, e.g. '"
                  + suggestion(pattern)
                  + "'",
              null);
        }
      }
    }
  }

  private static String suggestion(String pattern) {
    String base = pattern.replace("/" + SsmParameterNames.RUNTIME, "");
    base = base.replace("/" + SsmParameterNames.ARCH, "");
    int slash = base.lastIndexOf('/');
    String head = slash < 0 ? "" : base.substring(0, slash);
    String tail = slash < 0 ? base : base.substring(slash + 1);
    return head + "/" + SsmParameterNames.RUNTIME + "/" + SsmParameterNames.ARCH + "/" + tail;
  }
}
