package dev.accretion.node.lock;

import dev.accretion.node.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a package.json (or of a package-lock entry, which repeats them) that installing
 * reads. Immutable view over the parsed JSON.
 *
 * @param raw the parsed object as it was read
 */
public record Manifest(Map<String, Object> raw) {

  /** A dependency of a package and how npm treats it. */
  public enum EdgeType {
    PROD,
    OPTIONAL,
    DEV,
    PEER,
    PEER_OPTIONAL;

    /** Whether a missing target is fine (npm's {@code edge.optional}). */
    public boolean optional() {
      return this == OPTIONAL || this == PEER_OPTIONAL;
    }

    public boolean peer() {
      return this == PEER || this == PEER_OPTIONAL;
    }
  }

  /** One declared dependency: its name, spec text and type. */
  public record Dependency(String name, String spec, EdgeType type) {}

  public Manifest {
    raw = raw == null ? Map.of() : raw;
  }

  public String name() {
    return JsonValues.string(raw, "name");
  }

  public String version() {
    return JsonValues.string(raw, "version");
  }

  public Map<String, String> dependencies() {
    return JsonValues.stringMap(raw.get("dependencies"));
  }

  public Map<String, String> devDependencies() {
    return JsonValues.stringMap(raw.get("devDependencies"));
  }

  public Map<String, String> optionalDependencies() {
    return JsonValues.stringMap(raw.get("optionalDependencies"));
  }

  public Map<String, String> peerDependencies() {
    return JsonValues.stringMap(raw.get("peerDependencies"));
  }

  /** Whether {@code peerDependenciesMeta[name].optional} is true. */
  public boolean peerOptional(String name) {
    return JsonValues.bool(
        JsonValues.map(JsonValues.map(raw, "peerDependenciesMeta"), name), "optional");
  }

  /**
   * The dependency edges as npm's arborist makes them: {@code dependencies}, then {@code
   * optionalDependencies}, then (when {@code withDev}) {@code devDependencies}, then {@code
   * peerDependencies}; a later kind replaces an earlier one of the same name.
   */
  public Map<String, Dependency> edges(boolean withDev) {
    Map<String, Dependency> out = new LinkedHashMap<>();
    dependencies().forEach((n, s) -> out.put(n, new Dependency(n, s, EdgeType.PROD)));
    optionalDependencies().forEach((n, s) -> out.put(n, new Dependency(n, s, EdgeType.OPTIONAL)));
    if (withDev) {
      devDependencies().forEach((n, s) -> out.put(n, new Dependency(n, s, EdgeType.DEV)));
    }
    Map<String, String> peers = peerDependencies();
    peers.forEach(
        (n, s) -> {
          if (!peerOptional(n)) {
            out.put(n, new Dependency(n, s, EdgeType.PEER));
          }
        });
    peers.forEach(
        (n, s) -> {
          if (peerOptional(n)) {
            out.put(n, new Dependency(n, s, EdgeType.PEER_OPTIONAL));
          }
        });
    return out;
  }

  /** {@code os}, or null when the package does not restrict it. */
  public List<String> os() {
    return JsonValues.stringList(raw.get("os"));
  }

  public List<String> cpu() {
    return JsonValues.stringList(raw.get("cpu"));
  }

  public List<String> libc() {
    return JsonValues.stringList(raw.get("libc"));
  }

  /** {@code engines.node}, or null. */
  public String enginesNode() {
    return JsonValues.string(JsonValues.map(raw, "engines"), "node");
  }

  public Map<String, String> scripts() {
    return JsonValues.stringMap(raw.get("scripts"));
  }

  /**
   * The install-time scripts npm would run: preinstall, install, postinstall (and prepare is not).
   */
  public Map<String, String> installScripts() {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> s = scripts();
    for (String k : List.of("preinstall", "install", "postinstall")) {
      if (s.containsKey(k)) {
        out.put(k, s.get(k));
      }
    }
    return out;
  }

  /**
   * The bin map, normalized as npm does ({@code npm-normalize-package-bin}): a string bin is named
   * after the package's unscoped name; target paths are made relative and cannot climb out.
   */
  public Map<String, String> bin() {
    Object b = raw.get("bin");
    Map<String, String> out = new LinkedHashMap<>();
    if (b instanceof String s) {
      String n = name();
      if (n != null) {
        out.put(n.substring(n.lastIndexOf('/') + 1), normalizeBinPath(s));
      }
    } else if (b instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (v instanceof String s) {
              String key = k.toString();
              key = key.substring(key.lastIndexOf('/') + 1);
              if (!key.isEmpty() && !key.equals(".") && !key.equals("..")) {
                out.put(key, normalizeBinPath(s));
              }
            }
          });
    }
    return out;
  }

  /** {@code path.join('/', p).slice(1)}: a path inside the package, {@code ..} cannot escape. */
  static String normalizeBinPath(String p) {
    List<String> parts = new ArrayList<>();
    for (String seg : p.replace('\\', '/').split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(seg);
    }
    return String.join("/", parts);
  }

  /**
   * The license as npm reads it: the {@code license} string, else {@code license.type}, else the
   * types of a legacy {@code licenses} array joined with OR; null when none.
   */
  public String license() {
    Object l = raw.get("license");
    if (l instanceof String s && !s.isBlank()) {
      return s.strip();
    }
    if (l instanceof Map<?, ?> m && m.get("type") instanceof String t) {
      return t.strip();
    }
    if (raw.get("licenses") instanceof List<?> list) {
      List<String> types = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && m.get("type") instanceof String t) {
          types.add(t.strip());
        } else if (o instanceof String t) {
          types.add(t.strip());
        }
      }
      if (!types.isEmpty()) {
        return types.size() == 1 ? types.get(0) : "(" + String.join(" OR ", types) + ")";
      }
    }
    return null;
  }

  /**
   * {@code bundleDependencies} (or {@code bundledDependencies}): names, or every dependency if
   * true.
   */
  public List<String> bundleDependencies() {
    Object b =
        raw.containsKey("bundleDependencies")
            ? raw.get("bundleDependencies")
            : raw.get("bundledDependencies");
    if (Boolean.TRUE.equals(b)) {
      return List.copyOf(dependencies().keySet());
    }
    List<String> l = JsonValues.stringList(b);
    return l == null ? List.of() : l;
  }

  /** The workspace globs ({@code workspaces} as a list, or {@code workspaces.packages}). */
  public List<String> workspaces() {
    Object w = raw.get("workspaces");
    if (w instanceof Map<?, ?> m) {
      w = m.get("packages");
    }
    List<String> l = JsonValues.stringList(w);
    return l == null ? List.of() : l;
  }

  /** {@code overrides}, as written. */
  public Map<String, Object> overrides() {
    return JsonValues.map(raw, "overrides");
  }
}
