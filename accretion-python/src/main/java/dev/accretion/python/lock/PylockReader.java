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
import java.util.function.Predicate;

/**
 * Reads a PEP 751 {@code pylock.toml}: {@code lock-version} 1.x (a newer minor version is read as
 * 1.0, with a note; another major version is refused), {@code environments}, {@code
 * requires-python}, {@code extras}, {@code dependency-groups}, {@code default-groups} and every
 * {@code [[packages]]} entry with its {@code marker} (which may test the {@code extras} and {@code
 * dependency_groups} sets), {@code requires-python}, {@code index}, {@code wheels} (URL, or path
 * relative to the lock file), {@code sdist}, {@code archive}, {@code vcs} and {@code directory}.
 *
 * <p>The lock is flat: a package is installed when its marker holds, never because another package
 * depends on it ({@code dependencies} is kept for information). An {@code archive} that is a wheel
 * counts as a wheel; sdists, VCS checkouts, directories and other archives can only be reported
 * (Accretion installs wheels). Stateless.
 */
public final class PylockReader {
  static final String ROOT = "<pylock>";

  private PylockReader() {}

  /**
   * Reads a pylock file.
   *
   * @throws ListingException naming file and line when the file is not valid TOML, has an
   *     unsupported {@code lock-version}, or breaks the format's rules
   */
  public static LockedListing read(Path file) throws ListingException {
    return read(file, LockBuilder.readText(file));
  }

  /** Reads pylock text that came from {@code file} (paths in it are relative to its folder). */
  public static LockedListing read(Path file, String text) throws ListingException {
    Path base = file.toAbsolutePath().getParent();
    TomlFields doc = TomlFields.parse(file, text);
    List<String> notes = new ArrayList<>();
    String lockVersion = doc.string("lock-version");
    Version v;
    try {
      v = Version.parse(lockVersion);
    } catch (ParseException e) {
      throw doc.error("lock-version", "lock-version '" + lockVersion + "' is not a version");
    }
    if (v.major() != 1) {
      throw doc.error(
          "lock-version",
          "lock-version "
              + lockVersion
              + " is not supported; Accretion reads pylock.toml 1.x (PEP 751)");
    }
    if (v.compareTo(version("1.0")) > 0) {
      notes.add(
          file.getFileName()
              + " has lock-version "
              + lockVersion
              + "; Accretion knows 1.0 and reads it as 1.0 (keys it doesn't know are ignored)");
    }
    doc.string("created-by");
    List<LockCondition> environments = new ArrayList<>();
    for (String marker : doc.strings("environments")) {
      environments.add(marker(doc, "environments", marker));
    }
    LockCondition requiresPython;
    String rp = doc.optString("requires-python");
    try {
      requiresPython = Conditions.requiresPython(rp);
    } catch (ParseException e) {
      throw doc.error("requires-python", "invalid requires-python: " + e.getMessage());
    }
    Set<String> extras = normalized(doc.strings("extras"));
    Set<String> groups = normalized(doc.strings("dependency-groups"));
    Set<String> defaultGroups = normalized(doc.strings("default-groups"));
    if (!doc.has("packages")) {
      throw doc.error("'packages' is missing");
    }

    LockBuilder builder = new LockBuilder();
    LockBuilder.Entry root = builder.add(ROOT, PackageName.of("pylock"));
    root.kind = LockedPackage.Kind.PROJECT;
    root.source = "the lock file";
    Map<LockBuilder.Entry, List<TomlFields>> dependencyTables = new LinkedHashMap<>();
    int i = 0;
    for (TomlFields p : doc.tables("packages")) {
      String rawName = p.string("name");
      PackageName name = LockBuilder.name(rawName, file + ":" + p.line("name"));
      p = p.named(name.normalized());
      String id = name.normalized() + "#" + i++;
      LockBuilder.Entry e = builder.add(id, name);
      String version = p.optString("version");
      if (version != null) {
        e.version = LockBuilder.version(version, file + ":" + p.line("version"));
      }
      LockCondition marker = marker(p, "marker", p.optString("marker"));
      String packageRp = p.optString("requires-python");
      if (packageRp != null) {
        try {
          SpecifierSet.parse(packageRp);
        } catch (ParseException ex) {
          throw p.error("requires-python", "invalid requires-python: " + ex.getMessage());
        }
        e.requiresPython = packageRp;
      }
      String index = p.optString("index");
      if (index != null) {
        e.index = LockBuilder.index(LockBuilder.url(index, file + ":" + p.line("index")));
      }
      readSources(base, p, e);
      dependencyTables.put(e, p.tables("dependencies"));
      TomlFields tool = p.optTable("tool");
      TomlFields accretion = tool == null ? null : tool.optTable("accretion");
      if (accretion != null) {
        e.requiredBy.addAll(accretion.strings("required-by"));
      }
      root.dependencies.add(new LockBuilder.PendingEdge(name, same(e), Set.of(), marker));
    }
    for (Map.Entry<LockBuilder.Entry, List<TomlFields>> d : dependencyTables.entrySet()) {
      for (TomlFields dep : d.getValue()) {
        String depName = dep.optString("name");
        if (depName == null) {
          // PEP 751 lets a dependency be named by any identifying key; without a name it can't
          // be matched here, and it is only informational anyway
          continue;
        }
        PackageName n = LockBuilder.name(depName, file + ":" + dep.line("name"));
        String depVersion = dep.optString("version");
        Version wanted = depVersion == null ? null : LockBuilder.version(depVersion, dep.where);
        d.getKey()
            .dependencies
            .add(
                new LockBuilder.PendingEdge(
                    n,
                    x -> wanted == null || wanted.equals(x.version),
                    Set.of(),
                    LockCondition.ALWAYS));
      }
    }
    return new LockedListing(
        file,
        ListingFormat.PYLOCK,
        lockVersion,
        requiresPython,
        environments,
        builder.build(),
        List.of(ROOT),
        false,
        extras,
        groups,
        defaultGroups,
        false,
        List.of(),
        notes);
  }

  private static Predicate<LockBuilder.Entry> same(LockBuilder.Entry e) {
    return x -> x == e;
  }

  private static void readSources(Path base, TomlFields p, LockBuilder.Entry e)
      throws ListingException {
    TomlFields vcs = p.optTable("vcs");
    TomlFields directory = p.optTable("directory");
    TomlFields archive = p.optTable("archive");
    TomlFields sdist = p.optTable("sdist");
    List<TomlFields> wheels = p.tables("wheels");
    int direct = (vcs != null ? 1 : 0) + (directory != null ? 1 : 0) + (archive != null ? 1 : 0);
    boolean distributions = sdist != null || !wheels.isEmpty();
    if (direct > 0 && distributions) {
      throw p.error("vcs, directory and archive can't be combined with sdist or wheels (PEP 751)");
    }
    if (!distributions && direct != 1) {
      throw p.error(
          "a package needs wheels or an sdist, or exactly one of vcs, directory, archive"
              + " (PEP 751)");
    }
    if (vcs != null) {
      e.kind = LockedPackage.Kind.UNBUILT;
      String where = vcs.optString("url") != null ? vcs.optString("url") : vcs.optString("path");
      e.source =
          "a "
              + (vcs.optString("type") == null ? "VCS" : vcs.optString("type"))
              + " checkout of "
              + where
              + (vcs.optString("commit-id") == null ? "" : " at " + vcs.optString("commit-id"));
      return;
    }
    if (directory != null) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source =
          "the local directory "
              + directory.string("path")
              + (directory.bool("editable", false) ? " (editable)" : "");
      return;
    }
    if (archive != null) {
      LockedFile f = file(base, archive, null);
      if (WheelFilename.isWheel(f.filename())) {
        checkWheel(archive, f, e);
        e.kind = LockedPackage.Kind.DIRECT;
        e.source = "archive " + f.location();
        e.files.add(f);
      } else {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source = "the archive " + f.location() + " (not a wheel)";
      }
      return;
    }
    for (TomlFields w : wheels) {
      LockedFile f = file(base, w, w.optString("name"));
      if (!WheelFilename.isWheel(f.filename())) {
        throw w.error("'" + f.filename() + "' is not a wheel file name");
      }
      checkWheel(w, f, e);
      e.files.add(f);
    }
    if (sdist != null) {
      e.files.add(file(base, sdist, sdist.optString("name")));
    }
    if (wheels.isEmpty()) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source = "an sdist only (" + e.files.get(0).filename() + ")";
    } else {
      e.kind = e.index != null ? LockedPackage.Kind.INDEX : LockedPackage.Kind.DIRECT;
      e.source = e.index != null ? "index " + e.index : "direct wheel";
    }
  }

  private static void checkWheel(TomlFields t, LockedFile f, LockBuilder.Entry e)
      throws ListingException {
    WheelFilename wheel;
    try {
      wheel = WheelFilename.parse(f.filename());
    } catch (ParseException ex) {
      throw t.error("invalid wheel file name: " + ex.getMessage());
    }
    if (!wheel.name().equals(e.name)) {
      throw t.error("the wheel " + f.filename() + " is not a file of " + e.name.normalized());
    }
    Version version = Version.tryParse(wheel.version()).orElse(null);
    if (e.version != null && !e.version.equals(version)) {
      throw t.error("the wheel " + f.filename() + " is not version " + e.version + " of " + e.name);
    }
    if (e.version == null) {
      e.version = version;
    }
  }

  private static LockedFile file(Path base, TomlFields t, String name) throws ListingException {
    String url = t.optString("url");
    String path = t.optString("path");
    if (url == null && path == null) {
      throw t.error("a file needs a 'url' or a 'path'");
    }
    URI location =
        url != null
            ? LockBuilder.url(url, t.file + ":" + t.line("url"))
            : LockBuilder.path(base, path, t.file + ":" + t.line("path"));
    String filename = name != null ? name : LockBuilder.filenameOf(location);
    if (url == null && name == null) {
      String p = path.replace('\\', '/');
      filename = p.substring(p.lastIndexOf('/') + 1);
    }
    TomlFields hashes = t.optTable("hashes");
    Map<String, String> map = new LinkedHashMap<>();
    if (hashes != null) {
      for (String algorithm : hashes.keys()) {
        map.put(algorithm, hashes.string(algorithm));
      }
    }
    if (map.isEmpty()) {
      throw t.error("'hashes' is missing or empty; PEP 751 requires a hash for every file");
    }
    try {
      return new LockedFile(filename, location, map, t.optLong("size"));
    } catch (IllegalArgumentException ex) {
      throw t.error(ex.getMessage());
    }
  }

  private static LockCondition marker(TomlFields t, String key, String text)
      throws ListingException {
    try {
      return Conditions.marker(text, false);
    } catch (ParseException e) {
      throw t.error(key, "invalid marker: " + e.getMessage());
    }
  }

  private static Set<String> normalized(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      out.add(PackageName.normalize(n));
    }
    return out;
  }

  private static Version version(String text) {
    return Version.tryParse(text).orElseThrow();
  }
}
