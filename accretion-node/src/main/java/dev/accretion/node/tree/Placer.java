package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.Manifest.Dependency;
import dev.accretion.node.lock.Manifest.EdgeType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places a dependency graph into a hoisted node_modules tree, breadth first: each dependency goes
 * as high up as it can (the project's node_modules if free) without changing what any package
 * already placed resolves, else deeper, down to the dependent's own node_modules; a peer dependency
 * goes beside its dependent (or higher) when it can. The result is valid as Node.js resolves
 * modules: every dependency found from a package is the one the graph chose for it (npm ls reports
 * no problem). It need not be npm's own placement. Not thread-safe.
 */
public final class Placer {
  /** What a placed folder holds. */
  public record Candidate(
      Object key,
      String name,
      String version,
      Manifest manifest,
      String resolved,
      String integrity,
      boolean hasInstallScript) {
    public Candidate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(manifest, "manifest");
    }
  }

  /** Where the graph comes from: a registry, or a lock of another shape. */
  public interface Source {
    /**
     * Whether a folder that resolution already finds for {@code dep} of {@code parent} serves it
     * (without asking {@link #choose}).
     */
    boolean reuse(
        TreeNode existing, Object parentKey, TreeNode parent, Dependency dep, String spec);

    /**
     * The package to install for {@code dep} of {@code parent}, or null to leave an optional one
     * out.
     */
    Candidate choose(Object parentKey, TreeNode parent, Dependency dep, String spec)
        throws AccretionException;

    /** The spec to resolve for {@code dep} of {@code parent} (overrides applied). */
    default String spec(Object parentKey, TreeNode parent, Dependency dep)
        throws AccretionException {
      return dep.spec();
    }

    /** Whether {@code dep} of {@code parent} is installed at all (bundled ones are not). */
    default boolean installs(Object parentKey, TreeNode parent, Dependency dep) {
      return true;
    }

    /** Called when a folder is placed (to start fetching its dependencies' metadata early). */
    default void placed(TreeNode node, Object key) {}
  }

  private record EdgeRecord(
      TreeNode from, Dependency dep, String spec, TreeNode to, Object parentKey) {}

  private final Tree tree;
  private final Source source;
  private final boolean installPeers;
  private final Map<TreeNode, Object> keys = new HashMap<>();
  private final Map<String, List<EdgeRecord>> edgesByName = new HashMap<>();

  /**
   * @param root the project's manifest
   * @param rootKey the source's key for the project
   * @param installPeers whether peer dependencies are installed (npm 7+; off with legacy-peer-deps)
   */
  public Placer(Manifest root, Object rootKey, Source source, boolean installPeers) {
    this.tree = Tree.forRoot(root);
    this.source = source;
    this.installPeers = installPeers;
    keys.put(tree.root(), rootKey);
  }

  /** Places the production graph, then (when asked) the project's devDependencies. */
  public Tree place(boolean withDev) throws AccretionException {
    run(tree.root(), false);
    if (withDev) {
      run(tree.root(), true);
    }
    return tree;
  }

  private void run(TreeNode start, boolean devPhase) throws AccretionException {
    Deque<TreeNode> queue = new ArrayDeque<>();
    queue.add(start);
    boolean first = true;
    while (!queue.isEmpty()) {
      TreeNode n = queue.poll();
      List<Dependency> deps = new ArrayList<>(n.manifest().edges(n.isRoot()).values());
      deps.sort(Comparator.comparing(Dependency::name));
      for (Dependency d : deps) {
        if (d.type() == EdgeType.DEV) {
          if (!(devPhase && first && n.isRoot())) {
            continue;
          }
        } else if (devPhase && first && n.isRoot()) {
          continue; // the project's production edges were placed in the first phase
        }
        if (d.type() == EdgeType.PEER_OPTIONAL || (d.type() == EdgeType.PEER && !installPeers)) {
          continue;
        }
        if (!source.installs(keys.get(n), n, d)) {
          continue;
        }
        TreeNode placed = resolveEdge(n, d);
        if (placed != null) {
          queue.add(placed);
        }
      }
      first = false;
    }
  }

  /** Resolves one edge; returns the folder placed for it, or null when an existing one serves. */
  private TreeNode resolveEdge(TreeNode n, Dependency d) throws AccretionException {
    Object parentKey = keys.get(n);
    String spec = source.spec(parentKey, n, d);
    TreeNode existing = tree.target(tree.lookup(n.path(), d.name()));
    if (existing != null && source.reuse(existing, parentKey, n, d, spec)) {
      record(n, d, spec, existing, parentKey);
      return null;
    }
    Candidate c = source.choose(parentKey, n, d, spec);
    if (c == null) {
      record(n, d, spec, null, parentKey);
      return null;
    }
    if (existing != null
        && Objects.equals(existing.name(), c.name())
        && Objects.equals(existing.version(), c.version())
        && Objects.equals(keys.get(existing), c.key())) {
      record(n, d, spec, existing, parentKey);
      return null;
    }
    String dir = placeDir(n, d, c);
    TreeNode node = new TreeNode(Tree.child(dir, d.name()), c.name(), c.version(), c.manifest());
    node.setResolved(c.resolved(), c.integrity());
    node.setHasInstallScript(c.hasInstallScript());
    tree.add(node);
    keys.put(node, c.key());
    // edges that now see the new folder instead of one further up
    for (EdgeRecord r : edgesByName.getOrDefault(d.name(), List.of())) {
      if (inSubtree(r.from().path(), dir) && (r.to() == null || !inSubtree(r.to().path(), dir))) {
        replace(r, node);
      }
    }
    record(n, d, spec, node, parentKey);
    source.placed(node, c.key());
    return node;
  }

  private void replace(EdgeRecord r, TreeNode node) {
    List<EdgeRecord> list = edgesByName.get(r.dep().name());
    list.set(list.indexOf(r), new EdgeRecord(r.from(), r.dep(), r.spec(), node, r.parentKey()));
  }

  private void record(TreeNode from, Dependency d, String spec, TreeNode to, Object parentKey) {
    edgesByName
        .computeIfAbsent(d.name(), k -> new ArrayList<>())
        .add(new EdgeRecord(from, d, spec, to, parentKey));
  }

  /** The package folder whose node_modules receives the candidate. */
  private String placeDir(TreeNode n, Dependency d, Candidate c) throws AccretionException {
    List<String> chain = new ArrayList<>();
    String dir = n.path();
    while (dir != null) {
      chain.add(dir);
      dir = dir.isEmpty() ? null : parentDir(dir);
    }
    // the folder must be deeper than the nearest one that already holds this name
    int limit = chain.size();
    for (int i = 0; i < chain.size(); i++) {
      if (tree.get(Tree.child(chain.get(i), d.name())) != null) {
        limit = i;
        break;
      }
    }
    if (limit == 0) {
      throw new AccretionException(
          FailureKind.CONFLICT,
          n.label()
              + " needs "
              + d.name()
              + "@"
              + d.spec()
              + " but its own node_modules already holds another "
              + d.name(),
          "check the dependency specs and overrides for " + d.name(),
          null);
    }
    boolean peer = d.type().peer();
    for (int i = limit - 1; i >= 0; i--) {
      String candidateDir = chain.get(i);
      if (peer && i == 0 && limit > 1) {
        continue; // a peer goes beside its dependent when it can
      }
      if (canPlace(candidateDir, d.name(), c)) {
        return candidateDir;
      }
    }
    return chain.get(0);
  }

  /** The package folder above {@code path} (through node_modules), or "" at the top. */
  private static String parentDir(String path) {
    String p = Tree.parentPackage(path);
    if (p != null) {
      return p;
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /**
   * Whether a folder of {@code name} at {@code dir}'s node_modules keeps every edge already
   * resolved below {@code dir} valid.
   */
  private boolean canPlace(String dir, String name, Candidate c) {
    for (EdgeRecord r : edgesByName.getOrDefault(name, List.of())) {
      if (!inSubtree(r.from().path(), dir)) {
        continue;
      }
      if (r.to() != null && inSubtree(r.to().path(), dir)) {
        continue; // it resolves to something deeper, which still shadows the new folder
      }
      TreeNode probe = new TreeNode(Tree.child(dir, name), c.name(), c.version(), c.manifest());
      if (!source.reuse(probe, r.parentKey(), r.from(), r.dep(), r.spec())) {
        Object key = keys.get(r.to());
        if (r.to() == null || !Objects.equals(key, c.key())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether {@code path} is {@code dir} or below it ({@code ""} holds everything). */
  static boolean inSubtree(String path, String dir) {
    return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
  }

  /** The source key of a placed folder. */
  public Object keyOf(TreeNode n) {
    return keys.get(n);
  }
}
