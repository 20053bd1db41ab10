package dev.accretion.node.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.lock.Manifest.Dependency;
import dev.accretion.node.tree.DepFlags;
import dev.accretion.node.tree.Placer;
import dev.accretion.node.tree.Tree;
import dev.accretion.node.tree.TreeNode;
import dev.accretion.node.tree.Workspaces;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a {@code pnpm-lock.yaml} of lockfileVersion 9 (pnpm 9 and 10): an importer's dependencies
 * ({@code .} or a workspace folder), the {@code snapshots} graph they reach (peer-resolved keys
 * such as {@code react-dom@18.3.1(react@18.3.1)}) and the {@code packages} facts (integrity,
 * tarball, os, cpu, libc, engines). The graph is placed as a hoisted node_modules tree with the
 * versions pnpm locked. Older lock versions are refused with the command that upgrades them.
 */
public final class PnpmLock {
  private PnpmLock() {}

  public static Tree read(
      String fileName, String text, Manifest packageJson, String workspace, Path projectDir)
      throws AccretionException {
    Map<String, Object> doc;
    try {
      doc =
          JsonValues.asMap(
              new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build())
                  .loadFromString(text));
    } catch (YamlEngineException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName + " is not valid YAML: " + e.getMessage(),
          "restore it, or run `pnpm install --lockfile-only`",
          null);
    }
    String version = String.valueOf(doc.get("lockfileVersion"));
    if (!version.startsWith("9")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName
              + " has lockfileVersion "
              + version
              + "; Accretion reads pnpm's lockfileVersion 9",
          "upgrade it with pnpm 9 or newer: `pnpm install --lockfile-only`",
          null);
    }
    Map<String, Object> importers = JsonValues.map(doc, "importers");
    Map<String, Object> packages = JsonValues.map(doc, "packages");
    Map<String, Object> snapshots = JsonValues.map(doc, "snapshots");
    String importerId = ".";
    Manifest rootPackage = packageJson;
    if (workspace != null) {
      importerId = null;
      Path dir = Workspaces.folderOf(projectDir, packageJson, workspace);
      String folder = workspace.replaceAll("/+$", "").replaceFirst("^\\./", "");
      for (String id : importers.keySet()) {
        if (id.equals(folder)
            || (dir != null && id.equals(projectDir.relativize(dir).toString()))) {
          importerId = id;
        }
      }
      if (importerId == null) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            fileName + " has no importer for workspace '" + workspace + "'",
            "its importers are " + String.join(", ", importers.keySet()),
            null);
      }
      rootPackage = Workspaces.manifestOf(projectDir, packageJson, workspace);
    }
    Map<String, Object> importer = JsonValues.map(importers, importerId);
    if (importer.isEmpty() && !importers.containsKey(importerId)) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName + " has no importer '" + importerId + "'",
          "run `pnpm install --lockfile-only`",
          null);
    }
    Map<String, Object> rootRaw = new LinkedHashMap<>();
    if (rootPackage != null) {
      putIfPresent(rootRaw, "name", rootPackage.name());
      putIfPresent(rootRaw, "version", rootPackage.version());
    }
    Map<String, String> rootRefs = new LinkedHashMap<>();
    for (String type : List.of("dependencies", "optionalDependencies", "devDependencies")) {
      Map<String, String> specs = new LinkedHashMap<>();
      JsonValues.map(importer, type)
          .forEach(
              (name, v) -> {
                Map<String, Object> dep = JsonValues.asMap(v);
                specs.put(name, String.valueOf(dep.get("specifier")));
                rootRefs.put(name, String.valueOf(dep.get("version")));
              });
      if (!specs.isEmpty()) {
        rootRaw.put(type, specs);
      }
    }
    final String rootKey = "importer:" + importerId;
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
            Map<String, String> refs =
                parentKey.equals(rootKey)
                    ? rootRefs
                    : refsOf(JsonValues.map(snapshots, (String) parentKey));
            String ref = refs.get(dep.name());
            if (ref == null) {
              if (dep.type().optional() || dep.type().peer()) {
                return null;
              }
              throw new AccretionException(
                  FailureKind.BAD_INPUT,
                  fileName
                      + " has no "
                      + dep.name()
                      + " for "
                      + (parentKey.equals(rootKey) ? "the project" : parentKey),
                  "update it with `pnpm install --lockfile-only`",
                  null);
            }
            if (ref.startsWith("link:")
                || ref.startsWith("file:")
                || ref.startsWith("workspace:")) {
              throw new AccretionException(
                  FailureKind.BAD_INPUT,
                  dep.name()
                      + " is "
                      + ref
                      + " in "
                      + fileName
                      + "; Accretion installs only registry packages into a layer",
                  "publish it to a registry, or build the layer for a project without it",
                  null);
            }
            String bare = ref.contains("(") ? ref.substring(0, ref.indexOf('(')) : ref;
            String key = bare.indexOf('@', 1) > 0 ? ref : dep.name() + "@" + ref;
            return candidate(fileName, key, packages, snapshots);
          }
        };
    Tree tree = new Placer(new Manifest(rootRaw), rootKey, source, true).place(true);
    DepFlags.calculate(tree);
    return tree;
  }

  private static void putIfPresent(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  static Map<String, String> refsOf(Map<String, Object> snapshot) {
    Map<String, String> refs = new LinkedHashMap<>();
    JsonValues.map(snapshot, "dependencies").forEach((k, v) -> refs.put(k, String.valueOf(v)));
    JsonValues.map(snapshot, "optionalDependencies")
        .forEach((k, v) -> refs.put(k, String.valueOf(v)));
    return refs;
  }

  static Placer.Candidate candidate(
      String fileName,
      String snapshotKey,
      Map<String, Object> packages,
      Map<String, Object> snapshots)
      throws AccretionException {
    String pkgKey =
        snapshotKey.contains("(")
            ? snapshotKey.substring(0, snapshotKey.indexOf('('))
            : snapshotKey;
    Map<String, Object> pkg = JsonValues.map(packages, pkgKey);
    if (pkg.isEmpty() && !packages.containsKey(pkgKey)) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName + " has no packages entry " + pkgKey,
          "update it with `pnpm install --lockfile-only`",
          null);
    }
    int at = pkgKey.lastIndexOf('@');
    String name = pkgKey.substring(0, at);
    String version = pkgKey.substring(at + 1);
    Map<String, Object> snapshot = JsonValues.map(snapshots, snapshotKey);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("name", name);
    raw.put("version", version);
    Map<String, String> deps = new LinkedHashMap<>();
    Map<String, String> optional = new LinkedHashMap<>();
    JsonValues.map(snapshot, "dependencies")
        .forEach((k, v) -> deps.put(k, exact(k, String.valueOf(v))));
    JsonValues.map(snapshot, "optionalDependencies")
        .forEach((k, v) -> optional.put(k, exact(k, String.valueOf(v))));
    if (!deps.isEmpty()) {
      raw.put("dependencies", deps);
    }
    if (!optional.isEmpty()) {
      raw.put("optionalDependencies", optional);
    }
    for (String f :
        List.of(
            "peerDependencies",
            "peerDependenciesMeta",
            "engines",
            "os",
            "cpu",
            "libc",
            "deprecated",
            "bin")) {
      if (pkg.get(f) != null) {
        raw.put(f, pkg.get(f));
      }
    }
    Map<String, Object> resolution = JsonValues.map(pkg, "resolution");
    String tarball = JsonValues.string(resolution, "tarball");
    if (tarball != null && !tarball.startsWith("http")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          pkgKey
              + " comes from "
              + tarball
              + " in "
              + fileName
              + "; Accretion installs only registry packages and tarball URLs",
          "publish it to a registry",
          null);
    }
    if (JsonValues.string(resolution, "integrity") == null
        && JsonValues.string(resolution, "commit") != null) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          pkgKey + " comes from git in " + fileName + ", which Accretion does not install",
          "depend on a published version",
          null);
    }
    return new Placer.Candidate(
        snapshotKey,
        name,
        version,
        new Manifest(raw),
        tarball,
        JsonValues.string(resolution, "integrity"),
        JsonValues.bool(pkg, "requiresBuild"));
  }

  /**
   * A dependency reference of a snapshot as an exact spec: {@code 1.2.3}, or {@code npm:name@1.2.3}
   * for an alias.
   */
  private static String exact(String depName, String ref) {
    String r = ref.contains("(") ? ref.substring(0, ref.indexOf('(')) : ref;
    if (r.indexOf('@', 1) > 0) {
      return "npm:" + r;
    }
    return r;
  }
}
