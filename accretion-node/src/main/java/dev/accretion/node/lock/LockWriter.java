package dev.accretion.node.lock;

import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.tree.DepFlags;
import dev.accretion.node.tree.Tree;
import dev.accretion.node.tree.TreeNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree as a {@code package-lock.json} of lockfileVersion 3, the form npm 7+ writes and
 * {@code npm ci} installs from: the project's root entry (its declared dependencies), then one
 * entry per folder, sorted by path, with version, resolved URL, integrity, npm's dependency flags
 * and the package fields npm copies into locks. Stateless.
 */
public final class LockWriter {
  private LockWriter() {}

  /** Fields of a package's manifest npm keeps in its lock entry, in npm's order. */
  private static final List<String> PACKAGE_FIELDS =
      List.of(
          "license",
          "dependencies",
          "optionalDependencies",
          "peerDependencies",
          "peerDependenciesMeta",
          "bin",
          "engines",
          "os",
          "cpu",
          "libc",
          "funding",
          "deprecated");

  /** Fields of the project's own entry. */
  private static final List<String> ROOT_FIELDS =
      List.of(
          "name",
          "version",
          "license",
          "workspaces",
          "dependencies",
          "devDependencies",
          "optionalDependencies",
          "peerDependencies",
          "peerDependenciesMeta",
          "bundleDependencies",
          "bin",
          "engines");

  /** The lock of the whole tree (project entry, every folder). */
  public static String write(Tree tree, NpmConfig config) {
    DepFlags.calculate(tree);
    return render(tree, null);
  }

  /**
   * npm's hidden lockfile, {@code node_modules/.package-lock.json}: what is actually installed (the
   * given folders), without the project's entry. npm ls and npm install read it to know where
   * installed packages came from.
   */
  public static String hidden(Tree tree, java.util.Collection<TreeNode> installed) {
    return render(tree, installed);
  }

  private static String render(Tree tree, java.util.Collection<TreeNode> only) {
    Manifest root = tree.root().manifest();
    Map<String, Object> doc = new LinkedHashMap<>();
    if (root.name() != null) {
      doc.put("name", root.name());
    }
    if (root.version() != null) {
      doc.put("version", root.version());
    }
    doc.put("lockfileVersion", new BigDecimal(3));
    doc.put("requires", true);
    Map<String, Object> packages = new LinkedHashMap<>();
    Map<String, Object> rootEntry = new LinkedHashMap<>();
    for (String f : ROOT_FIELDS) {
      Object v = root.raw().get(f);
      if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty())) {
        rootEntry.put(f, v);
      }
    }
    if (only == null) {
      packages.put("", rootEntry);
    }
    List<TreeNode> nodes = new ArrayList<>();
    for (TreeNode n : only != null ? only : tree.nodes()) {
      if (!n.isRoot() && (only != null || !n.extraneous())) {
        nodes.add(n);
      }
    }
    nodes.sort((a, b) -> a.path().compareTo(b.path()));
    for (TreeNode n : nodes) {
      Map<String, Object> e = new LinkedHashMap<>();
      if (n.link()) {
        e.put("resolved", n.resolved());
        e.put("link", true);
        packages.put(n.path(), e);
        continue;
      }
      if (n.name() != null && n.inNodeModules() && !n.name().equals(n.folderName())) {
        e.put("name", n.name());
      } else if (!n.inNodeModules() && n.name() != null) {
        e.put("name", n.name());
      }
      if (n.version() != null) {
        e.put("version", n.version());
      }
      if (n.resolved() != null) {
        e.put("resolved", n.resolved());
      }
      if (n.integrity() != null) {
        e.put("integrity", n.integrity());
      }
      if (n.dev()) {
        e.put("dev", true);
      }
      if (n.optional()) {
        e.put("optional", true);
      }
      if (n.devOptional() && !n.dev() && !n.optional()) {
        e.put("devOptional", true);
      }
      if (n.peer()) {
        e.put("peer", true);
      }
      if (n.inBundle()) {
        e.put("inBundle", true);
      }
      if (n.hasInstallScript()) {
        e.put("hasInstallScript", true);
      }
      Map<String, Object> raw = n.manifest().raw();
      for (String f : PACKAGE_FIELDS) {
        Object v = raw.get(f);
        if (f.equals("libc") && v == null && n.libcKnown() && n.libc() != null) {
          v = n.libc();
        }
        if (f.equals("bin") && v != null) {
          Map<String, String> bins = n.manifest().bin();
          v = bins.isEmpty() ? null : new LinkedHashMap<>(bins);
        }
        if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty())) {
          e.put(f, v);
        }
      }
      packages.put(n.path(), e);
    }
    doc.put("packages", packages);
    return JsonText.write(doc);
  }
}
