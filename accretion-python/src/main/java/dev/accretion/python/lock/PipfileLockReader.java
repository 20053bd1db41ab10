package dev.accretion.python.lock;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.pep440.Version;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Pipenv {@code Pipfile.lock} (JSON, {@code pipfile-spec} up to 6).
 *
 * <p>{@code default} is always installed; {@code develop} with {@code --group develop} (or {@code
 * dev}); Pipenv's other package categories with {@code --group <category>}. An entry applies when
 * its {@code markers} hold for the target. Entries pin {@code version: "==x"} and list the {@code
 * hashes} of the files allowed; no file names: among the indexes' files of that version, those
 * whose sha256 the lock lists are the candidates, and the best-ranked wheel for the target wins.
 *
 * <p>Indexes: the entry's {@code index} source first, then every {@code _meta.sources} URL (with
 * {@code $VAR} / {@code ${VAR}} expanded from the environment, as Pipenv does), then the configured
 * ones (pip's configuration and the flags). Hashes protect against an index serving other files.
 * {@code git}, {@code editable} and {@code path}/{@code file} entries that are not wheels must be
 * built and are reported. {@code _meta.requires} is not checked: the markers already say what each
 * Python gets. Stateless.
 */
public final class PipfileLockReader {
  static final String ROOT = "<Pipfile>";
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PipfileLockReader() {}

  /** Reads a Pipfile.lock, expanding variables in source URLs from {@code env}. */
  public static LockedListing read(Path file, Map<String, String> env) throws ListingException {
    return read(file, LockBuilder.readText(file), env);
  }

  /**
   * Reads Pipfile.lock text that came from {@code file}.
   *
   * @throws ListingException naming the file and line (JSON syntax) or the entry (structure)
   */
  public static LockedListing read(Path file, String text, Map<String, String> env)
      throws ListingException {
    Path base = file.toAbsolutePath().getParent();
    JsonNode doc;
    try {
      doc = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ListingException(
          file
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": invalid JSON: "
              + e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new ListingException(file + ": a Pipfile.lock is a JSON object");
    }
    JsonNode meta = doc.get("_meta");
    if (meta == null || !meta.isObject()) {
      throw new ListingException(file + ": no \"_meta\" object; is this a Pipfile.lock?");
    }
    JsonNode spec = meta.get("pipfile-spec");
    int specVersion = spec != null && spec.canConvertToInt() ? spec.asInt() : 6;
    if (specVersion > 6 || specVersion < 1) {
      throw new ListingException(
          file
              + ": _meta.pipfile-spec "
              + spec
              + " is not supported; Accretion reads Pipfile.lock up to pipfile-spec 6");
    }
    Map<String, URI> sources = new LinkedHashMap<>();
    JsonNode sourceList = meta.get("sources");
    if (sourceList != null && sourceList.isArray()) {
      int i = 0;
      for (JsonNode s : sourceList) {
        String where = file + ": _meta.sources[" + i++ + "]";
        String name = text(s, "name", where);
        String url = expand(text(s, "url", where), env, where);
        try {
          URI uri = new URI(url);
          if (!uri.isAbsolute()) {
            throw new ListingException(where + ": '" + url + "' is not an absolute URL");
          }
          sources.put(name, uri);
        } catch (URISyntaxException e) {
          throw new ListingException(where + ": '" + url + "' is not a valid URL");
        }
      }
    }

    LockBuilder builder = new LockBuilder();
    LockBuilder.Entry root = builder.add(ROOT, PackageName.of("pipfile"));
    root.kind = LockedPackage.Kind.PROJECT;
    root.source = "the lock's categories";
    Map<String, LockBuilder.Entry> entries = new LinkedHashMap<>();
    Set<String> groups = new LinkedHashSet<>();
    Iterator<Map.Entry<String, JsonNode>> categories = doc.fields();
    while (categories.hasNext()) {
      Map.Entry<String, JsonNode> category = categories.next();
      String categoryName = category.getKey();
      if (categoryName.equals("_meta")) {
        continue;
      }
      if (!category.getValue().isObject()) {
        throw new ListingException(file + ": \"" + categoryName + "\" must be an object");
      }
      Iterator<Map.Entry<String, JsonNode>> packages = category.getValue().fields();
      while (packages.hasNext()) {
        Map.Entry<String, JsonNode> p = packages.next();
        String where = file + ": " + categoryName + "." + p.getKey();
        JsonNode entry = p.getValue();
        if (!entry.isObject()) {
          throw new ListingException(where + ": must be an object");
        }
        PackageName name = LockBuilder.name(p.getKey(), where);
        LockBuilder.Entry e = entry(builder, entries, base, name, entry, sources, where);
        LockCondition condition;
        String markers = optText(entry, "markers", where);
        try {
          condition = Conditions.marker(markers, false);
        } catch (ParseException ex) {
          throw new ListingException(where + ": invalid markers: " + ex.getMessage(), ex);
        }
        LockBuilder.PendingEdge edge =
            new LockBuilder.PendingEdge(name, x -> x == e, Set.of(), condition);
        switch (categoryName) {
          case "default" -> root.dependencies.add(edge);
          case "develop" -> {
            root.groups.computeIfAbsent("develop", k -> new ArrayList<>()).add(edge);
            // `pipenv install --dev` says dev; accept both names
            root.groups.computeIfAbsent("dev", k -> new ArrayList<>()).add(edge);
            groups.add("develop");
          }
          default -> {
            String g = PackageName.normalize(categoryName);
            root.groups.computeIfAbsent(g, k -> new ArrayList<>()).add(edge);
            groups.add(g);
          }
        }
      }
    }
    List<URI> indexes = new ArrayList<>(sources.values());
    List<String> notes = new ArrayList<>();
    if (!sources.isEmpty()) {
      List<String> shown = new ArrayList<>();
      for (URI u : sources.values()) {
        shown.add(LockBuilder.withoutUserInfo(u).toString());
      }
      notes.add(
          file.getFileName()
              + ": its sources ("
              + String.join(", ", shown)
              + ") are searched before the configured indexes; the lock's hashes decide which"
              + " files are accepted");
    }
    return new LockedListing(
        file,
        ListingFormat.PIPFILE_LOCK,
        "pipfile-spec " + specVersion,
        LockCondition.ALWAYS,
        List.of(),
        builder.build(),
        List.of(ROOT),
        false,
        Set.of(),
        groups,
        Set.of(),
        false,
        indexes,
        notes);
  }

  private static LockBuilder.Entry entry(
      LockBuilder builder,
      Map<String, LockBuilder.Entry> entries,
      Path base,
      PackageName name,
      JsonNode entry,
      Map<String, URI> sources,
      String where)
      throws ListingException {
    String versionText = optText(entry, "version", where);
    Version version = null;
    if (versionText != null) {
      String v = versionText.strip();
      if (v.startsWith("===")) {
        v = v.substring(3);
      } else if (v.startsWith("==")) {
        v = v.substring(2);
      } else {
        throw new ListingException(
            where + ": version '" + versionText + "' is not pinned with ==; not a lock entry");
      }
      version = LockBuilder.version(v.strip(), where);
    }
    // the same package in several categories is one entry (one version per install)
    String key = name.normalized() + " " + (version == null ? "" : version);
    LockBuilder.Entry known = entries.get(key);
    if (known != null) {
      return known;
    }
    LockBuilder.Entry e = builder.add(key, name);
    entries.put(key, e);
    e.version = version;
    JsonNode hashes = entry.get("hashes");
    if (hashes != null) {
      if (!hashes.isArray()) {
        throw new ListingException(where + ": \"hashes\" must be a list");
      }
      for (JsonNode h : hashes) {
        Map<String, String> hash = LockBuilder.hash(h.asText(), where);
        hash.forEach((k, v) -> e.hashes.add(k + ":" + v));
      }
    }
    String index = optText(entry, "index", where);
    if (index != null) {
      URI source = sources.get(index);
      if (source == null) {
        throw new ListingException(
            where + ": index '" + index + "' is not one of _meta.sources " + sources.keySet());
      }
      e.searchIndexes.add(LockBuilder.index(LockBuilder.withoutUserInfo(source)));
      e.index = LockBuilder.index(LockBuilder.withoutUserInfo(source));
    }
    String git = optText(entry, "git", where);
    String path = optText(entry, "path", where);
    String fileUrl = optText(entry, "file", where);
    boolean editable = entry.has("editable") && entry.get("editable").asBoolean();
    if (git != null) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source = "the git repository " + git;
    } else if (path != null || fileUrl != null) {
      URI location =
          fileUrl != null ? LockBuilder.url(fileUrl, where) : LockBuilder.path(base, path, where);
      String filename = LockBuilder.filenameOf(location);
      if (!editable && filename.toLowerCase(Locale.ROOT).endsWith(".whl")) {
        if (version == null) {
          throw new ListingException(where + ": a wheel entry needs a version");
        }
        e.kind = LockedPackage.Kind.DIRECT;
        e.source =
            (fileUrl != null ? "the URL " : "the file ") + (fileUrl != null ? fileUrl : path);
        Map<String, String> fileHashes = new LinkedHashMap<>();
        for (String h : e.hashes) {
          fileHashes.putIfAbsent(h.substring(0, h.indexOf(':')), h.substring(h.indexOf(':') + 1));
        }
        e.files.add(new LockedFile(filename, location, fileHashes, null));
        e.hashes.clear();
      } else {
        e.kind = LockedPackage.Kind.UNBUILT;
        e.source =
            (editable ? "the editable " : "the ")
                + (fileUrl != null ? "URL " + fileUrl : "local path " + path);
      }
    } else if (editable) {
      e.kind = LockedPackage.Kind.UNBUILT;
      e.source = "an editable install";
    } else {
      if (version == null) {
        throw new ListingException(where + ": \"version\" is missing");
      }
      if (e.hashes.isEmpty()) {
        throw new ListingException(
            where + ": no \"hashes\"; without them the files can't be verified. Lock again.");
      }
      e.kind = LockedPackage.Kind.INDEX;
      e.source = index == null ? "the indexes" : "the index " + index;
    }
    return e;
  }

  private static String text(JsonNode node, String key, String where) throws ListingException {
    String value = optText(node, key, where);
    if (value == null) {
      throw new ListingException(where + ": \"" + key + "\" is missing");
    }
    return value;
  }

  private static String optText(JsonNode node, String key, String where) throws ListingException {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ListingException(where + ": \"" + key + "\" must be a string");
    }
    return value.asText();
  }

  /** {@code $VAR} and {@code ${VAR}} from the environment, as Pipenv expands source URLs. */
  static String expand(String text, Map<String, String> env, String where) throws ListingException {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = env.get(name);
      if (value == null) {
        throw new ListingException(
            where + ": the source URL uses $" + name + ", which is not set in the environment");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
