package dev.accretion.node.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.lock.Manifest.Dependency;
import dev.accretion.node.registry.RegistryClient;
import dev.accretion.node.tree.DepFlags;
import dev.accretion.node.tree.Placer;
import dev.accretion.node.tree.Tree;
import dev.accretion.node.tree.TreeNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a Yarn 1 {@code yarn.lock}: entries keyed by the descriptors they serve ({@code
 * "name@^1.0.0", name@~1.2.0:}) with version, resolved URL (its {@code #sha1} fragment is the sha1
 * when no integrity is given) and dependencies. The project's package.json says where the graph
 * starts. yarn.lock records no os, cpu or libc, so the targets of optional dependencies have them
 * read from the registry's version documents. Yarn 2+ locks (YAML with {@code __metadata}) are
 * refused with a clear message.
 */
public final class YarnLock {
  private YarnLock() {}

  /** One lock entry (shared by every descriptor it serves). */
  static final class Entry {
    final String key;
    String version;
    String resolved;
    String integrity;
    final Map<String, String> dependencies = new LinkedHashMap<>();
    final Map<String, String> optionalDependencies = new LinkedHashMap<>();

    Entry(String key) {
      this.key = key;
    }
  }

  public static Tree read(String fileName, String text, Manifest packageJson, RegistryClient client)
      throws AccretionException {
    if (text.contains("__metadata:")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName + " is a Yarn 2+ (berry) lock, which Accretion does not read",
          "Accretion reads package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml (v9) and Yarn 1"
              + " yarn.lock; run `npm install --package-lock-only` to write a package-lock.json",
          null);
    }
    Map<String, Entry> byDescriptor = parse(fileName, text);
    // platform facts for the targets of optional dependencies, which yarn.lock leaves out
    Set<Entry> optionalTargets = new LinkedHashSet<>();
    for (Entry e : new LinkedHashSet<>(byDescriptor.values())) {
      e.optionalDependencies.forEach(
          (n, r) -> {
            Entry t = byDescriptor.get(n + "@" + r);
            if (t != null) {
              optionalTargets.add(t);
            }
          });
    }
    packageJson
        .optionalDependencies()
        .forEach(
            (n, r) -> {
              Entry t = byDescriptor.get(n + "@" + r);
              if (t != null) {
                optionalTargets.add(t);
              }
            });
    Map<Entry, Map<String, Object>> platform = new LinkedHashMap<>();
    if (!optionalTargets.isEmpty()) {
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Map<Entry, Future<Map<String, Object>>> docs = new LinkedHashMap<>();
        for (Entry e : optionalTargets) {
          docs.put(e, pool.submit(() -> client.versionDocument(nameOf(e.key), e.version)));
        }
        for (Map.Entry<Entry, Future<Map<String, Object>>> d : docs.entrySet()) {
          try {
            Map<String, Object> doc = d.getValue().get();
            if (doc != null) {
              platform.put(d.getKey(), doc);
            }
          } catch (java.util.concurrent.ExecutionException x) {
            if (x.getCause() instanceof AccretionException a) {
              throw a;
            }
            throw new AccretionException(
                FailureKind.UNREACHABLE, x.getCause().toString(), x.getCause());
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new AccretionException(FailureKind.FAILED, "interrupted", x);
          }
        }
      }
    }
    Placer.Source source =
        new Placer.Source() {
          @Override
          public boolean reuse(
              TreeNode existing, Object parentKey, TreeNode parent, Dependency dep, String spec) {
            return false;
          }

          @Override
          public Placer.Candidate choose(
              Object parentKey, TreeNode parent, Dependency dep, String spec)
              throws AccretionException {
            Entry e = byDescriptor.get(dep.name() + "@" + spec);
            if (e == null) {
              if (dep.type().optional() || dep.type().peer()) {
                return null;
              }
              throw new AccretionException(
                  FailureKind.BAD_INPUT,
                  fileName
                      + " has no entry for "
                      + dep.name()
                      + "@"
                      + spec
                      + " (required by "
                      + (parent.isRoot() ? "package.json" : parent.label())
                      + ")",
                  "package.json and yarn.lock are out of sync: run `yarn install`",
                  null);
            }
            return candidate(fileName, e, platform.get(e));
          }
        };
    Manifest root = packageJson;
    Map<String, Object> rootRaw = new LinkedHashMap<>(root.raw());
    rootRaw.remove("peerDependencies"); // yarn 1 installs no peers
    Tree tree = new Placer(new Manifest(rootRaw), "root", source, false).place(true);
    DepFlags.calculate(tree);
    return tree;
  }

  /**
   * The package name of a descriptor: {@code @s/x@^1} gives {@code @s/x}; an alias gives its
   * target.
   */
  static String nameOf(String descriptor) {
    int at = descriptor.indexOf('@', descriptor.startsWith("@") ? 1 : 0);
    String name = descriptor.substring(0, at);
    String range = descriptor.substring(at + 1);
    if (range.startsWith("npm:")) {
      String rest = range.substring(4);
      int a = rest.indexOf('@', rest.startsWith("@") ? 1 : 0);
      return a < 0 ? rest : rest.substring(0, a);
    }
    return name;
  }

  private static Placer.Candidate candidate(
      String fileName, Entry e, Map<String, Object> registryDoc) throws AccretionException {
    String name = nameOf(e.key);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("name", name);
    raw.put("version", e.version);
    if (!e.dependencies.isEmpty()) {
      raw.put("dependencies", e.dependencies);
    }
    if (!e.optionalDependencies.isEmpty()) {
      raw.put("optionalDependencies", e.optionalDependencies);
    }
    if (registryDoc != null) {
      for (String f : List.of("os", "cpu", "libc", "engines")) {
        if (registryDoc.get(f) != null) {
          raw.put(f, registryDoc.get(f));
        }
      }
    }
    String resolved = e.resolved;
    String integrity = e.integrity;
    if (resolved != null && resolved.contains("#")) {
      String hash = resolved.substring(resolved.indexOf('#') + 1);
      resolved = resolved.substring(0, resolved.indexOf('#'));
      if (integrity == null && hash.matches("[0-9a-f]{40}")) {
        integrity = "sha1-" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hash));
      }
    }
    if (resolved != null && !resolved.startsWith("http")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          name
              + "@"
              + e.version
              + " comes from "
              + resolved
              + " in "
              + fileName
              + "; Accretion installs only registry packages and tarball URLs",
          "publish it to a registry",
          null);
    }
    return new Placer.Candidate(e, name, e.version, new Manifest(raw), resolved, integrity, false);
  }

  /** Parses the Yarn 1 lock format (a small indentation-based syntax, not YAML). */
  static Map<String, Entry> parse(String fileName, String text) throws AccretionException {
    Map<String, Entry> out = new LinkedHashMap<>();
    Entry current = null;
    Map<String, String> section = null;
    int lineNo = 0;
    for (String line : text.split("\r?\n")) {
      lineNo++;
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      String content = line.strip();
      if (indent == 0) {
        if (!content.endsWith(":")) {
          throw bad(fileName, lineNo, "expected `descriptor[, descriptor...]:`");
        }
        List<String> descriptors = splitKeys(content.substring(0, content.length() - 1));
        current = new Entry(descriptors.get(0));
        for (String d : descriptors) {
          out.put(d, current);
        }
        section = null;
      } else if (current == null) {
        throw bad(fileName, lineNo, "a field before any entry");
      } else if (indent == 2) {
        section = null;
        if (content.endsWith(":")) {
          String key = content.substring(0, content.length() - 1);
          section =
              switch (key) {
                case "dependencies" -> current.dependencies;
                case "optionalDependencies" -> current.optionalDependencies;
                default -> new LinkedHashMap<>();
              };
          continue;
        }
        String[] kv = keyValue(content);
        switch (kv[0]) {
          case "version" -> current.version = kv[1];
          case "resolved" -> current.resolved = kv[1];
          case "integrity" -> current.integrity = kv[1];
          default -> {}
        }
      } else {
        if (section == null) {
          throw bad(fileName, lineNo, "an indented line outside a dependencies block");
        }
        String[] kv = keyValue(content);
        section.put(kv[0], kv[1]);
      }
    }
    for (Entry e : new LinkedHashSet<>(out.values())) {
      if (e.version == null) {
        throw bad(fileName, 0, "entry " + e.key + " has no version");
      }
    }
    return out;
  }

  private static AccretionException bad(String fileName, int line, String what) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        fileName + (line > 0 ? " line " + line : "") + " is not a Yarn 1 lock: " + what,
        "restore it with `yarn install`, or build from package-lock.json",
        null);
  }

  private static List<String> splitKeys(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      out.add(unquote(part.strip()));
    }
    return out;
  }

  private static String[] keyValue(String content) {
    String key;
    String rest;
    if (content.startsWith("\"")) {
      int end = content.indexOf('"', 1);
      key = content.substring(1, end);
      rest = content.substring(end + 1).strip();
    } else {
      int sp = content.indexOf(' ');
      key = sp < 0 ? content : content.substring(0, sp);
      rest = sp < 0 ? "" : content.substring(sp + 1).strip();
    }
    return new String[] {key, unquote(rest)};
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\\\"", "\"");
    }
    return s;
  }

  /** Values kept for symmetry with other readers. */
  static Map<String, Object> asMap(Object o) {
    return JsonValues.asMap(o);
  }
}
