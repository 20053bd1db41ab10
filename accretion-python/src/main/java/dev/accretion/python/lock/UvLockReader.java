package dev.accretion.python.lock;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.tags.WheelFilename;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@code uv.lock} ({@code version = 1}, any {@code revision}; the {@code [[distribution]]}
 * tables of uv's first previews are read as {@code [[package]]}).
 *
 * <p>Every {@code [[package]]} with its {@code source} ({@code registry} URL or local folder,
 * {@code url}, {@code path}, {@code directory}, {@code editable}, {@code virtual}, {@code git}),
 * {@code wheels} ({@code url}, {@code path} inside a local registry, or {@code filename} of a
 * {@code path} source; {@code hash}, {@code size}), {@code sdist}, {@code dependencies} (with
 * {@code marker}, {@code extra}, and {@code version}/{@code source} where the name is ambiguous),
 * {@code [package.optional-dependencies]}, {@code [package.dev-dependencies]} and {@code
 * resolution-markers} (forks: the same name at several versions; the one whose markers hold for the
 * target is taken).
 *
 * <p>Installing starts at the project: the package whose source is the lock's own folder ({@code
 * editable = "."}, {@code virtual = "."}), else every workspace member ({@code [manifest]
 * members}), else the lock's {@code [manifest] requirements} / {@code dependency-groups} (scripts,
 * virtual workspace roots). Its dependencies, the optional dependencies of the requested extras and
 * the requested {@code dev-dependencies} groups are walked with markers evaluated for the target;
 * no group is installed unless requested (as {@code uv export --no-dev}). uv's conflict markers
 * ({@code extra == 'extra-7-project-gpu'}) are evaluated against the extras and groups active in
 * the install. Stateless.
 */
public final class UvLockReader {
  static final String MANIFEST_ROOT = "<manifest>";

  private UvLockReader() {}

  /**
   * Reads a uv.lock.
   *
   * @throws ListingException naming file and line when the file is not valid TOML, has another
   *     {@code version}, or breaks the format's rules
   */
  public static LockedListing read(Path file) throws ListingException {
    return read(file, LockBuilder.readText(file));
  }

  /** Reads uv.lock text that came from {@code file} (paths in it are relative to its folder). */
  public static LockedListing read(Path file, String text) throws ListingException {
    Path base = file.toAbsolutePath().getParent();
    TomlFields doc = TomlFields.parse(file, text);
    Object versionValue = doc.get("version");
    if (!(versionValue instanceof Long version)) {
      throw doc.error("version", "'version' is missing or not an integer; is this a uv.lock?");
    }
    if (version != 1) {
      throw doc.error(
          "version",
          "uv.lock version "
              + version
              + " is not supported; Accretion reads version 1 (uv 0.3 and later)");
    }
    Long revision = doc.optLong("revision");
    String formatVersion = "1" + (revision == null ? "" : " (revision " + revision + ")");
    LockCondition requiresPython;
    try {
      requiresPython = Conditions.requiresPython(doc.optString("requires-python"));
    } catch (ParseException e) {
      throw doc.error("requires-python", "invalid requires-python: " + e.getMessage());
    }
    // tool.uv.environments: the lock only covers these environments
    List<LockCondition> environments = new ArrayList<>();
    for (String marker : doc.strings("supported-markers")) {
      environments.add(marker(doc, "supported-markers", marker));
    }
    List<TomlFields> tables = doc.tables("package");
    if (tables.isEmpty() && doc.has("distribution")) {
      tables = doc.tables("distribution");
    }

    LockBuilder builder = new LockBuilder();
    Map<LockBuilder.Entry, TomlFields> read = new LinkedHashMap<>();
    for (TomlFields p : tables) {
      PackageName name = LockBuilder.name(p.string("name"), file + ":" + p.line("name"));
      p = p.named(name.normalized());
      Version version1 = null;
      String versionText = p.optString("version");
      if (versionText != null) {
        version1 = LockBuilder.version(versionText, file + ":" + p.line("version"));
      }
      TomlFields source = p.optTable("source");
      String sourceKey = sourceKey(source);
      LockBuilder.Entry e =
          builder.add(
              name.normalized() + " " + (versionText == null ? "" : versionText) + " " + sourceKey,
              name);
      e.version = version1;
      e.extra = sourceKey;
      read.put(e, p);
    }
    Set<String> members = new LinkedHashSet<>();
    TomlFields manifest = doc.optTable("manifest");
    if (manifest != null) {
      for (String m : manifest.strings("members")) {
        members.add(PackageName.normalize(m));
      }
    }

    // sources and files
    List<LockBuilder.Entry> projectRoots = new ArrayList<>();
    for (Map.Entry<LockBuilder.Entry, TomlFields> r : read.entrySet()) {
      LockBuilder.Entry e = r.getKey();
      TomlFields p = r.getValue();
      TomlFields source = p.optTable("source");
      boolean member = members.contains(e.name.normalized());
      readSource(base, p, source, e, member);
      if (e.kind == LockedPackage.Kind.PROJECT && isHere(source)) {
        projectRoots.add(e);
      }
      List<LockCondition> forks = new ArrayList<>();
      for (String marker : p.strings("resolution-markers")) {
        forks.add(marker(p, "resolution-markers", marker));
      }
      if (!forks.isEmpty()) {
        e.selector = Conditions.any(forks);
      }
    }

    // edges
    for (Map.Entry<LockBuilder.Entry, TomlFields> r : read.entrySet()) {
      LockBuilder.Entry e = r.getKey();
      TomlFields p = r.getValue();
      for (TomlFields d : p.tables("dependencies")) {
        e.dependencies.add(edge(d));
      }
      TomlFields optional = p.optTable("optional-dependencies");
      if (optional != null) {
        for (String extra : optional.keys()) {
          List<LockBuilder.PendingEdge> edges = new ArrayList<>();
          for (TomlFields d : optional.tables(extra)) {
            edges.add(edge(d));
          }
          e.optional.put(PackageName.normalize(extra), edges);
        }
      }
      TomlFields dev = p.optTable("dev-dependencies");
      if (dev != null) {
        for (String group : dev.keys()) {
          List<LockBuilder.PendingEdge> edges = new ArrayList<>();
          for (TomlFields d : dev.tables(group)) {
            edges.add(edge(d));
          }
          e.groups.put(PackageName.normalize(group), edges);
        }
      }
    }

    List<String> roots = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!projectRoots.isEmpty()) {
      projectRoots.forEach(e -> roots.add(e.id));
    } else if (!members.isEmpty()) {
      for (LockBuilder.Entry e : builder.entries()) {
        if (members.contains(e.name.normalized())) {
          roots.add(e.id);
        }
      }
      notes.add(
          file.getFileName()
              + " has no root project; installing every workspace member's dependencies: "
              + String.join(", ", members));
    }
    if (manifest != null && (manifest.has("requirements") || manifest.has("dependency-groups"))) {
      LockBuilder.Entry root = builder.add(MANIFEST_ROOT, PackageName.of("uv-manifest"));
      root.kind = LockedPackage.Kind.PROJECT;
      root.source = "the lock's [manifest]";
      for (TomlFields req : manifest.tables("requirements")) {
        root.dependencies.add(requirement(req));
      }
      TomlFields groups = manifest.optTable("dependency-groups");
      if (groups != null) {
        for (String group : groups.keys()) {
          List<LockBuilder.PendingEdge> edges = new ArrayList<>();
          for (TomlFields req : groups.tables(group)) {
            edges.add(requirement(req));
          }
          root.groups.put(PackageName.normalize(group), edges);
        }
      }
      roots.add(root.id);
    }
    if (roots.isEmpty()) {
      throw doc.error(
          "no project to install from: no package has the lock's folder as its source"
              + " (editable = \".\" or virtual = \".\"), and there are no [manifest] members or"
              + " requirements");
    }
    return new LockedListing(
        file,
        ListingFormat.UV_LOCK,
        formatVersion,
        requiresPython,
        environments,
        builder.build(),
        roots,
        true,
        Set.of(),
        Set.of(),
        Set.of(),
        true,
        List.of(),
        notes);
  }

  /** {@code kind=value} of a source table, the same for a package and an edge naming it. */
  private static String sourceKey(TomlFields source) throws ListingException {
    if (source == null) {
      return "";
    }
    Map<String, String> sorted = new TreeMap<>();
    for (String key : source.keys()) {
      Object value = source.get(key);
      sorted.put(key, String.valueOf(value));
    }
    return sorted.toString();
  }

  private static boolean isHere(TomlFields source) throws ListingException {
    if (source == null) {
      return false;
    }
    for (String kind : List.of("editable", "virtual", "directory")) {
      String path = source.optString(kind);
      if (path != null && (path.equals(".") || path.equals("./") || path.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private static void readSource(
      Path base, TomlFields p, TomlFields source, LockBuilder.Entry e, boolean member)
      throws ListingException {
    if (source == null) {
      throw p.error("'source' is missing");
    }
    String registry = source.optString("registry");
    String url = source.optString("url");
    String path = source.optString("path");
    String git = source.optString("git");
    String directory = source.optString("directory");
    String editable = source.optString("editable");
    String virtual = source.optString("virtual");
    URI registryRoot = null;
    if (registry != null) {
      registryRoot =
          registry.contains("://")
              ? LockBuilder.url(registry, p.file + ":" + p.line("source"))
              : LockBuilder.path(base, registry, p.file + ":" + p.line("source"));
      e.index = LockBuilder.index(registryRoot);
      e.kind = LockedPackage.Kind.INDEX;
      e.source = "registry " + registry;
    } else if (virtual != null) {
      e.kind = LockedPackage.Kind.PROJECT;
      e.source = "virtual " + virtual;
      return;
    } else if (editable != null || directory != null) {
      String where = editable != null ? editable : directory;
      boolean here = where.equals(".") || where.isEmpty();
      e.kind = here || member ? LockedPackage.Kind.PROJECT : LockedPackage.Kind.UNBUILT;
      e.source = (editable != null ? "the editable project " : "the local directory ") + where;
      if (e.kind == LockedPackage.Kind.PROJECT && !here) {
        // a workspace member reached from the project: its own code would have to be built;
        // it is walked (its dependencies count), but installing it is refused below
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source = "the workspace member at " + where + " (a local project)";
      }
      return;
    } else if (git != null) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source = "the git repository " + git;
      return;
    } else if (url != null) {
      e.kind = LockedPackage.Kind.DIRECT;
      e.source = "url " + url;
    } else if (path != null) {
      e.kind = LockedPackage.Kind.DIRECT;
      e.source = "path " + path;
    } else {
      throw p.error("source", "unknown source " + source.keys());
    }
    if (e.version == null) {
      throw p.error("'version' is missing");
    }
    String where = p.file + ":" + p.line("wheels");
    for (TomlFields w : p.tables("wheels")) {
      String wurl = w.optString("url");
      String wpath = w.optString("path");
      String wname = w.optString("filename");
      URI location;
      if (wurl != null) {
        location = LockBuilder.url(wurl, where);
      } else if (wpath != null) {
        if (registryRoot == null || !"file".equalsIgnoreCase(registryRoot.getScheme())) {
          throw w.error("a wheel 'path' needs a local registry source");
        }
        location = LockBuilder.path(Path.of(registryRoot), wpath, where);
      } else if (wname != null) {
        if (path == null) {
          throw w.error("a wheel 'filename' needs a 'path' source");
        }
        location = LockBuilder.path(base, path, where);
        if (!LockBuilder.filenameOf(location).equals(wname)) {
          // the source path is a folder of wheels in some previews: the file is inside it
          location = LockBuilder.path(Path.of(location), wname, where);
        }
      } else {
        throw w.error("a wheel needs a 'url', 'path' or 'filename'");
      }
      String filename = wname != null ? wname : LockBuilder.filenameOf(location);
      Map<String, String> hashes = new LinkedHashMap<>();
      String hash = w.optString("hash");
      if (hash != null) {
        hashes.putAll(LockBuilder.hash(hash, p.file + ":" + w.line("hash")));
      }
      if (!WheelFilename.isWheel(filename)) {
        throw w.error("'" + filename + "' is not a wheel file name");
      }
      e.files.add(new LockedFile(filename, location, hashes, w.optLong("size")));
    }
    TomlFields sdist = p.optTable("sdist");
    if (sdist != null) {
      String surl = sdist.optString("url");
      String spath = sdist.optString("path");
      URI location = null;
      if (surl != null) {
        location = LockBuilder.url(surl, p.file + ":" + p.line("sdist"));
      } else if (spath != null && registryRoot != null && "file".equals(registryRoot.getScheme())) {
        location = LockBuilder.path(Path.of(registryRoot), spath, p.file + ":" + p.line("sdist"));
      }
      String name =
          location != null
              ? LockBuilder.filenameOf(location)
              : e.name.normalized() + "-" + e.version + ".tar.gz";
      Map<String, String> hashes = new LinkedHashMap<>();
      String hash = sdist.optString("hash");
      if (hash != null) {
        hashes.putAll(LockBuilder.hash(hash, p.file + ":" + p.line("sdist")));
      }
      e.files.add(new LockedFile(name, location, hashes, sdist.optLong("size")));
    }
    boolean anyWheel = e.files.stream().anyMatch(LockedFile::isWheel);
    if (!anyWheel) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source =
          e.files.isEmpty()
              ? e.source + " (no files)"
              : "an sdist only (" + e.files.get(0).filename() + ", " + e.source + ")";
    }
  }

  private static LockBuilder.PendingEdge edge(TomlFields d) throws ListingException {
    PackageName name = LockBuilder.name(d.string("name"), d.file + ":" + d.line("name"));
    String versionText = d.optString("version");
    Version version =
        versionText == null
            ? null
            : LockBuilder.version(versionText, d.file + ":" + d.line("version"));
    TomlFields source = d.optTable("source");
    String key = source == null ? null : sourceKey(source);
    LockCondition condition = marker(d, "marker", d.optString("marker"));
    List<String> extras = d.strings("extra");
    return new LockBuilder.PendingEdge(
        name,
        x -> (version == null || version.equals(x.version)) && (key == null || key.equals(x.extra)),
        new LinkedHashSet<>(extras),
        condition);
  }

  /** A {@code [manifest]} requirement: name, optional specifier, marker and extras. */
  private static LockBuilder.PendingEdge requirement(TomlFields r) throws ListingException {
    PackageName name = LockBuilder.name(r.string("name"), r.file + ":" + r.line("name"));
    String specifier = r.optString("specifier");
    SpecifierSet spec;
    try {
      spec = specifier == null ? SpecifierSet.EMPTY : SpecifierSet.parse(specifier);
    } catch (ParseException e) {
      throw r.error("specifier", "invalid specifier: " + e.getMessage());
    }
    LockCondition condition = marker(r, "marker", r.optString("marker"));
    return new LockBuilder.PendingEdge(
        name,
        x -> x.version != null && spec.contains(x.version, Boolean.TRUE),
        new LinkedHashSet<>(r.strings("extras")),
        condition);
  }

  private static LockCondition marker(TomlFields t, String key, String text)
      throws ListingException {
    try {
      return Conditions.marker(text, true);
    } catch (ParseException e) {
      throw t.error(key, "invalid marker: " + e.getMessage());
    }
  }
}
