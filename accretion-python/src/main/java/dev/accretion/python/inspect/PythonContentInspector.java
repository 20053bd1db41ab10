package dev.accretion.python.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.ContentReport;
import dev.accretion.pipeline.spi.FoundPackage;
import dev.accretion.pipeline.spi.LayerContent;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.install.RecordFile;
import dev.accretion.python.metadata.CoreMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Python distributions in a layer or function package from their {@code .dist-info} folders
 * (name and version from METADATA, the installer from INSTALLER, wheel tags from WHEEL) and checks
 * each RECORD against the zip: files listed but missing, files present but unlisted, sizes that
 * differ. Legacy {@code .egg-info} folders give a name and version. Stateless and thread-safe.
 */
public final class PythonContentInspector implements ContentInspector {
  /** Files of one {@code .dist-info} folder that are read. */
  private static final Set<String> DIST_INFO_FILES =
      Set.of("METADATA", "RECORD", "INSTALLER", "WHEEL");

  /** The most a metadata file may hold to be read. */
  private static final long MAX_METADATA_BYTES = 16 << 20;

  /**
   * Packages every Python runtime already has (the AWS SDK for Python and what it needs): a layer's
   * copy hides the runtime's. The SDK's own are warnings, its general-purpose dependencies notes.
   */
  private static final Map<String, Boolean> RUNTIME_PROVIDED =
      Map.of(
          "boto3", true,
          "botocore", true,
          "s3transfer", true,
          "jmespath", true,
          "python-dateutil", false,
          "urllib3", false,
          "six", false);

  /** {@code mod.cpython-312-x86_64-linux-gnu.so}, {@code mod.cpython-311d-...so}. */
  private static final Pattern EXTENSION =
      Pattern.compile("\\.cpython-(\\d)(\\d{1,2})[a-z]*(-[^./]+)?\\.so$");

  /** A folder where some Python runtime (or a function package) looks for packages. */
  private static final Pattern SITE_LIKE =
      Pattern.compile("|python|(python/)?lib/python3\\.\\d+/site-packages");

  /** Where pip --target leaves scripts its RECORD lists as {@code ../../bin/x}. */
  private static final Pattern SCRIPT = Pattern.compile("^(\\.\\./)+bin/(.+)$");

  private static final int EXAMPLES = 3;

  @Override
  public String id() {
    return "python";
  }

  @Override
  public String ecosystem() {
    return "pypi";
  }

  @Override
  public Language language() {
    return Language.PYTHON;
  }

  @Override
  public List<String> searchPath(Runtime runtime, boolean functionCode) {
    if (runtime.language() != Language.PYTHON) {
      return List.of();
    }
    if (functionCode) {
      return List.of("");
    }
    // sys.path on Lambda: /var/task, then /opt/python/lib/pythonX.Y/site-packages, then /opt/python
    return List.of("python/lib/python" + runtime.languageVersion() + "/site-packages", "python");
  }

  /** One metadata folder found. */
  private record Folder(String path, String root, boolean egg) {}

  @Override
  public ContentReport inspect(LayerContent content) throws AccretionException {
    Map<String, Folder> folders = new TreeMap<>();
    for (ContentEntry e : content.entries()) {
      String path = e.path();
      String parent = parent(path);
      if (e.isFile() && parent.endsWith(".dist-info") && e.fileName().equals("METADATA")) {
        folders.put(parent, new Folder(parent, parent(parent), false));
      } else if (e.isFile() && parent.endsWith(".egg-info") && e.fileName().equals("PKG-INFO")) {
        folders.put(parent, new Folder(parent, parent(parent), true));
      } else if (e.isFile() && path.endsWith(".egg-info") && !folders.containsKey(path)) {
        folders.put(path, new Folder(path, parent, true)); // an egg-info file is PKG-INFO itself
      }
    }
    if (folders.isEmpty()) {
      return ContentReport.empty();
    }
    List<ContentEntry> wanted = new ArrayList<>();
    for (Folder f : folders.values()) {
      if (f.egg() && content.entry(f.path()).map(ContentEntry::isFile).orElse(false)) {
        content.entry(f.path()).ifPresent(wanted::add);
        continue;
      }
      for (String name : f.egg() ? Set.of("PKG-INFO") : DIST_INFO_FILES) {
        content.entry(f.path() + "/" + name).ifPresent(wanted::add);
      }
    }
    Map<String, byte[]> texts = new HashMap<>();
    List<ContentProblem> problems = new ArrayList<>();
    content.read(
        wanted,
        MAX_METADATA_BYTES,
        new LayerContent.Reader() {
          @Override
          public void read(ContentEntry entry, InputStream in) throws IOException {
            texts.put(entry.path(), in.readAllBytes());
          }

          @Override
          public void skipped(ContentEntry entry, String why) {
            problems.add(
                ContentProblem.warning(
                    "metadata-unreadable",
                    entry.path(),
                    null,
                    entry.path() + " was not read: " + why,
                    null));
          }
        });

    Set<String> present = new HashSet<>();
    Map<String, ContentEntry> files = new HashMap<>();
    for (ContentEntry e : content.entries()) {
      if (e.kind() != ContentEntry.Kind.DIRECTORY) {
        present.add(e.path());
        files.put(e.path(), e);
      }
    }
    // The files of each metadata folder, found by walking each path's ancestors once.
    Map<String, List<String>> inFolder = new HashMap<>();
    for (String path : files.keySet()) {
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        String ancestor = path.substring(0, slash);
        if (folders.containsKey(ancestor)) {
          inFolder.computeIfAbsent(ancestor, k -> new ArrayList<>()).add(path);
          break;
        }
      }
    }
    List<Dist> dists = new ArrayList<>();
    for (Folder f : folders.values()) {
      dists.add(read(f, texts, files, inFolder, problems));
    }
    // Every path some RECORD lists, for the unlisted check (namespace folders are shared).
    Set<String> listed = new HashSet<>();
    for (Dist d : dists) {
      listed.addAll(d.listed);
    }
    Map<String, String> topOwner = new HashMap<>();
    for (Dist d : dists) {
      for (String top : d.tops) {
        topOwner.putIfAbsent(top, d.label());
      }
    }
    Map<String, List<String>> unlisted = new TreeMap<>();
    Map<String, Integer> unlistedCaches = new TreeMap<>();
    for (ContentEntry e : content.entries()) {
      if (e.kind() == ContentEntry.Kind.DIRECTORY || listed.contains(e.path())) {
        continue;
      }
      String top = topOf(e.path(), topOwner.keySet());
      if (top == null) {
        continue;
      }
      String owner = topOwner.get(top);
      if (e.path().contains("/__pycache__/") && e.path().endsWith(".pyc")) {
        unlistedCaches.merge(owner, 1, Integer::sum);
      } else {
        unlisted.computeIfAbsent(owner, k -> new ArrayList<>()).add(e.path());
      }
    }
    List<FoundPackage> packages = new ArrayList<>();
    for (Dist d : dists) {
      if (d.recordAbsent && topOf(d.folder, topOwner.keySet()) == null) {
        // (a folder vendored inside another distribution's package is that one's business)
        problems.add(
            ContentProblem.warning(
                "record-absent",
                d.folder,
                d.label(),
                d.label() + " has no RECORD in " + d.folder + ", so its files cannot be checked",
                "reinstall it with pip or another standard installer"));
      }
      List<String> extra = unlisted.getOrDefault(d.label(), List.of());
      if (!d.egg && d.hasRecord) {
        report(d, extra, unlistedCaches.getOrDefault(d.label(), 0), problems);
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("metadata", d.egg ? "egg-info" : "dist-info");
      if (d.installer != null) {
        facts.put("installer", d.installer);
      }
      if (!d.tags.isEmpty()) {
        facts.put("tags", List.copyOf(d.tags));
      }
      if (!d.egg) {
        facts.put("recordMissing", d.missing.size() + d.missingCaches);
        facts.put("recordUnlisted", extra.size());
      }
      long bytes = 0;
      for (String f : d.owned) {
        bytes += files.get(f).size();
      }
      packages.add(
          new FoundPackage(
              "pypi",
              d.name,
              d.version,
              purl(d.name, d.version),
              d.root,
              d.folder,
              List.copyOf(new TreeSet<>(d.owned)),
              bytes,
              facts));
    }
    return new ContentReport(packages, problems);
  }

  /** What one metadata folder says. */
  private static final class Dist {
    String folder;
    String root;
    boolean egg;
    String name;
    String version;
    String installer;
    final List<String> tags = new ArrayList<>();
    boolean hasRecord;
    boolean recordAbsent;
    final Set<String> listed = new HashSet<>();
    final Set<String> owned = new HashSet<>();
    final Set<String> tops = new TreeSet<>();
    final List<String> missing = new ArrayList<>();
    int missingCaches;
    final List<String> sizeDiffers = new ArrayList<>();

    String label() {
      return version.isEmpty() ? name : name + " " + version;
    }
  }

  private static Dist read(
      Folder f,
      Map<String, byte[]> texts,
      Map<String, ContentEntry> files,
      Map<String, List<String>> inFolder,
      List<ContentProblem> problems) {
    Dist d = new Dist();
    d.folder = f.path();
    d.root = f.root();
    d.egg = f.egg();
    String metadataPath =
        f.egg()
            ? (texts.containsKey(f.path()) ? f.path() : f.path() + "/PKG-INFO")
            : f.path() + "/METADATA";
    String[] fromName = nameAndVersion(fileName(f.path()));
    d.name = fromName[0];
    d.version = fromName[1];
    byte[] metadata = texts.get(metadataPath);
    if (metadata != null) {
      try {
        CoreMetadata m = CoreMetadata.parse(metadata);
        d.name = m.name();
        d.version = m.version();
      } catch (ParseException | RuntimeException e) {
        problems.add(
            ContentProblem.warning(
                "metadata-unreadable",
                metadataPath,
                d.label(),
                metadataPath
                    + " cannot be read ("
                    + e.getMessage()
                    + "); name and version are"
                    + " taken from the folder name",
                null));
      }
    }
    d.owned.addAll(inFolder.getOrDefault(f.path(), List.of()));
    d.tops.add(f.path());
    if (f.egg()) {
      return d;
    }
    byte[] installer = texts.get(f.path() + "/INSTALLER");
    if (installer != null) {
      String text = new String(installer, StandardCharsets.UTF_8).strip();
      d.installer = text.isEmpty() ? null : text.lines().findFirst().orElse(null);
    }
    byte[] wheel = texts.get(f.path() + "/WHEEL");
    if (wheel != null) {
      for (String line : new String(wheel, StandardCharsets.UTF_8).split("\r?\n")) {
        if (line.regionMatches(true, 0, "Tag:", 0, 4)) {
          d.tags.add(line.substring(4).strip());
        }
      }
    }
    byte[] record = texts.get(f.path() + "/RECORD");
    if (record == null) {
      d.recordAbsent = true;
      return d;
    }
    RecordFile rows;
    try {
      rows = RecordFile.parse(new String(record, StandardCharsets.UTF_8), f.path() + "/RECORD");
    } catch (ParseException e) {
      problems.add(
          ContentProblem.warning(
              "record-unreadable",
              f.path() + "/RECORD",
              d.label(),
              f.path() + "/RECORD cannot be read: " + e.getMessage(),
              null));
      return d;
    }
    d.hasRecord = true;
    for (RecordFile.Row row : rows.rows()) {
      String resolved = resolve(f.root(), row.path());
      if (resolved == null) {
        Matcher script = SCRIPT.matcher(row.path());
        if (!script.matches()) {
          continue; // outside the zip: nothing to check
        }
        // pip install --target moves scripts to <target>/bin but keeps RECORD's ../../bin/x.
        String moved = (f.root().isEmpty() ? "" : f.root() + "/") + "bin/" + script.group(2);
        if (files.containsKey(moved)) {
          d.listed.add(moved);
          d.owned.add(moved);
        }
        continue;
      }
      d.listed.add(resolved);
      String relative =
          f.root().isEmpty()
              ? resolved
              : resolved.startsWith(f.root() + "/")
                  ? resolved.substring(f.root().length() + 1)
                  : null;
      if (relative != null) {
        int slash = relative.indexOf('/');
        if (slash > 0 && !relative.startsWith("bin/")) {
          d.tops.add((f.root().isEmpty() ? "" : f.root() + "/") + relative.substring(0, slash));
        }
      }
      ContentEntry e = files.get(resolved);
      if (e == null) {
        if (resolved.contains("/__pycache__/") || resolved.startsWith("__pycache__/")) {
          d.missingCaches++;
        } else {
          d.missing.add(resolved);
        }
        continue;
      }
      d.owned.add(resolved);
      if (!row.size().isEmpty() && e.kind() == ContentEntry.Kind.FILE) {
        try {
          if (Long.parseLong(row.size()) != e.size()) {
            d.sizeDiffers.add(resolved);
          }
        } catch (NumberFormatException ignored) {
          // a malformed size is RECORD's problem, not the file's
        }
      }
    }
    return d;
  }

  private static void report(
      Dist d, List<String> unlisted, int unlistedCaches, List<ContentProblem> problems) {
    if (!d.missing.isEmpty()) {
      problems.add(
          ContentProblem.warning(
              "record-missing",
              d.missing.get(0),
              d.label(),
              d.label()
                  + ": "
                  + d.missing.size()
                  + " file(s) its RECORD lists are not in the"
                  + " zip ("
                  + examples(d.missing)
                  + ")",
              "something removed them after installation; reinstall "
                  + d.name
                  + " if it fails to import"));
    }
    if (d.missingCaches > 0) {
      problems.add(
          ContentProblem.note(
              "record-missing-pyc",
              d.folder,
              d.label(),
              d.label()
                  + ": "
                  + d.missingCaches
                  + " compiled file(s) (__pycache__/*.pyc) its"
                  + " RECORD lists are not in the zip (removed to save space?)",
              null));
    }
    if (!unlisted.isEmpty()) {
      problems.add(
          ContentProblem.warning(
              "record-unlisted",
              unlisted.get(0),
              d.label(),
              d.label()
                  + ": "
                  + unlisted.size()
                  + " file(s) in its folders are not in any"
                  + " RECORD ("
                  + examples(unlisted)
                  + ")",
              "they were added or changed after installation; rebuild the layer from its"
                  + " listing"));
    }
    if (unlistedCaches > 0) {
      problems.add(
          ContentProblem.note(
              "record-unlisted-pyc",
              d.folder,
              d.label(),
              d.label()
                  + ": "
                  + unlistedCaches
                  + " compiled file(s) (__pycache__/*.pyc) are not"
                  + " in its RECORD (compiled after installation)",
              null));
    }
    if (!d.sizeDiffers.isEmpty()) {
      problems.add(
          ContentProblem.warning(
              "record-size",
              d.sizeDiffers.get(0),
              d.label(),
              d.label()
                  + ": "
                  + d.sizeDiffers.size()
                  + " file(s) differ in size from what its"
                  + " RECORD says ("
                  + examples(d.sizeDiffers)
                  + ")",
              "they were changed after installation; rebuild the layer from its listing"));
    }
  }

  @Override
  public List<ContentProblem> check(LayerContent content, ContentReport report, Target target) {
    List<ContentProblem> out = new ArrayList<>();
    Runtime runtime = target.runtime();
    if (runtime.language() != Language.PYTHON) {
      if (!report.packages().isEmpty()) {
        out.add(
            ContentProblem.warning(
                "language",
                null,
                null,
                report.packages().size()
                    + " Python distribution(s) ("
                    + labels(report.packages())
                    + "), but "
                    + runtime.id()
                    + " does not load Python packages",
                "use this layer with a Python runtime"));
      }
      return out;
    }
    List<String> search = searchPath(runtime, content.functionCode());
    Set<String> ownedFolders = new HashSet<>();
    for (FoundPackage p : report.packages()) {
      for (String f : p.files()) {
        ownedFolders.add(parent(f));
      }
    }
    for (FoundPackage p : report.packages()) {
      if (search.contains(p.root())) {
        continue;
      }
      boolean siteLike = SITE_LIKE.matcher(p.root()).matches();
      if (!siteLike && insideOwned(p.root(), ownedFolders)) {
        continue; // vendored inside another package (setuptools/_vendor): not imported by name
      }
      String where = p.root().isEmpty() ? "the root of the zip" : p.root() + "/";
      out.add(
          new ContentProblem(
              siteLike ? ContentProblem.Severity.ERROR : ContentProblem.Severity.WARNING,
              "not-on-path",
              p.location(),
              p.label(),
              p.label()
                  + " is in "
                  + where
                  + ", where "
                  + runtime.id()
                  + " does not look for"
                  + " packages (it looks in "
                  + String.join("/ and ", search)
                  + "/)",
              content.functionCode()
                  ? "put packages at the root of the function's package"
                  : "install into python/ (every Python runtime searches it), e.g. pip install"
                      + " --target python"));
    }
    // Extension modules built for another interpreter, grouped by the package that owns them.
    Map<String, List<String>> wrongAbi = new TreeMap<>();
    Map<String, String> abiOf = new HashMap<>();
    Map<String, String> owner = new HashMap<>();
    for (FoundPackage p : report.packages()) {
      for (String f : p.files()) {
        owner.putIfAbsent(f, p.label());
      }
    }
    String wanted = runtime.languageVersion();
    for (ContentEntry e : content.entries()) {
      if (!e.isFile() || !onPath(e.path(), search)) {
        continue;
      }
      Matcher m = EXTENSION.matcher(e.fileName());
      if (!m.find()) {
        continue;
      }
      String version = m.group(1) + "." + m.group(2);
      if (!version.equals(wanted)) {
        String key = owner.getOrDefault(e.path(), "");
        wrongAbi.computeIfAbsent(key, k -> new ArrayList<>()).add(e.path());
        abiOf.merge(key, version, (a, b) -> a.contains(b) ? a : a + ", " + b);
      }
    }
    wrongAbi.forEach(
        (pkg, paths) ->
            out.add(
                ContentProblem.error(
                    "python-abi",
                    paths.get(0),
                    pkg.isEmpty() ? null : pkg,
                    (pkg.isEmpty() ? "" : pkg + ": ")
                        + paths.size()
                        + " extension module(s)"
                        + " built for CPython "
                        + abiOf.get(pkg)
                        + " ("
                        + examples(paths)
                        + "); "
                        + runtime.id()
                        + " will not import them",
                    "install "
                        + (pkg.isEmpty() ? "it" : pkg.split(" ")[0])
                        + " for Python "
                        + wanted
                        + " (pip install --python-version "
                        + wanted
                        + " --only-binary=:all: --platform manylinux2014_"
                        + target.architecture().machine()
                        + " --target python), or use "
                        + "python"
                        + abiOf.get(pkg).split(",")[0]
                        + " for the function")));
    for (FoundPackage p : report.packages()) {
      Boolean sdk = RUNTIME_PROVIDED.get(PackageName.normalize(p.name()));
      if (sdk == null || !search.contains(p.root())) {
        continue;
      }
      String message =
          p.label()
              + " in this "
              + (content.functionCode() ? "package" : "layer")
              + " hides the"
              + " copy "
              + runtime.id()
              + " provides; functions import this one";
      String advice =
          "leave it out to use the runtime's (AWS updates it), or keep it to pin the version on"
              + " purpose";
      out.add(
          sdk
              ? ContentProblem.warning("shadows-runtime", p.location(), p.label(), message, advice)
              : ContentProblem.note("shadows-runtime", p.location(), p.label(), message, advice));
    }
    return out;
  }

  private static boolean onPath(String path, List<String> search) {
    for (String root : search) {
      if (root.isEmpty() || path.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean insideOwned(String folder, Set<String> ownedFolders) {
    for (String f = folder; !f.isEmpty(); f = parent(f)) {
      if (ownedFolders.contains(f)) {
        return true;
      }
    }
    return false;
  }

  private static String labels(List<FoundPackage> packages) {
    List<String> names = packages.stream().limit(EXAMPLES).map(FoundPackage::label).toList();
    return String.join(", ", names) + (packages.size() > EXAMPLES ? ", ..." : "");
  }

  private static String examples(List<String> paths) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(paths));
    return String.join(", ", sorted.subList(0, Math.min(EXAMPLES, sorted.size())))
        + (sorted.size() > EXAMPLES ? ", ..." : "");
  }

  /** The topmost claimed folder a path lies in, or null (walks the path's ancestors). */
  private static String topOf(String path, Set<String> tops) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String ancestor = path.substring(0, slash);
      if (tops.contains(ancestor)) {
        return ancestor;
      }
    }
    return null;
  }

  /** {@code root + "/" + relative}, normalized; null when it leaves the zip. */
  static String resolve(String root, String relative) {
    List<String> parts = new ArrayList<>();
    if (!root.isEmpty()) {
      parts.addAll(List.of(root.split("/")));
    }
    if (relative.startsWith("/")) {
      return null;
    }
    for (String part : relative.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code requests-2.32.3.dist-info} → requests, 2.32.3 (PEP 427 folder names). */
  static String[] nameAndVersion(String folder) {
    String stem = folder.replaceFirst("\\.(dist|egg)-info$", "");
    int dash = stem.indexOf('-');
    if (dash < 0) {
      return new String[] {stem, ""};
    }
    String version = stem.substring(dash + 1);
    int pyTag = version.indexOf("-py");
    return new String[] {
      stem.substring(0, dash), pyTag < 0 ? version : version.substring(0, pyTag)
    };
  }

  /** {@code pkg:pypi/<normalized name>@<version>}. */
  static String purl(String name, String version) {
    String n = PackageName.normalize(name);
    return "pkg:pypi/" + encode(n) + (version.isEmpty() ? "" : "@" + encode(version));
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
