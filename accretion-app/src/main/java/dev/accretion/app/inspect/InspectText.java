package dev.accretion.app.inspect;

import dev.accretion.aws.LambdaContents;
import dev.accretion.core.runtime.Target;
import dev.accretion.inspect.ElfFile;
import dev.accretion.inspect.EntrySize;
import dev.accretion.inspect.FolderSize;
import dev.accretion.inspect.FunctionReport;
import dev.accretion.inspect.LayerReport;
import dev.accretion.inspect.Problem;
import dev.accretion.inspect.ZipInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.FoundPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The human-readable {@code inspect} report (the JSON document says the same as data). */
final class InspectText {
  private static final int MAX_PACKAGES = 60;
  private static final int MAX_FOLDERS = 8;

  private InspectText() {}

  static String layer(LayerReport r, LambdaContents.LayerVersionContent layer) {
    StringBuilder out = new StringBuilder();
    header(out, r, layer);
    body(out, r, "  ");
    problems(out, r.problems());
    verdict(out, r.fit(), r.targets().stream().map(Target::toString).toList(), r.problems());
    return out.toString();
  }

  static String function(FunctionReport r, LambdaContents.FunctionContent f) {
    StringBuilder out = new StringBuilder();
    List<String[]> head = new ArrayList<>();
    head.add(new String[] {"Function", f.functionArn() == null ? f.name() : f.functionArn()});
    head.add(
        new String[] {
          "Runtime",
          (f.runtime() == null ? "none" : f.runtime())
              + " on "
              + f.architecture()
              + (r.target() == null
                  ? " (not checked: not in the runtime matrix)"
                  : r.target().toString().equals(f.runtime() + "/" + f.architecture())
                      ? ""
                      : " (checked as " + r.target() + ")")
        });
    head.add(
        new String[] {
          "Size",
          bytes(r.unzippedBytes())
              + " unzipped, "
              + percent(r.unzippedBytes(), ZipInspector.UNZIPPED_LIMIT)
              + " of Lambda's 250 MB (package and "
              + r.layers().size()
              + " layer(s))"
        });
    pairs(out, head);
    out.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "CONTENT", "ZIPPED", "UNZIPPED", "PACKAGES", "READ"});
    rows.add(row("-", "function package", r.code()));
    for (int i = 0; i < r.layers().size(); i++) {
      rows.add(row(String.valueOf(i + 1), r.layers().get(i).label(), r.layers().get(i)));
    }
    table(out, rows, "");
    List<LayerReport> all = new ArrayList<>();
    all.add(r.code());
    all.addAll(r.layers());
    for (int i = 0; i < all.size(); i++) {
      LayerReport l = all.get(i);
      out.append('\n')
          .append(i == 0 ? "Function package" : "Layer " + i + ": " + l.label())
          .append('\n');
      packages(out, l, "  ");
    }
    if (!r.overlaps().isEmpty()) {
      long differ = r.overlaps().stream().filter(o -> !o.identical()).count();
      out.append('\n')
          .append("Paths in more than one layer: ")
          .append(r.overlaps().size())
          .append(" (")
          .append(differ)
          .append(" with different content; the last layer's copy" + " wins)\n");
      List<String[]> o = new ArrayList<>();
      o.add(new String[] {"PATH", "LAYERS", "WINNER", "SAME"});
      r.overlaps().stream()
          .filter(x -> !x.identical())
          .limit(10)
          .forEach(
              x ->
                  o.add(
                      new String[] {
                        x.path(),
                        layerNumbers(r, x.layers()),
                        layerNumbers(r, List.of(x.winner())),
                        "no"
                      }));
      if (differ > 10) {
        o.add(new String[] {"... " + (differ - 10) + " more (see --json)", "", "", ""});
      }
      if (o.size() > 1) {
        table(out, o, "  ");
      }
    }
    if (!r.versionConflicts().isEmpty()) {
      out.append('\n').append("Packages in more than one version:\n");
      for (FunctionReport.VersionConflict c : r.versionConflicts()) {
        String copies =
            c.copies().stream()
                .map(x -> x.version() + " (" + where(r, x.layer()) + ")")
                .collect(Collectors.joining(", "));
        out.append("  ")
            .append(c.name())
            .append(": ")
            .append(copies)
            .append(" -> ")
            .append(c.winner().version())
            .append(" from ")
            .append(where(r, c.winner().layer()))
            .append(" is loaded")
            .append(c.mixed() ? "; the copies mix in one folder" : "")
            .append('\n');
      }
    }
    problems(out, r.problems());
    verdict(
        out,
        r.fit(),
        r.target() == null ? List.of() : List.of(r.target().toString()),
        r.problems());
    return out.toString();
  }

  private static String[] row(String n, String label, LayerReport l) {
    return new String[] {
      n,
      label,
      bytes(l.zippedBytes()),
      bytes(l.unzippedBytes()),
      String.valueOf(l.packages().size() + l.manifestOnly().size()),
      bytes(l.bytesRead()) + " in " + l.reads()
    };
  }

  private static String where(FunctionReport r, String label) {
    if (label.equals(r.code().label())) {
      return "function package";
    }
    for (int i = 0; i < r.layers().size(); i++) {
      if (r.layers().get(i).label().equals(label)) {
        return "layer " + (i + 1);
      }
    }
    return label;
  }

  private static String layerNumbers(FunctionReport r, List<String> labels) {
    return labels.stream()
        .map(l -> where(r, l).replace("layer ", ""))
        .collect(Collectors.joining(","));
  }

  private static void header(
      StringBuilder out, LayerReport r, LambdaContents.LayerVersionContent layer) {
    List<String[]> head = new ArrayList<>();
    head.add(new String[] {layer == null ? "Zip" : "Layer", r.label()});
    if (layer != null && !layer.compatibleRuntimes().isEmpty()) {
      head.add(
          new String[] {
            "Declares",
            String.join(", ", layer.compatibleRuntimes())
                + (layer.compatibleArchitectures().isEmpty()
                    ? ""
                    : " on " + String.join(", ", layer.compatibleArchitectures()))
          });
    }
    if (r.remote()) {
      head.add(new String[] {"Read", read(r)});
    }
    head.add(
        new String[] {
          "Size",
          String.format(
              Locale.ROOT,
              "%s zipped, %s unzipped (%s of 250 MB), %,d files",
              bytes(r.zippedBytes()),
              bytes(r.unzippedBytes()),
              percent(r.unzippedBytes(), ZipInspector.UNZIPPED_LIMIT),
              r.files())
        });
    head.add(
        new String[] {
          "Manifest",
          r.manifest() == null
              ? "none (not built by Accretion)"
              : r.manifest().path()
                  + " ("
                  + r.manifest().schema()
                  + ", layer "
                  + r.manifest().layer()
                  + ")"
        });
    head.add(
        new String[] {
          "Targets",
          r.targets().isEmpty()
              ? "none (give --runtime and --arch to check whether it runs)"
              : r.targets().stream().map(Target::toString).collect(Collectors.joining(", "))
        });
    pairs(out, head);
  }

  private static String read(LayerReport r) {
    if (r.downloadedWhole()) {
      return bytes(r.bytesRead()) + " (the server does not serve ranges: read whole)";
    }
    return String.format(
        Locale.ROOT,
        "%s of %s (%s) in %d %s",
        bytes(r.bytesRead()),
        bytes(r.zippedBytes()),
        percent(r.bytesRead(), r.zippedBytes()),
        r.reads(),
        r.reads() == 1 ? "read" : "reads");
  }

  private static void body(StringBuilder out, LayerReport r, String indent) {
    out.append('\n');
    packages(out, r, indent);
    out.append('\n').append("Folders\n");
    List<String[]> f = new ArrayList<>();
    f.add(new String[] {"FOLDER", "FILES", "UNZIPPED"});
    for (FolderSize s : r.folders().stream().limit(MAX_FOLDERS).toList()) {
      f.add(
          new String[] {
            s.path().isEmpty() ? "(root)" : s.path() + "/",
            String.format(Locale.ROOT, "%,d", s.files()),
            bytes(s.unzippedBytes())
          });
    }
    table(out, f, indent);
    out.append('\n').append("Largest files\n");
    List<String[]> l = new ArrayList<>();
    for (EntrySize e : r.largest().stream().limit(5).toList()) {
      l.add(new String[] {e.path(), bytes(e.unzippedBytes())});
    }
    table(out, l, indent);
    out.append('\n').append("Native code: ").append(native_(r)).append('\n');
  }

  private static String native_(LayerReport r) {
    if (r.elf().isEmpty()) {
      return "none"
          + (r.elfUnchecked() > 0
              ? " among the likely files (" + r.elfUnchecked() + " others not read)"
              : "");
    }
    Map<String, Integer> machines = new TreeMap<>();
    String newest = null;
    for (ElfFile e : r.elf()) {
      machines.merge(e.machine(), 1, Integer::sum);
      if (e.glibc() != null
          && (newest == null
              || dev.accretion.core.elf.ElfVersion.of(e.glibc())
                      .compareTo(dev.accretion.core.elf.ElfVersion.of(newest))
                  > 0)) {
        newest = e.glibc();
      }
    }
    return r.elf().size()
        + " ELF file(s): "
        + machines.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "))
        + (newest == null ? "" : "; newest glibc symbol needed: GLIBC_" + newest);
  }

  private static void packages(StringBuilder out, LayerReport r, String indent) {
    List<FoundPackage> all = new ArrayList<>(r.packages());
    all.addAll(r.manifestOnly());
    String from =
        r.manifest() == null
            ? "from the content"
            : "from the content and Accretion's" + " manifest";
    out.append(indent.isEmpty() ? "" : "")
        .append("Packages (")
        .append(all.size())
        .append(", ")
        .append(from)
        .append(")\n");
    if (all.isEmpty()) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "VERSION", "TYPE", "SIZE", "WHERE"});
    for (FoundPackage p : all.stream().limit(MAX_PACKAGES).toList()) {
      Object nested = p.facts().get("nestedIn");
      Object installer = p.facts().get("installer");
      rows.add(
          new String[] {
            p.name(),
            p.version().isEmpty() ? "?" : p.version(),
            p.ecosystem() + (installer == null ? "" : "/" + installer),
            bytes(p.unzippedBytes()),
            nested != null ? p.location() + " (nested)" : p.location()
          });
    }
    if (all.size() > MAX_PACKAGES) {
      rows.add(
          new String[] {
            "... " + (all.size() - MAX_PACKAGES) + " more (see --json)", "", "", "", ""
          });
    }
    table(out, rows, indent);
  }

  private static void problems(StringBuilder out, List<Problem> problems) {
    out.append('\n');
    if (problems.isEmpty()) {
      out.append("Problems: none\n");
      return;
    }
    out.append("Problems: ").append(summary(problems)).append('\n');
    for (Problem p : problems) {
      out.append("  ")
          .append(String.format(Locale.ROOT, "%-8s", p.severity().name().toLowerCase(Locale.ROOT)));
      if (p.target() != null) {
        out.append('[').append(p.target()).append("] ");
      }
      if (p.layer() != null) {
        out.append('(').append(p.layer()).append(") ");
      }
      out.append(p.message()).append('\n');
      if (p.advice() != null) {
        out.append("          -> ").append(p.advice()).append('\n');
      }
    }
  }

  private static void verdict(
      StringBuilder out, boolean fit, List<String> targets, List<Problem> problems) {
    out.append('\n');
    String on = targets.isEmpty() ? "" : " for " + String.join(", ", targets);
    if (fit) {
      out.append("Fit").append(on).append(": no errors.\n");
    } else {
      long errors = problems.stream().filter(Problem::isError).count();
      out.append("Unfit")
          .append(on)
          .append(": ")
          .append(errors)
          .append(errors == 1 ? " error" : " errors")
          .append(".\n");
    }
  }

  private static String summary(List<Problem> problems) {
    long e = problems.stream().filter(p -> p.severity() == ContentProblem.Severity.ERROR).count();
    long w = problems.stream().filter(p -> p.severity() == ContentProblem.Severity.WARNING).count();
    long n = problems.stream().filter(p -> p.severity() == ContentProblem.Severity.NOTE).count();
    return e
        + (e == 1 ? " error, " : " errors, ")
        + w
        + (w == 1 ? " warning, " : " warnings, ")
        + n
        + (n == 1 ? " note" : " notes");
  }

  private static void pairs(StringBuilder out, List<String[]> rows) {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] r : rows) {
      out.append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
    }
  }

  private static void table(StringBuilder out, List<String[]> rows, String indent) {
    if (rows.isEmpty()) {
      return;
    }
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /** 1,234 B / 12.3 KB / 4.5 MB (decimal units, as Lambda's limits are stated). */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    if (n < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f KB", n / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", n / 1_000_000.0);
  }

  private static String percent(long part, long whole) {
    if (whole <= 0) {
      return "0%";
    }
    double p = 100.0 * part / whole;
    return p < 0.1 && part > 0 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", p);
  }
}
