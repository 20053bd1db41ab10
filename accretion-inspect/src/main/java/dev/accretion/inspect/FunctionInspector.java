package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.FoundPackage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Inspects a function the way Lambda assembles it: its package in {@code /var/task}, its layers
 * extracted into {@code /opt} one after the other (a later layer's file replaces an earlier one's
 * at the same path). Reports the paths several layers provide and which copy wins, the packages
 * present in more than one version and which one the runtime loads, the total unzipped size against
 * Lambda's 250 MB, and every layer's own problems for the function's runtime and architecture.
 * Thread-safe.
 */
public final class FunctionInspector {
  private static final int EXAMPLES = 3;

  private final ZipInspector zips;
  private final RuntimeMatrix matrix;

  public FunctionInspector(ZipInspector zips, RuntimeMatrix matrix) {
    this.zips = Objects.requireNonNull(zips, "zips");
    this.matrix = Objects.requireNonNull(matrix, "matrix");
  }

  /**
   * Inspects the function.
   *
   * @throws AccretionException if a zip cannot be read (see {@link ZipInspector#inspect})
   */
  public FunctionReport inspect(FunctionRequest request) throws AccretionException {
    List<Target> targets = request.target() == null ? List.of() : List.of(request.target());
    LayerReport code =
        zips.inspect(new LayerRequest(request.code(), true, targets, List.of(), false));
    List<LayerReport> layers = new ArrayList<>();
    for (ZipSource layer : request.layers()) {
      layers.add(zips.inspect(new LayerRequest(layer, false, targets, List.of(), false)));
    }
    List<Problem> problems = new ArrayList<>();
    for (Problem p : code.problems()) {
      problems.add(p.inLayer(code.label()));
    }
    for (LayerReport l : layers) {
      for (Problem p : l.problems()) {
        problems.add(p.inLayer(l.label()));
      }
    }
    String targetName = request.target() == null ? null : request.target().toString();

    List<FunctionReport.Overlap> overlaps = overlaps(layers);
    for (ContentProblem p : overlapProblems(overlaps)) {
      problems.add(Problem.of(p, null, null));
    }
    List<FunctionReport.VersionConflict> conflicts = new ArrayList<>();
    for (ContentProblem p : versionConflicts(request.target(), code, layers, conflicts)) {
      problems.add(Problem.of(p, targetName, null));
    }

    long total = code.unzippedBytes();
    for (LayerReport l : layers) {
      total += l.unzippedBytes();
    }
    if (total > ZipInspector.UNZIPPED_LIMIT) {
      problems.add(
          Problem.of(
              ContentProblem.error(
                  "function-too-large",
                  null,
                  null,
                  request.name()
                      + " and its "
                      + layers.size()
                      + " layer(s) unzip to "
                      + total
                      + " bytes, more than Lambda's "
                      + ZipInspector.UNZIPPED_LIMIT
                      + " (250 MB)",
                  "drop what the runtime provides or what two layers both carry, or move large"
                      + " dependencies to EFS"),
              null,
              null));
    }
    if (request.target() == null) {
      problems.add(
          Problem.of(
              ContentProblem.note(
                  "no-target",
                  null,
                  null,
                  "runtime "
                      + (request.runtime() == null
                          ? "(none: a container image?)"
                          : request.runtime())
                      + " is not in Accretion's runtime matrix, so nothing"
                      + " was checked against it",
                  "give --runtime and --arch to check against a managed runtime"),
              null,
              null));
    }
    problems.sort(Comparator.comparing(Problem::severity));
    return new FunctionReport(
        request.name(),
        request.runtime(),
        request.target(),
        code,
        layers,
        overlaps,
        conflicts,
        total,
        problems);
  }

  private static List<FunctionReport.Overlap> overlaps(List<LayerReport> layers) {
    Map<String, List<Integer>> where = new TreeMap<>();
    Map<String, List<ContentEntry>> copies = new HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      for (ContentEntry e : layers.get(i).entries()) {
        if (e.kind() == ContentEntry.Kind.DIRECTORY) {
          continue;
        }
        List<Integer> in = where.computeIfAbsent(e.path(), k -> new ArrayList<>());
        if (!in.contains(i)) {
          in.add(i);
          copies.computeIfAbsent(e.path(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    List<Map<String, String>> owners = new ArrayList<>();
    for (LayerReport l : layers) {
      Map<String, String> m = new HashMap<>();
      for (FoundPackage p : l.packages()) {
        for (String f : p.files()) {
          m.putIfAbsent(f, p.label());
        }
      }
      owners.add(m);
    }
    List<FunctionReport.Overlap> out = new ArrayList<>();
    where.forEach(
        (path, in) -> {
          if (in.size() < 2) {
            return;
          }
          List<ContentEntry> es = copies.get(path);
          boolean identical =
              es.stream()
                  .allMatch(
                      e ->
                          e.size() == es.get(0).size()
                              && e.crc32() == es.get(0).crc32()
                              && e.kind() == es.get(0).kind());
          int last = in.get(in.size() - 1);
          out.add(
              new FunctionReport.Overlap(
                  path,
                  in.stream().map(i -> layers.get(i).label()).toList(),
                  layers.get(last).label(),
                  identical,
                  owners.get(last).get(path)));
        });
    return out;
  }

  /** One problem per group of overlapping paths (same layers, same owner, same sameness). */
  private static List<ContentProblem> overlapProblems(List<FunctionReport.Overlap> overlaps) {
    Map<List<Object>, List<FunctionReport.Overlap>> groups = new LinkedHashMap<>();
    for (FunctionReport.Overlap o : overlaps) {
      String owner = o.packageName() != null ? o.packageName() : topFolders(o.path());
      groups
          .computeIfAbsent(List.of(o.layers(), owner, o.identical()), k -> new ArrayList<>())
          .add(o);
    }
    List<ContentProblem> out = new ArrayList<>();
    groups.forEach(
        (key, group) -> {
          FunctionReport.Overlap first = group.get(0);
          String what =
              first.packageName() != null
                  ? group.size() + " file(s) of " + first.packageName()
                  : group.size() + " file(s) under " + topFolders(first.path());
          List<String> examples =
              group.stream().limit(EXAMPLES).map(FunctionReport.Overlap::path).toList();
          String layers = String.join(", ", first.layers());
          String message =
              what
                  + " ("
                  + String.join(", ", examples)
                  + (group.size() > EXAMPLES ? ", ..." : "")
                  + ") are in "
                  + first.layers().size()
                  + " layers ("
                  + layers
                  + ")"
                  + (first.identical()
                      ? " with the same content"
                      : "; the copies differ and the function sees those of "
                          + first.winner()
                          + ", the last of them");
          out.add(
              first.identical()
                  ? ContentProblem.note(
                      "overlap-identical",
                      first.path(),
                      first.packageName(),
                      message,
                      "one layer is enough to carry them")
                  : ContentProblem.warning(
                      "overlap",
                      first.path(),
                      first.packageName(),
                      message,
                      "keep each file in one layer, or make sure the later layer's copy is the"
                          + " one you want"));
        });
    return out;
  }

  private static String topFolders(String path) {
    String[] parts = path.split("/");
    return parts.length <= 2
        ? (parts.length == 1 ? "/" : parts[0] + "/")
        : parts[0] + "/" + parts[1] + "/";
  }

  private record Held(
      int order, boolean code, int layer, String label, FoundPackage found, int rootRank) {}

  private List<ContentProblem> versionConflicts(
      Target target,
      LayerReport code,
      List<LayerReport> layers,
      List<FunctionReport.VersionConflict> conflicts) {
    Map<String, ContentInspector> byEcosystem = new HashMap<>();
    for (ContentInspector i : zips.inspectors().all()) {
      byEcosystem.putIfAbsent(i.ecosystem(), i);
    }
    Map<String, List<Held>> groups = new TreeMap<>();
    List<LayerReport> all = new ArrayList<>();
    all.add(code);
    all.addAll(layers);
    int order = 0;
    for (int i = 0; i < all.size(); i++) {
      boolean isCode = i == 0;
      for (FoundPackage p : all.get(i).packages()) {
        ContentInspector inspector = byEcosystem.get(p.ecosystem());
        if (inspector == null) {
          continue;
        }
        int rank = rank(inspector, target, isCode, p.root());
        if (rank < 0) {
          continue; // not where the runtime looks (nested, vendored): not a competing copy
        }
        String name = p.ecosystem().equals("pypi") ? Purls.pypiName(p.name()) : p.name();
        groups
            .computeIfAbsent(p.ecosystem() + ":" + name, k -> new ArrayList<>())
            .add(new Held(order++, isCode, i - 1, all.get(i).label(), p, rank));
      }
    }
    List<ContentProblem> out = new ArrayList<>();
    for (List<Held> copies : groups.values()) {
      Set<String> versions = new LinkedHashSet<>();
      copies.forEach(h -> versions.add(h.found().version()));
      if (versions.size() < 2) {
        continue;
      }
      Held winner =
          copies.stream()
              .min(
                  Comparator.comparing((Held h) -> !h.code())
                      .thenComparingInt(Held::rootRank)
                      .thenComparing(Comparator.comparingInt(Held::layer).reversed()))
              .orElseThrow();
      boolean mixed = false;
      for (Held a : copies) {
        for (Held b : copies) {
          if (a != b
              && !a.code()
              && !b.code()
              && a.found().root().equals(b.found().root())
              && !a.found().version().equals(b.found().version())) {
            mixed = true;
          }
        }
      }
      FoundPackage w = winner.found();
      List<FunctionReport.Copy> list =
          copies.stream()
              .map(
                  h ->
                      new FunctionReport.Copy(h.label(), h.found().version(), h.found().location()))
              .toList();
      conflicts.add(
          new FunctionReport.VersionConflict(
              w.ecosystem(),
              w.name(),
              list,
              new FunctionReport.Copy(winner.label(), w.version(), w.location()),
              mixed));
      StringBuilder others = new StringBuilder();
      for (Held h : copies) {
        if (h != winner) {
          if (!others.isEmpty()) {
            others.append(", ");
          }
          others.append(h.found().version()).append(" in ").append(h.label());
        }
      }
      if (mixed) {
        String root =
            copies.stream().filter(h -> !h.code()).findFirst().orElseThrow().found().root();
        out.add(
            ContentProblem.error(
                "two-versions",
                w.location(),
                w.label(),
                w.name()
                    + " is in "
                    + versions.size()
                    + " versions ("
                    + w.version()
                    + " in "
                    + winner.label()
                    + "; "
                    + others
                    + ") and both end up in /opt/"
                    + root
                    + ": files they share come from "
                    + winner.label()
                    + " (extracted later), the rest of both stay, a mix of two versions",
                "keep " + w.name() + " in one layer only, or the same version in every layer"));
      } else {
        out.add(
            ContentProblem.warning(
                "shadowed-version",
                w.location(),
                w.label(),
                w.name()
                    + " "
                    + w.version()
                    + " in "
                    + winner.label()
                    + " hides "
                    + others
                    + (winner.code()
                        ? " (the function's own package is searched first)"
                        : " (" + w.root() + " is searched first)"),
                "keep one version of "
                    + w.name()
                    + ", or make sure "
                    + w.version()
                    + " is the one you want"));
      }
    }
    return out;
  }

  /** Where a package's folder comes in the runtime's search order; -1 if it is not searched. */
  private int rank(ContentInspector inspector, Target target, boolean code, String root) {
    if (target != null) {
      if (target.runtime().language() != inspector.language()) {
        return -1;
      }
      return inspector.searchPath(target.runtime(), code).indexOf(root);
    }
    for (Runtime r : matrix.all(inspector.language())) {
      if (inspector.searchPath(r, code).contains(root)) {
        return 0;
      }
    }
    return -1;
  }
}
