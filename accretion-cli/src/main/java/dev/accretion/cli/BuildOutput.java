package dev.accretion.cli;

import dev.accretion.app.Sizes;
import dev.accretion.app.build.BuildProjectResult;
import dev.accretion.app.build.BuildResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A build's result for people: per artifact a table of packages, largest first, and the budget. */
final class BuildOutput {
  private final Context context;

  BuildOutput(Context context) {
    this.context = context;
  }

  /** A project build: its prebuilt layers named, then each built layer as one build. */
  void print(BuildProjectResult result) {
    for (String layer : result.prebuilt()) {
      context.err().println(layer + ": a prebuilt artifact, nothing to build");
    }
    for (BuildResult r : result.layers()) {
      print(r);
    }
  }

  void print(BuildResult result) {
    PrintWriter out = context.out();
    int count = result.artifacts().size();
    String artifacts = count + (count == 1 ? " artifact" : " artifacts");
    if (result.fromCache()) {
      out.println(
          "Unchanged: layer "
              + result.layerName()
              + " ("
              + artifacts
              + ") from the cache in "
              + result.elapsedMillis()
              + " ms; nothing was resolved or assembled (--refresh builds again)");
    } else {
      out.println(
          "Built layer "
              + result.layerName()
              + ": "
              + artifacts
              + " in "
              + String.format(Locale.ROOT, "%.1f s", result.elapsedMillis() / 1000.0));
    }
    for (BuildResult.Artifact a : result.artifacts()) {
      out.println();
      out.println(
          "  "
              + relative(a.zip())
              + "  ("
              + String.join(", ", a.runtimes())
              + " on "
              + String.join(", ", a.architectures())
              + ")");
      packages(out, a);
      out.println("    sha256 " + a.sha256() + "  CodeSha256 " + a.codeSha256());
      for (String note : a.notes()) {
        out.println("    note: " + note);
      }
    }
  }

  private static void packages(PrintWriter out, BuildResult.Artifact a) {
    long limit = BuildResult.LAMBDA_UNZIPPED_BYTES;
    List<BuildResult.PackageSize> packages = new ArrayList<>(a.packages());
    packages.sort(
        Comparator.comparingLong(BuildResult.PackageSize::unzippedBytes)
            .reversed()
            .thenComparing(BuildResult.PackageSize::name));
    int width = "package".length();
    int versionWidth = "version".length();
    for (BuildResult.PackageSize p : packages) {
      width = Math.max(width, p.name().length());
      versionWidth = Math.max(versionWidth, p.version().length());
    }
    String row = "    %-" + width + "s  %-" + versionWidth + "s  %11s  %6s%n";
    out.printf(Locale.ROOT, row, "package", "version", "unzipped", "share");
    for (BuildResult.PackageSize p : packages) {
      out.printf(
          Locale.ROOT,
          row,
          p.name(),
          p.version(),
          Sizes.human(p.unzippedBytes()),
          percent(p.unzippedBytes(), limit));
    }
    out.printf(
        Locale.ROOT,
        "    total: %d packages, %s unzipped = %s of the 250 MiB budget%s; %s zipped%s%n",
        packages.size(),
        Sizes.human(a.unzippedBytes()),
        percent(a.unzippedBytes(), limit),
        a.budgetBytes() < limit ? " (" + Sizes.human(a.budgetBytes()) + " after --reserve)" : "",
        Sizes.human(a.zippedBytes()),
        a.needsS3Upload() ? " (over 50 MiB: needs S3 upload to publish)" : "");
  }

  private String relative(Path p) {
    Path abs = p.toAbsolutePath();
    return abs.startsWith(context.workingDirectory())
        ? context.workingDirectory().relativize(abs).toString()
        : abs.toString();
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f%%", part * 100.0 / whole);
  }
}
