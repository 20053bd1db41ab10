package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.pep440.Version;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What every reader shares: mutable package entries whose edges name packages by name and a filter,
 * turned into immutable {@link LockedPackage}s once every entry is known (edges then point at ids).
 */
final class LockBuilder {
  /** An edge before its candidates are known. */
  record PendingEdge(
      PackageName name, Predicate<Entry> filter, Set<String> extras, LockCondition condition) {}

  /** A package entry being read. */
  static final class Entry {
    String id;
    PackageName name;
    Version version;
    LockedPackage.Kind kind = LockedPackage.Kind.INDEX;
    String source = "";
    URI index;
    final List<LockedFile> files = new ArrayList<>();
    final Set<String> hashes = new LinkedHashSet<>();
    final List<URI> searchIndexes = new ArrayList<>();
    LockCondition selector = LockCondition.ALWAYS;
    String requiresPython;
    final List<PendingEdge> dependencies = new ArrayList<>();
    final Map<String, List<PendingEdge>> optional = new LinkedHashMap<>();
    final Map<String, List<PendingEdge>> groups = new LinkedHashMap<>();
    final List<String> requiredBy = new ArrayList<>();

    /** Free for readers (the uv source key, the poetry extras table...). */
    Object extra;

    Entry(String id, PackageName name) {
      this.id = id;
      this.name = name;
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Entry> byId = new HashMap<>();

  Entry add(String id, PackageName name) throws ListingException {
    Entry entry = new Entry(id, name);
    if (byId.putIfAbsent(id, entry) != null) {
      throw new ListingException("the lock lists " + id + " twice");
    }
    entries.add(entry);
    return entry;
  }

  List<Entry> entries() {
    return entries;
  }

  /** Every entry with that name, in lock order. */
  List<Entry> named(PackageName name) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.name.equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  List<LockedPackage> build() {
    Map<PackageName, List<Entry>> byName = new HashMap<>();
    for (Entry e : entries) {
      byName.computeIfAbsent(e.name, n -> new ArrayList<>()).add(e);
    }
    List<LockedPackage> out = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, List<LockedEdge>> optional = new LinkedHashMap<>();
      e.optional.forEach((k, v) -> optional.put(k, edges(v, byName)));
      Map<String, List<LockedEdge>> groups = new LinkedHashMap<>();
      e.groups.forEach((k, v) -> groups.put(k, edges(v, byName)));
      out.add(
          new LockedPackage(
              e.id,
              e.name,
              e.version,
              e.kind,
              e.source,
              e.index,
              e.files,
              e.hashes,
              e.searchIndexes,
              e.selector,
              e.requiresPython,
              edges(e.dependencies, byName),
              optional,
              groups,
              e.requiredBy));
    }
    return out;
  }

  private static List<LockedEdge> edges(
      List<PendingEdge> pending, Map<PackageName, List<Entry>> byName) {
    List<LockedEdge> out = new ArrayList<>();
    for (PendingEdge p : pending) {
      List<String> candidates = new ArrayList<>();
      for (Entry e : byName.getOrDefault(p.name(), List.of())) {
        if (p.filter().test(e)) {
          candidates.add(e.id);
        }
      }
      out.add(new LockedEdge(p.name(), candidates, p.extras(), p.condition()));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for the readers

  /** Reads a lock file as UTF-8 text. */
  static String readText(Path file) throws ListingException {
    try {
      String text = Files.readString(file);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw new ListingException("cannot read '" + file + "': " + e, e);
    }
  }

  /** A package name from a lock; a malformed one is a listing error at {@code where}. */
  static PackageName name(String text, String where) throws ListingException {
    try {
      return PackageName.parse(text);
    } catch (ParseException e) {
      throw new ListingException(where + ": invalid package name: " + e.getMessage(), e);
    }
  }

  static Version version(String text, String where) throws ListingException {
    try {
      return Version.parse(text);
    } catch (ParseException e) {
      throw new ListingException(where + ": invalid version: " + e.getMessage(), e);
    }
  }

  /**
   * An absolute URL from a lock (no credentials are ever added; they come from the index config).
   */
  static URI url(String text, String where) throws ListingException {
    String s = text.strip();
    int hash = s.indexOf('#');
    if (hash >= 0) {
      // a #sha256= fragment is a hash hint, not part of the location
      s = s.substring(0, hash);
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ListingException(where + ": '" + text + "' is not a valid URL: " + e.getMessage());
    }
    if (!uri.isAbsolute()) {
      throw new ListingException(where + ": '" + text + "' is not an absolute URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ListingException(
          where
              + ": the URL '"
              + uri.getScheme()
              + "://"
              + uri.getHost()
              + "/...' carries credentials; remove them from the lock and give them to the index"
              + " configuration (netrc, or the index URL in pip.conf / --extra-index-url)");
    }
    return uri;
  }

  /** A path from a lock, relative to {@code base} unless absolute, as a file: URI. */
  static URI path(Path base, String text, String where) throws ListingException {
    try {
      // locks write POSIX separators even on Windows (PEP 751, uv, Poetry)
      Path p = Path.of(text.replace('\\', '/'));
      return (p.isAbsolute() ? p : base.resolve(p)).normalize().toUri();
    } catch (InvalidPathException e) {
      throw new ListingException(where + ": '" + text + "' is not a valid path");
    }
  }

  /** The last path segment of a URL, percent-decoded. */
  static String filenameOf(URI uri) {
    String path = uri.getPath();
    if (path == null) {
      path = uri.getSchemeSpecificPart();
    }
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  /**
   * A {@code algorithm:hex} hash (uv, Poetry, Pipfile.lock), as a one-entry map.
   *
   * @throws ListingException when the text is not of that form
   */
  static Map<String, String> hash(String text, String where) throws ListingException {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ListingException(where + ": '" + text + "' is not a hash of the form sha256:<hex>");
    }
    String algorithm = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String hex = text.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]+")) {
      throw new ListingException(where + ": '" + text + "' is not a hexadecimal digest");
    }
    return Map.of(algorithm, hex);
  }

  /** An index base URL in the index client's canonical form (ending with {@code /}). */
  static URI index(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? uri : URI.create(text + "/");
  }

  /** The URI without its user info (credentials stay with the index configuration). */
  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Turns an unexpected checked failure of a reader into a listing error at {@code where}. */
  static ListingException wrap(String where, AccretionException e) {
    if (e instanceof ListingException l) {
      return l;
    }
    return new ListingException(where + ": " + e.getMessage(), e);
  }
}
