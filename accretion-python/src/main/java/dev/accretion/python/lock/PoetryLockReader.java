package dev.accretion.python.lock;

import dev.accretion.core.toml.TomlArray;
import dev.accretion.core.toml.TomlTable;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.tags.SdistFilename;
import dev.accretion.python.tags.WheelFilename;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code poetry.lock} in every layout Poetry has written:
 *
 * <ul>
 *   <li>0.12 (no {@code lock-version}): file hashes in {@code [metadata.hashes]}, without file
 *       names: the files are found on the indexes by hash;
 *   <li>1.0 / 1.1: {@code [metadata.files]} with {@code {file, hash}} per package name, {@code
 *       category = "main" | "dev"}; dependency constraints may carry {@code python} and {@code
 *       platform} instead of markers;
 *   <li>2.0: {@code files = [{file, hash}]} on each package ({@code category} until Poetry 1.5);
 *   <li>2.1 (Poetry 2): each package's {@code groups} and {@code markers} (one marker, or one per
 *       group) say when it is installed, so the lock alone is enough.
 * </ul>
 *
 * <p>For 2.1 locks the packages are selected by their groups and markers ({@code main} always, the
 * other groups when requested; {@code optional} packages only with an extra of the lock's {@code
 * [extras]} that names them). Older locks don't say what the project itself asks for, so {@code
 * pyproject.toml} beside the lock gives the roots ({@code [project].dependencies} and {@code
 * optional-dependencies}, {@code [tool.poetry.dependencies]}, {@code dev-dependencies}, {@code
 * [tool.poetry.group.*.dependencies]}, {@code [tool.poetry.extras]}, PEP 735 {@code
 * [dependency-groups]}) and the lock's dependency edges are walked with their markers evaluated for
 * the target. Poetry records file names and hashes but no URLs: files are looked up on the
 * package's {@code [package.source]} index, then the configured indexes, and their hashes must
 * match. Stateless.
 */
public final class PoetryLockReader {
  static final String ROOT = "<pyproject>";
  private static final Pattern EXTRA_ITEM = Pattern.compile("\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");

  private PoetryLockReader() {}

  /**
   * Reads a poetry.lock (and, for layouts before 2.1, the pyproject.toml beside it).
   *
   * @throws ListingException naming file and line when a file is not valid TOML, the lock-version
   *     is not 1.x or 2.x, the lock breaks the format's rules, or an older lock has no
   *     pyproject.toml beside it
   */
  public static LockedListing read(Path file) throws ListingException {
    return read(file, LockBuilder.readText(file));
  }

  /** Reads poetry.lock text that came from {@code file}. */
  public static LockedListing read(Path file, String text) throws ListingException {
    Path base = file.toAbsolutePath().getParent();
    TomlFields doc = TomlFields.parse(file, text);
    TomlFields metadata = doc.optTable("metadata");
    if (metadata == null) {
      throw doc.error("no [metadata] table; is this a poetry.lock?");
    }
    String lockVersion = metadata.optString("lock-version");
    Version v =
        lockVersion == null
            ? null
            : LockBuilder.version(lockVersion, file + ":" + metadata.line("lock-version"));
    if (v != null && (v.major() < 1 || v.major() > 2)) {
      throw metadata.error(
          "lock-version",
          "poetry.lock lock-version "
              + lockVersion
              + " is not supported; Accretion reads 1.x and 2.x (Poetry 1.0 to 2.x)");
    }
    String layout = lockVersion == null ? "0.12 (no lock-version)" : lockVersion;
    LockCondition requiresPython = LockCondition.ALWAYS;
    String pythonVersions = metadata.optString("python-versions");
    if (pythonVersions != null && !pythonVersions.isBlank()) {
      try {
        requiresPython = python(pythonVersions);
      } catch (ParseException e) {
        throw metadata.error("python-versions", "invalid python-versions: " + e.getMessage());
      }
    }
    TomlFields metadataFiles = metadata.optTable("files");
    TomlFields metadataHashes = metadata.optTable("hashes");

    LockBuilder builder = new LockBuilder();
    Map<LockBuilder.Entry, TomlFields> read = new LinkedHashMap<>();
    boolean hasGroups = false;
    int i = 0;
    for (TomlFields p : doc.tables("package")) {
      PackageName name = LockBuilder.name(p.string("name"), file + ":" + p.line("name"));
      p = p.named(name.normalized());
      String versionText = p.string("version");
      LockBuilder.Entry e = builder.add(name.normalized() + " " + versionText + " #" + i++, name);
      e.version = LockBuilder.version(versionText, file + ":" + p.line("version"));
      hasGroups |= p.has("groups");
      read.put(e, p);
      readSource(base, p, e);
      readFiles(p, e, metadataFiles, metadataHashes);
      if (e.kind != LockedPackage.Kind.UNBUILT && e.files.isEmpty() && e.hashes.isEmpty()) {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source = e.source + " (the lock records no files for it)";
      } else if (e.kind == LockedPackage.Kind.INDEX
          && e.hashes.isEmpty()
          && e.files.stream().noneMatch(LockedFile::isWheel)) {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source = "an sdist only (" + e.files.get(0).filename() + ")";
      }
      String marker = p.optString("marker");
      if (marker != null) {
        e.selector = marker(p, "marker", marker);
      }
    }
    for (Map.Entry<LockBuilder.Entry, TomlFields> r : read.entrySet()) {
      readEdges(r.getValue(), r.getKey());
    }

    Map<String, List<PackageName>> rootExtras = rootExtras(doc);
    List<String> notes = new ArrayList<>();
    LockBuilder.Entry root = builder.add(ROOT, PackageName.of("poetry-project"));
    root.kind = LockedPackage.Kind.PROJECT;
    boolean flat;
    Set<String> declaredGroups = new LinkedHashSet<>();
    if (hasGroups) {
      // Poetry 2.1: groups and markers say it all; the lock is installed without the project
      flat = true;
      root.source = "the lock's groups and markers";
      for (Map.Entry<LockBuilder.Entry, TomlFields> r : read.entrySet()) {
        flatRoot(root, r.getKey(), r.getValue(), rootExtras, declaredGroups);
      }
    } else {
      flat = false;
      Path pyproject = base.resolve("pyproject.toml");
      if (!Files.isRegularFile(pyproject)) {
        throw new ListingException(
            file
                + " (lock-version "
                + layout
                + ") doesn't record which packages the project itself depends on; Accretion"
                + " reads them from pyproject.toml beside the lock, and there is none at "
                + pyproject
                + ". Put the lock next to its pyproject.toml, or lock again with Poetry 2"
                + " (lock-version 2.1 records groups and markers).");
      }
      root.source = pyproject.toString();
      projectRoots(pyproject, root);
      notes.add(
          file.getFileName()
              + " (lock-version "
              + layout
              + "): the project's dependencies come from "
              + pyproject);
    }
    // the lock's own [extras] table also says which optional packages each root extra brings
    Set<String> declaredExtras = new LinkedHashSet<>();
    for (Map.Entry<String, List<PackageName>> x : rootExtras.entrySet()) {
      declaredExtras.add(x.getKey());
      if (!flat && !root.optional.containsKey(x.getKey())) {
        List<LockBuilder.PendingEdge> edges = new ArrayList<>();
        for (PackageName n : x.getValue()) {
          edges.add(new LockBuilder.PendingEdge(n, e -> true, Set.of(), LockCondition.ALWAYS));
        }
        root.optional.put(x.getKey(), edges);
      }
    }
    return new LockedListing(
        file,
        ListingFormat.POETRY_LOCK,
        layout,
        requiresPython,
        List.of(),
        builder.build(),
        List.of(ROOT),
        !flat,
        declaredExtras,
        declaredGroups,
        Set.of(),
        false,
        List.of(),
        notes);
  }

  private static LockCondition python(String constraint) throws ParseException {
    LockCondition condition = Conditions.poetryPython(constraint);
    return condition;
  }

  private static void readSource(Path base, TomlFields p, LockBuilder.Entry e)
      throws ListingException {
    TomlFields source = p.optTable("source");
    String type = source == null ? null : source.optString("type");
    if (type == null) {
      e.kind = LockedPackage.Kind.INDEX;
      e.source = "the default index (PyPI or the configured indexes)";
      return;
    }
    String url = source.optString("url");
    String where = p.file + ":" + source.line("url");
    switch (type.toLowerCase(Locale.ROOT)) {
      case "legacy" -> {
        if (url == null) {
          throw source.error("a legacy source needs a 'url'");
        }
        URI index = LockBuilder.index(LockBuilder.url(url, where));
        e.kind = LockedPackage.Kind.INDEX;
        e.index = index;
        e.searchIndexes.add(index);
        String reference = source.optString("reference");
        e.source = "the index " + (reference == null ? "" : reference + " ") + url;
      }
      case "url", "file" -> {
        if (url == null) {
          throw source.error("a " + type + " source needs a 'url'");
        }
        URI location =
            type.equalsIgnoreCase("url")
                ? LockBuilder.url(url, where)
                : LockBuilder.path(base, url, where);
        String filename = LockBuilder.filenameOf(location);
        e.extra = location;
        e.kind =
            filename.toLowerCase(Locale.ROOT).endsWith(".whl")
                ? LockedPackage.Kind.DIRECT
                : LockedPackage.Kind.UNBUILT;
        e.source = (type.equalsIgnoreCase("url") ? "the URL " : "the file ") + url;
      }
      case "git", "hg", "svn", "bzr" -> {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source =
            "the "
                + type
                + " repository "
                + url
                + (source.optString("resolved_reference") == null
                    ? ""
                    : " at " + source.optString("resolved_reference"));
      }
      case "directory" -> {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source = "the local directory " + url;
      }
      default -> throw source.error("type", "unknown source type '" + type + "'");
    }
  }

  private static void readFiles(
      TomlFields p, LockBuilder.Entry e, TomlFields metadataFiles, TomlFields metadataHashes)
      throws ListingException {
    List<TomlFields> files;
    if (p.has("files")) {
      files = p.tables("files");
    } else if (metadataFiles != null) {
      files = new ArrayList<>();
      for (String key : metadataFiles.keys()) {
        if (PackageName.normalize(key).equals(e.name.normalized())) {
          for (TomlFields f : metadataFiles.tables(key)) {
            // [metadata.files] lists every version's files under one name: keep this version's
            String filename = f.optString("file");
            if (filename == null || versionMatches(filename, e)) {
              files.add(f);
            }
          }
        }
      }
    } else if (metadataHashes != null) {
      files = List.of();
      for (String key : metadataHashes.keys()) {
        if (PackageName.normalize(key).equals(e.name.normalized())) {
          for (String h : metadataHashes.strings(key)) {
            String hex = h.contains(":") ? h.substring(h.indexOf(':') + 1) : h;
            String algorithm = h.contains(":") ? h.substring(0, h.indexOf(':')) : "sha256";
            e.hashes.add(algorithm.toLowerCase(Locale.ROOT) + ":" + hex.toLowerCase(Locale.ROOT));
          }
        }
      }
    } else {
      files = List.of();
    }
    URI direct = e.extra instanceof URI u ? u : null;
    for (TomlFields f : files) {
      String filename = f.string("file");
      Map<String, String> hashes = new LinkedHashMap<>();
      String hash = f.optString("hash");
      if (hash != null) {
        hashes.putAll(LockBuilder.hash(hash, f.file + ":" + f.line("hash")));
      }
      URI location = null;
      if (direct != null) {
        if (!LockBuilder.filenameOf(direct).equals(filename)) {
          continue;
        }
        location = direct;
      }
      e.files.add(new LockedFile(filename, location, hashes, null));
    }
    if (direct != null && e.files.isEmpty()) {
      e.files.add(new LockedFile(LockBuilder.filenameOf(direct), direct, Map.of(), null));
    }
  }

  /** Whether a file named in {@code [metadata.files]} is one of this entry's version. */
  private static boolean versionMatches(String filename, LockBuilder.Entry e) {
    String version = null;
    try {
      if (WheelFilename.isWheel(filename)) {
        version = WheelFilename.parse(filename).version();
      } else if (SdistFilename.isSdist(filename)) {
        version = SdistFilename.parse(filename).version();
      }
    } catch (ParseException ex) {
      version = null;
    }
    if (version != null) {
      return e.version.equals(Version.tryParse(version).orElse(null));
    }
    // an odd name (an old .egg, a misnamed archive): any dash-separated part that is the version
    for (String part : filename.split("-")) {
      Version v = Version.tryParse(part.replaceAll("\\.(tar\\.gz|zip|egg|tgz)$", "")).orElse(null);
      if (v != null && v.equals(e.version)) {
        return true;
      }
    }
    return false;
  }

  /** {@code [package.dependencies]}: a name with a constraint, a table, or a list of tables. */
  private static void readEdges(TomlFields p, LockBuilder.Entry e) throws ListingException {
    TomlFields deps = p.optTable("dependencies");
    Map<String, List<LockBuilder.PendingEdge>> optionalByName = new LinkedHashMap<>();
    if (deps != null) {
      for (String key : deps.keys()) {
        PackageName name = LockBuilder.name(key, p.file + ":" + deps.line(key));
        for (Dep d : constraints(deps, key, name)) {
          if (d.optional()) {
            optionalByName.computeIfAbsent(name.normalized(), n -> new ArrayList<>()).add(d.edge());
          } else {
            e.dependencies.add(d.edge());
          }
        }
      }
    }
    TomlFields extras = p.optTable("extras");
    if (extras != null) {
      for (String extra : extras.keys()) {
        List<LockBuilder.PendingEdge> edges = new ArrayList<>();
        for (String item : extras.strings(extra)) {
          Matcher m = EXTRA_ITEM.matcher(item);
          if (!m.lookingAt()) {
            throw extras.error(extra, "cannot read the extra's item '" + item + "'");
          }
          edges.addAll(optionalByName.getOrDefault(PackageName.normalize(m.group(1)), List.of()));
        }
        e.optional.put(PackageName.normalize(extra), edges);
      }
    }
  }

  private record Dep(LockBuilder.PendingEdge edge, boolean optional) {}

  private static List<Dep> constraints(TomlFields table, String key, PackageName name)
      throws ListingException {
    Object value = table.get(key);
    List<Dep> out = new ArrayList<>();
    String where = table.file + ":" + table.line(key);
    if (value instanceof String constraint) {
      out.add(new Dep(edge(name, constraint, LockCondition.ALWAYS, Set.of(), where), false));
    } else if (value instanceof TomlTable t) {
      out.add(dep(new TomlFields(table.file, t, table.where + "." + key, table.line(key)), name));
    } else if (value instanceof TomlArray a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) instanceof TomlTable t) {
          out.add(
              dep(
                  new TomlFields(
                      table.file, t, table.where + "." + key + "[" + i + "]", table.line(key)),
                  name));
        } else if (a.get(i) instanceof String s) {
          out.add(new Dep(edge(name, s, LockCondition.ALWAYS, Set.of(), where), false));
        } else {
          throw table.error(key, "'" + key + "' must be constraints or tables");
        }
      }
    } else {
      throw table.error(key, "'" + key + "' must be a constraint string, a table or a list");
    }
    return out;
  }

  private static Dep dep(TomlFields t, PackageName name) throws ListingException {
    LockCondition condition = marker(t, "markers", t.optString("markers"));
    String python = t.optString("python");
    if (python != null) {
      try {
        condition = Conditions.and(condition, Conditions.poetryPython(python));
      } catch (ParseException e) {
        throw t.error("python", "invalid python constraint: " + e.getMessage());
      }
    }
    String platform = t.optString("platform");
    if (platform != null) {
      condition =
          Conditions.and(condition, marker(t, "platform", "sys_platform == \"" + platform + "\""));
    }
    String version = t.optString("version");
    Set<String> extras = new LinkedHashSet<>(t.strings("extras"));
    return new Dep(
        edge(name, version, condition, extras, t.file + ":" + t.line("version")),
        t.bool("optional", false));
  }

  private static LockBuilder.PendingEdge edge(
      PackageName name,
      String constraint,
      LockCondition condition,
      Set<String> extras,
      String where)
      throws ListingException {
    Predicate<LockBuilder.Entry> filter = x -> true;
    if (constraint != null) {
      PoetryConstraint c;
      try {
        c = PoetryConstraint.parse(constraint);
      } catch (ParseException e) {
        throw new ListingException(where + ": " + e.getMessage(), e);
      }
      // a URL, path or VCS package is taken whatever its version ("*" in practice)
      filter =
          x -> x.version == null || c.allows(x.version) || x.kind == LockedPackage.Kind.UNBUILT;
    }
    return new LockBuilder.PendingEdge(name, filter, extras, condition);
  }

  /** The lock's top-level {@code [extras]}: root extra → the optional packages it brings. */
  private static Map<String, List<PackageName>> rootExtras(TomlFields doc) throws ListingException {
    Map<String, List<PackageName>> out = new LinkedHashMap<>();
    TomlFields extras = doc.optTable("extras");
    if (extras == null) {
      return out;
    }
    for (String extra : extras.keys()) {
      List<PackageName> names = new ArrayList<>();
      for (String item : extras.strings(extra)) {
        Matcher m = EXTRA_ITEM.matcher(item);
        if (m.lookingAt()) {
          names.add(PackageName.of(m.group(1)));
        }
      }
      out.put(PackageName.normalize(extra), names);
    }
    return out;
  }

  /** Poetry 2.1: one root edge per group the package is in, with that group's marker. */
  private static void flatRoot(
      LockBuilder.Entry root,
      LockBuilder.Entry e,
      TomlFields p,
      Map<String, List<PackageName>> rootExtras,
      Set<String> declaredGroups)
      throws ListingException {
    List<String> groups = p.strings("groups");
    if (groups.isEmpty()) {
      groups = List.of("main");
    }
    Object markers = p.get("markers");
    boolean optional = p.bool("optional", false);
    LockCondition extraCondition = LockCondition.ALWAYS;
    if (optional) {
      // an optional package comes only with a requested extra that names it
      List<String> bringing = new ArrayList<>();
      rootExtras.forEach(
          (extra, names) -> {
            if (names.contains(e.name)) {
              bringing.add(extra);
            }
          });
      extraCondition =
          context -> {
            for (String extra : bringing) {
              if (context.extras().contains(extra)) {
                return true;
              }
            }
            return bringing.isEmpty();
          };
    }
    for (String group : groups) {
      String g = PackageName.normalize(group);
      String text = null;
      if (markers instanceof String s) {
        text = s;
      } else if (markers instanceof TomlTable t) {
        Object m = t.get(List.of(group));
        text = m instanceof String s ? s : null;
      } else if (markers != null) {
        throw p.error("markers", "'markers' must be a string or a table of group markers");
      }
      LockCondition condition = Conditions.and(marker(p, "markers", text), extraCondition);
      LockBuilder.PendingEdge edge =
          new LockBuilder.PendingEdge(e.name, x -> x == e, Set.of(), condition);
      if (g.equals("main")) {
        root.dependencies.add(edge);
      } else {
        declaredGroups.add(g);
        root.groups.computeIfAbsent(g, k -> new ArrayList<>()).add(edge);
      }
    }
  }

  /** The project's own dependencies, extras and groups, from pyproject.toml. */
  private static void projectRoots(Path pyproject, LockBuilder.Entry root) throws ListingException {
    TomlFields doc = TomlFields.parse(pyproject, LockBuilder.readText(pyproject));
    TomlFields project = doc.optTable("project");
    TomlFields tool = doc.optTable("tool");
    TomlFields poetry = tool == null ? null : tool.optTable("poetry");
    List<String> projectDeps = project == null ? List.of() : project.strings("dependencies");
    if (!projectDeps.isEmpty()) {
      for (String text : projectDeps) {
        root.dependencies.add(pep508(doc, text));
      }
      TomlFields optional = project.optTable("optional-dependencies");
      if (optional != null) {
        for (String extra : optional.keys()) {
          List<LockBuilder.PendingEdge> edges = new ArrayList<>();
          for (String text : optional.strings(extra)) {
            edges.add(pep508(optional, text));
          }
          root.optional.put(PackageName.normalize(extra), edges);
        }
      }
    }
    Map<String, List<LockBuilder.PendingEdge>> optionalByName = new LinkedHashMap<>();
    if (poetry != null) {
      TomlFields deps = poetry.optTable("dependencies");
      if (deps != null && projectDeps.isEmpty()) {
        for (String key : deps.keys()) {
          if (key.equalsIgnoreCase("python")) {
            continue;
          }
          PackageName name = LockBuilder.name(key, pyproject + ":" + deps.line(key));
          for (Dep d : constraints(deps, key, name)) {
            if (d.optional()) {
              optionalByName
                  .computeIfAbsent(name.normalized(), n -> new ArrayList<>())
                  .add(d.edge());
            } else {
              root.dependencies.add(d.edge());
            }
          }
        }
      }
      TomlFields dev = poetry.optTable("dev-dependencies");
      if (dev != null) {
        root.groups.put("dev", poetryGroup(dev, pyproject));
      }
      TomlFields groups = poetry.optTable("group");
      if (groups != null) {
        for (String group : groups.keys()) {
          TomlFields g = groups.optTable(group);
          TomlFields deps2 = g == null ? null : g.optTable("dependencies");
          if (deps2 != null) {
            root.groups
                .computeIfAbsent(PackageName.normalize(group), k -> new ArrayList<>())
                .addAll(poetryGroup(deps2, pyproject));
          }
        }
      }
      TomlFields extras = poetry.optTable("extras");
      if (extras != null) {
        for (String extra : extras.keys()) {
          List<LockBuilder.PendingEdge> edges = new ArrayList<>();
          for (String n : extras.strings(extra)) {
            edges.addAll(optionalByName.getOrDefault(PackageName.normalize(n), List.of()));
          }
          root.optional.put(PackageName.normalize(extra), edges);
        }
      }
    }
    TomlFields dependencyGroups = doc.optTable("dependency-groups");
    if (dependencyGroups != null) {
      for (String group : dependencyGroups.keys()) {
        List<LockBuilder.PendingEdge> edges = new ArrayList<>();
        TomlArray items = dependencyGroups.optArray(group);
        for (int i = 0; items != null && i < items.size(); i++) {
          if (items.get(i) instanceof String text) {
            edges.add(pep508(dependencyGroups, text));
          }
          // {include-group = "..."} entries: Poetry resolves them into the lock's groups already
        }
        root.groups
            .computeIfAbsent(PackageName.normalize(group), k -> new ArrayList<>())
            .addAll(edges);
      }
    }
  }

  private static List<LockBuilder.PendingEdge> poetryGroup(TomlFields deps, Path pyproject)
      throws ListingException {
    List<LockBuilder.PendingEdge> out = new ArrayList<>();
    for (String key : deps.keys()) {
      PackageName name = LockBuilder.name(key, pyproject + ":" + deps.line(key));
      for (Dep d : constraints(deps, key, name)) {
        out.add(d.edge());
      }
    }
    return out;
  }

  private static LockBuilder.PendingEdge pep508(TomlFields where, String text)
      throws ListingException {
    Requirement r;
    try {
      r = Requirement.parse(text);
    } catch (ParseException e) {
      throw where.error("invalid requirement '" + text + "': " + e.getMessage());
    }
    LockCondition condition = LockCondition.ALWAYS;
    if (r.marker() != null) {
      condition = marker(where, "", r.marker().toString());
    }
    return new LockBuilder.PendingEdge(
        r.name(),
        x ->
            x.version == null
                || x.kind == LockedPackage.Kind.UNBUILT
                || r.specifier().contains(x.version, Boolean.TRUE),
        r.extras(),
        condition);
  }

  private static LockCondition marker(TomlFields t, String key, String text)
      throws ListingException {
    try {
      return Conditions.marker(text, false);
    } catch (ParseException e) {
      throw t.error(key, "invalid marker: " + e.getMessage());
    }
  }
}
