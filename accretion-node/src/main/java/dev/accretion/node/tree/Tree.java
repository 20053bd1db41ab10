package dev.accretion.node.tree;

import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.Manifest.Dependency;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node_modules tree: folders ({@link TreeNode}) by path, with Node.js's module resolution over
 * them (a package finds {@code name} in the nearest {@code node_modules} folder up from its own,
 * through the real path of a link). Not thread-safe while it is being built.
 */
public final class Tree {
  private final Map<String, TreeNode> nodes = new LinkedHashMap<>();
  private Map<TreeNode, List<Edge>> edgesOut;
  private Map<TreeNode, List<Edge>> edgesIn;

  /** A dependency of {@code from} on {@code dep}, found at {@code to} (null when missing). */
  public record Edge(TreeNode from, Dependency dep, TreeNode to) {
    public String name() {
      return dep.name();
    }

    public boolean optional() {
      return dep.type().optional();
    }
  }

  public Tree(TreeNode root) {
    if (!root.isRoot()) {
      throw new IllegalArgumentException("the root's path is empty, got " + root.path());
    }
    nodes.put("", root);
  }

  public TreeNode root() {
    return nodes.get("");
  }

  /** Adds (or replaces) the node at its path. */
  public void add(TreeNode node) {
    nodes.put(node.path(), node);
    edgesOut = null;
    edgesIn = null;
  }

  public void remove(String path) {
    nodes.remove(path);
    edgesOut = null;
    edgesIn = null;
  }

  public TreeNode get(String path) {
    return nodes.get(path);
  }

  /** Every node, root first, then in the order added. */
  public Collection<TreeNode> nodes() {
    return nodes.values();
  }

  /** The folder name a path installs under: the part after the last {@code node_modules/}. */
  public static String folderName(String path) {
    int i = path.lastIndexOf("node_modules/");
    return i < 0 ? path.substring(path.lastIndexOf('/') + 1) : path.substring(i + 13);
  }

  /** The path of folder {@code name} in the node_modules folder of {@code dir}. */
  public static String child(String dir, String name) {
    return dir.isEmpty() ? "node_modules/" + name : dir + "/node_modules/" + name;
  }

  /**
   * The package folder that contains {@code path}'s node_modules folder: {@code node_modules/a} for
   * {@code node_modules/a/node_modules/b}, {@code ""} for {@code node_modules/b}.
   */
  public static String parentPackage(String path) {
    int i = path.lastIndexOf("/node_modules/");
    if (i >= 0) {
      return path.substring(0, i);
    }
    if (path.startsWith("node_modules/")) {
      return "";
    }
    return null;
  }

  /**
   * Node.js's lookup of {@code name} from a package folder: {@code dir/node_modules/name}, then the
   * same in each folder above that is not itself named node_modules. Returns the folder found (a
   * link is not followed), or null.
   */
  public TreeNode lookup(String dir, String name) {
    String d = dir;
    while (true) {
      if (!d.equals("node_modules") && !d.endsWith("/node_modules")) {
        TreeNode n = nodes.get(child(d, name));
        if (n != null) {
          return n;
        }
      }
      if (d.isEmpty()) {
        return null;
      }
      int slash = d.lastIndexOf('/');
      d = slash < 0 ? "" : d.substring(0, slash);
    }
  }

  /** The folder a link points to (its {@code resolved} path), or the node itself. */
  public TreeNode target(TreeNode n) {
    if (n != null && n.link() && n.resolved() != null) {
      TreeNode t = nodes.get(n.resolved());
      return t == null ? n : t;
    }
    return n;
  }

  /** Whether devDependencies of {@code n} count: the root and workspace folders. */
  public static boolean loadsDev(TreeNode n) {
    return !n.inNodeModules();
  }

  /** The node's dependency edges, with their targets as module resolution finds them. */
  public List<Edge> edgesOut(TreeNode n) {
    index();
    return edgesOut.getOrDefault(n, List.of());
  }

  /** The edges that reach {@code n} (through links too). */
  public List<Edge> edgesIn(TreeNode n) {
    index();
    return edgesIn.getOrDefault(n, List.of());
  }

  private void index() {
    if (edgesOut != null) {
      return;
    }
    edgesOut = new HashMap<>();
    edgesIn = new HashMap<>();
    for (TreeNode n : nodes.values()) {
      if (n.link()) {
        continue;
      }
      List<Edge> out = new ArrayList<>();
      for (Dependency d : n.manifest().edges(loadsDev(n)).values()) {
        TreeNode to = target(lookup(n.path(), d.name()));
        Edge e = new Edge(n, d, to);
        out.add(e);
        if (to != null) {
          edgesIn.computeIfAbsent(to, k -> new ArrayList<>()).add(e);
        }
      }
      edgesOut.put(n, out);
    }
  }

  /** Forgets computed edges (after nodes changed their manifests' view). */
  public void invalidate() {
    edgesOut = null;
    edgesIn = null;
  }

  /** An empty root for a project with this manifest. */
  public static Tree forRoot(Manifest root) {
    return new Tree(new TreeNode("", root.name(), root.version(), root));
  }
}
