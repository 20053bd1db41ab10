package dev.accretion.pipeline;

import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.LayerFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Says why targets of one build could not share a zip: for each group of targets after the first,
 * what differs from the first group (files only in one, files with other content or mode, packages
 * in other versions or files, notes). One line per group, a few examples per kind of difference.
 */
final class Splits {
  private static final int EXAMPLES = 3;

  private Splits() {}

  /** One line per group after the first; empty for a single group. */
  static List<String> explain(List<List<TargetLayout>> groups) {
    List<String> lines = new ArrayList<>();
    if (groups.size() < 2) {
      return lines;
    }
    TargetLayout base = groups.get(0).get(0);
    for (List<TargetLayout> group : groups.subList(1, groups.size())) {
      TargetLayout other = group.get(0);
      List<String> parts = differences(base, other);
      lines.add(
          names(groups.get(0))
              + " and "
              + names(group)
              + " need separate zips: "
              + (parts.isEmpty() ? "their manifests differ" : String.join("; ", parts)));
    }
    return lines;
  }

  private static String names(List<TargetLayout> group) {
    return String.join("+", group.stream().map(l -> l.target().toString()).toList());
  }

  private static List<String> differences(TargetLayout a, TargetLayout b) {
    List<String> parts = new ArrayList<>();
    Map<String, LayerFile> fa = byPath(a.files());
    Map<String, LayerFile> fb = byPath(b.files());
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, LayerFile> e : fa.entrySet()) {
      LayerFile other = fb.get(e.getKey());
      if (other == null) {
        onlyA.add(e.getKey());
      } else if (!other.sha256().equals(e.getValue().sha256())) {
        changed.add(e.getKey() + " (other content)");
      } else if (other.executable() != e.getValue().executable()) {
        changed.add(e.getKey() + " (other mode)");
      }
    }
    for (String p : fb.keySet()) {
      if (!fa.containsKey(p)) {
        onlyB.add(p);
      }
    }
    Map<String, String> pa = packages(a);
    Map<String, String> pb = packages(b);
    List<String> packages = new ArrayList<>();
    for (String name : new TreeSet<>(pa.keySet())) {
      String va = pa.get(name);
      String vb = pb.get(name);
      if (vb == null) {
        packages.add(name + " only for " + a.target());
      } else if (!va.equals(vb)) {
        packages.add(name + " " + va + " vs " + vb);
      }
    }
    for (String name : new TreeSet<>(pb.keySet())) {
      if (!pa.containsKey(name)) {
        packages.add(name + " only for " + b.target());
      }
    }
    add(parts, "packages differ", packages);
    add(parts, "files differ", changed);
    add(parts, "files only for " + a.target(), onlyA);
    add(parts, "files only for " + b.target(), onlyB);
    List<String> notes = new ArrayList<>();
    for (String n : a.notes()) {
      if (!b.notes().contains(n)) {
        notes.add(n);
      }
    }
    for (String n : b.notes()) {
      if (!a.notes().contains(n)) {
        notes.add(n);
      }
    }
    add(parts, "notes differ", notes);
    return parts;
  }

  private static void add(List<String> parts, String what, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    List<String> shown = items.subList(0, Math.min(EXAMPLES, items.size()));
    parts.add(
        what
            + " ("
            + items.size()
            + "): "
            + String.join(", ", shown)
            + (items.size() > shown.size() ? ", ..." : ""));
  }

  private static Map<String, LayerFile> byPath(List<LayerFile> files) {
    Map<String, LayerFile> m = new TreeMap<>();
    for (LayerFile f : files) {
      m.put(f.path(), f);
    }
    return m;
  }

  /** Package name to "version (file digest)", to compare what two targets install. */
  private static Map<String, String> packages(TargetLayout l) {
    Map<String, String> m = new LinkedHashMap<>();
    for (TargetLayout.Installed p : l.packages()) {
      m.put(
          p.resolved().name(),
          p.resolved().version()
              + (p.fetched() == null ? "" : " (" + p.fetched().source().filename() + ")"));
    }
    return m;
  }

  /** The targets of each group, for events. */
  static List<List<Target>> targets(List<List<TargetLayout>> groups) {
    List<List<Target>> out = new ArrayList<>();
    for (List<TargetLayout> g : groups) {
      out.add(g.stream().map(TargetLayout::target).toList());
    }
    return out;
  }
}
