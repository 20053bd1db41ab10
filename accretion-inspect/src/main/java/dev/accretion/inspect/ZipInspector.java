package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.ContentReport;
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
import java.util.TreeSet;

/**
 * Inspects one zip, a layer or a function's own package: what it holds (Accretion's manifest when
 * present, the packages every {@link ContentInspector} recognizes, sizes, folders, the largest
 * files, every ELF file) and whether it runs on each requested target. Reads the zip's central
 * directory and then only the entries it needs. Thread-safe; one instance may inspect many zips.
 */
public final class ZipInspector {
  /** Lambda's limit on the unzipped size of a function and all its layers: 250 MB. */
  public static final long UNZIPPED_LIMIT = 262_144_000L;

  /** The size of a zip Lambda takes in a direct upload; larger ones go through S3. */
  public static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

  private static final int LARGEST = 10;

  private final ContentInspectors inspectors;
  private final RuntimeMatrix matrix;

  public ZipInspector(ContentInspectors inspectors, RuntimeMatrix matrix) {
    this.inspectors = Objects.requireNonNull(inspectors, "inspectors");
    this.matrix = Objects.requireNonNull(matrix, "matrix");
  }

  /** With the inspectors on the class path and the bundled runtime matrix. */
  public static ZipInspector standard() {
    return new ZipInspector(ContentInspectors.load(), RuntimeMatrix.load());
  }

  ContentInspectors inspectors() {
    return inspectors;
  }

  /**
   * Inspects one zip.
   *
   * @throws AccretionException {@link dev.accretion.core.FailureKind#BAD_INPUT} if it is not a zip,
   *     {@link dev.accretion.core.FailureKind#UNREACHABLE} if a remote zip cannot be read
   */
  public LayerReport inspect(LayerRequest request) throws AccretionException {
    ZipSource source = request.source();
    ZipDirectory directory = ZipDirectory.read(source);
    ZipContent content = new ZipContent(source, directory, request.functionCode());
    List<ContentProblem> general = new ArrayList<>();
    for (String odd : directory.oddities()) {
      general.add(ContentProblem.warning("odd-entry", null, null, "the zip has " + odd, null));
    }

    ManifestReader.Found manifests = ManifestReader.read(content);
    general.addAll(manifests.problems());
    LayerManifest manifest = manifests.manifests().isEmpty() ? null : manifests.manifests().get(0);

    Map<ContentInspector, ContentReport> reports = new LinkedHashMap<>();
    List<FoundPackage> packages = new ArrayList<>();
    for (ContentInspector inspector : inspectors.all()) {
      ContentReport report = inspector.inspect(content);
      reports.put(inspector, report);
      packages.addAll(report.packages());
      general.addAll(report.problems());
    }
    Map<String, String> owners = new HashMap<>();
    for (FoundPackage p : packages) {
      for (String f : p.files()) {
        owners.putIfAbsent(f, p.label());
      }
    }
    List<FoundPackage> manifestOnly = new ArrayList<>();
    if (manifest != null) {
      general.addAll(compare(manifest, packages, manifestOnly));
    }

    NativeCode.Scan scan = NativeCode.scan(content, owners::get);
    general.addAll(NativeCode.unreadable(scan.files()));

    long unzipped = 0;
    int files = 0;
    int directories = 0;
    int symlinks = 0;
    for (ContentEntry e : content.entries()) {
      switch (e.kind()) {
        case FILE -> {
          files++;
          unzipped += e.size();
        }
        case DIRECTORY -> directories++;
        case SYMLINK -> symlinks++;
      }
    }
    if (unzipped > UNZIPPED_LIMIT) {
      general.add(
          ContentProblem.error(
              "too-large",
              null,
              null,
              source.label()
                  + " unzips to "
                  + unzipped
                  + " bytes, more than Lambda's "
                  + UNZIPPED_LIMIT
                  + " (250 MB) for a function and all its layers together",
              "leave out what the runtime provides (boto3, botocore), strip tests and caches, or"
                  + " split the dependencies over an EFS file system"));
    }
    if (symlinks > 0) {
      general.add(
          ContentProblem.note(
              "symlinks",
              null,
              null,
              "the zip holds " + symlinks + " symbolic link(s); Lambda keeps them on extraction",
              null));
    }

    List<Target> targets = request.targets();
    if (targets.isEmpty() && request.targetsFromManifest() && manifest != null) {
      targets = manifestTargets(manifest);
    }
    List<ContentProblem> perTargetRaw = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (ContentProblem p : general) {
      problems.add(Problem.of(p, null, null));
    }
    for (Target target : targets) {
      perTargetRaw.clear();
      perTargetRaw.addAll(NativeCode.check(scan.files(), target));
      for (Map.Entry<ContentInspector, ContentReport> r : reports.entrySet()) {
        perTargetRaw.addAll(r.getKey().check(content, r.getValue(), target));
      }
      if (manifest != null
          && !manifest.runtimes().isEmpty()
          && !(manifest.runtimes().contains(target.runtime().id())
              && (manifest.architectures().isEmpty()
                  || manifest.architectures().contains(target.architecture().lambdaName())))) {
        perTargetRaw.add(
            ContentProblem.warning(
                "manifest-target",
                manifest.path(),
                null,
                "Accretion built this layer for "
                    + String.join(", ", manifest.runtimes())
                    + " on "
                    + String.join(", ", manifest.architectures())
                    + ", not for "
                    + target,
                "use the layer built for "
                    + target
                    + " (accretion build --runtime "
                    + target.runtime().id()
                    + " --arch "
                    + target.architecture().lambdaName()
                    + ")"));
      }
      if (!request.declaredRuntimes().isEmpty()
          && !request.declaredRuntimes().contains(target.runtime().id())) {
        perTargetRaw.add(
            ContentProblem.note(
                "compatible-runtimes",
                null,
                null,
                "the layer version lists "
                    + String.join(", ", request.declaredRuntimes())
                    + " as compatible runtimes, not "
                    + target.runtime().id(),
                null));
      }
      for (ContentProblem p : perTargetRaw) {
        problems.add(Problem.of(p, target.toString(), null));
      }
    }
    problems.sort(Comparator.comparing(Problem::severity));

    List<FolderSize> folders = folders(content.entries(), e -> top(e.path()));
    Set<String> roots = knownRoots(request.functionCode());
    List<FolderSize> unowned =
        folders(
            content.entries().stream().filter(e -> !owners.containsKey(e.path())).toList(),
            e -> folderUnder(e.path(), roots));
    List<EntrySize> largest =
        content.entries().stream()
            .filter(ContentEntry::isFile)
            .sorted(
                Comparator.comparingLong(ContentEntry::size)
                    .reversed()
                    .thenComparing(ContentEntry::path))
            .limit(LARGEST)
            .map(e -> new EntrySize(e.path(), e.size(), e.compressedSize()))
            .toList();

    boolean whole = source instanceof HttpZipSource h && h.downloadedWhole();
    boolean remote = source instanceof HttpZipSource;
    return new LayerReport(
        source.label(),
        request.functionCode(),
        source.size(),
        unzipped,
        files,
        directories,
        symlinks,
        source.bytesRead(),
        source.requests(),
        remote,
        whole,
        manifest,
        packages,
        manifestOnly,
        folders,
        unowned,
        largest,
        scan.files(),
        scan.unchecked(),
        targets,
        problems,
        content.entries());
  }

  /** The targets a manifest says the zip was built for (those the matrix knows). */
  private List<Target> manifestTargets(LayerManifest manifest) {
    List<Target> out = new ArrayList<>();
    List<String> architectures =
        manifest.architectures().isEmpty() ? List.of("x86_64") : manifest.architectures();
    for (String runtime : manifest.runtimes()) {
      for (String architecture : architectures) {
        try {
          Target t = matrix.target(runtime, architecture);
          if (!out.contains(t)) {
            out.add(t);
          }
        } catch (AccretionException e) {
          // a runtime this Accretion does not know: nothing to check it against
        }
      }
    }
    return out;
  }

  /** Manifest and content side by side: what one lists and the other lacks. */
  private List<ContentProblem> compare(
      LayerManifest manifest, List<FoundPackage> packages, List<FoundPackage> manifestOnly) {
    Set<String> understood = new TreeSet<>();
    for (ContentInspector i : inspectors.all()) {
      understood.add(i.ecosystem());
    }
    Set<String> inContent = new LinkedHashSet<>();
    for (FoundPackage p : packages) {
      inContent.add(key(p.ecosystem(), p.name(), p.version()));
    }
    Set<String> inManifest = new LinkedHashSet<>();
    List<ContentProblem> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (LayerManifest.Package p : manifest.packages()) {
      inManifest.add(key(p.ecosystem(), p.name(), p.version()));
      if (!understood.contains(p.ecosystem())) {
        manifestOnly.add(
            new FoundPackage(
                p.ecosystem(),
                p.name(),
                p.version(),
                p.purl(),
                "",
                manifest.path(),
                List.of(),
                0,
                Map.of("source", "manifest")));
      } else if (!inContent.contains(key(p.ecosystem(), p.name(), p.version()))) {
        missing.add(p.name() + " " + p.version());
      }
    }
    List<String> extra = new ArrayList<>();
    for (FoundPackage p : packages) {
      if (!inManifest.contains(key(p.ecosystem(), p.name(), p.version()))
          && manifest.packages().stream().anyMatch(m -> m.ecosystem().equals(p.ecosystem()))) {
        extra.add(p.label());
      }
    }
    if (!missing.isEmpty()) {
      out.add(
          ContentProblem.warning(
              "manifest-mismatch",
              manifest.path(),
              null,
              "Accretion's manifest lists "
                  + String.join(", ", missing)
                  + ", which the content does not hold",
              "the layer was changed after Accretion built it; rebuild it"));
    }
    if (!extra.isEmpty()) {
      out.add(
          ContentProblem.warning(
              "manifest-mismatch",
              manifest.path(),
              null,
              "the content holds "
                  + String.join(", ", extra)
                  + ", which Accretion's manifest does not list",
              "the layer was changed after Accretion built it; rebuild it"));
    }
    return out;
  }

  private static String key(String ecosystem, String name, String version) {
    String n = ecosystem.equals("pypi") ? Purls.pypiName(name) : name;
    return ecosystem + "\u0000" + n + "\u0000" + version;
  }

  /** Every folder any runtime searches for any inspector's packages. */
  private Set<String> knownRoots(boolean functionCode) {
    Set<String> roots = new TreeSet<>();
    for (ContentInspector i : inspectors.all()) {
      for (Runtime r : matrix.all(i.language())) {
        roots.addAll(i.searchPath(r, functionCode));
      }
    }
    for (Runtime r : matrix.all()) {
      if (!functionCode) {
        roots.addAll(r.layerPaths());
      }
    }
    roots.remove("");
    return roots;
  }

  private static String top(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The folder a file is counted under: one level below the deepest known root it is in. */
  private static String folderUnder(String path, Set<String> roots) {
    String best = null;
    for (String root : roots) {
      if (path.startsWith(root + "/") && (best == null || root.length() > best.length())) {
        best = root;
      }
    }
    if (best == null) {
      return top(path);
    }
    String rest = path.substring(best.length() + 1);
    int slash = rest.indexOf('/');
    return slash < 0 ? best : best + "/" + rest.substring(0, slash);
  }

  private static List<FolderSize> folders(
      List<ContentEntry> entries, java.util.function.Function<ContentEntry, String> key) {
    Map<String, long[]> sums = new HashMap<>();
    for (ContentEntry e : entries) {
      if (!e.isFile()) {
        continue;
      }
      long[] s = sums.computeIfAbsent(key.apply(e), k -> new long[3]);
      s[0]++;
      s[1] += e.size();
      s[2] += e.compressedSize();
    }
    List<FolderSize> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(new FolderSize(k, (int) v[0], v[1], v[2])));
    out.sort(
        Comparator.comparingLong(FolderSize::unzippedBytes)
            .reversed()
            .thenComparing(FolderSize::path));
    return out;
  }
}
