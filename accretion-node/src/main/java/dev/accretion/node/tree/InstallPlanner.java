package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.lock.Manifest.EdgeType;
import dev.accretion.node.lock.Spec;
import dev.accretion.node.platform.NodePlatform;
import dev.accretion.node.tree.Tree.Edge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which folders of a tree a production install for a target lays out, as {@code npm ci
 * --omit=dev --os=linux --cpu=<arch>} does: folders flagged {@code dev} are omitted ({@code
 * devOptional} ones are kept, as npm keeps them unless optional ones are omitted too); an optional
 * folder whose os, cpu, libc or engines do not fit the target is left out together with its
 * optional set (npm's {@code optionalSet}: the optional folders that need it, and what only they
 * need); a required folder that does not fit fails the build. Stateless.
 */
public final class InstallPlanner {
  private InstallPlanner() {}

  /**
   * What to lay out.
   *
   * @param install the folders to lay out, in tree order
   * @param notes what was left out for the target and why
   * @param warnings engines that exclude the target's Node.js version
   */
  public record Plan(List<TreeNode> install, List<String> notes, List<String> warnings) {
    public Plan {
      install = List.copyOf(install);
      notes = List.copyOf(notes);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Plans the install. Folders under workspace folders and links are not part of it (the caller
   * re-places a workspace's dependencies when one is built).
   *
   * @throws AccretionException {@link FailureKind#CONFLICT} naming a required package that does not
   *     run on the target
   */
  public static Plan plan(Tree tree, NodePlatform platform) throws AccretionException {
    Set<TreeNode> inert = new HashSet<>();
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> misfits = new ArrayList<>();
    for (TreeNode n : tree.nodes()) {
      if (n.isRoot() || n.link() || n.dev()) {
        continue;
      }
      String why = platform.mismatch(n.manifest().os(), n.manifest().cpu(), n.libc());
      // devOptional: needed by a dev dependency and by an optional one; for production it is as
      // optional as the optional one that needs it
      if (!n.optional() && !n.devOptional()) {
        if (why != null) {
          misfits.add(n.label() + " (" + n.path() + ") needs " + why);
        }
        continue;
      }
      if (inert.contains(n)) {
        continue;
      }
      if (why == null && !platform.enginesAdmit(n.manifest().enginesNode())) {
        why =
            "engines.node "
                + n.manifest().enginesNode()
                + " (target: Node.js "
                + platform.nodeMajor()
                + ")";
      }
      if (why != null) {
        Set<TreeNode> set = optionalSet(tree, n, inert);
        inert.addAll(set);
        StringBuilder note =
            new StringBuilder("left out optional ")
                .append(n.label())
                .append(": it needs ")
                .append(why);
        List<String> others = new ArrayList<>();
        for (TreeNode o : set) {
          if (o != n) {
            others.add(o.label());
          }
        }
        if (!others.isEmpty()) {
          note.append("; with it ").append(String.join(", ", others));
        }
        notes.add(note.toString());
      }
    }
    if (!misfits.isEmpty()) {
      throw new AccretionException(
          FailureKind.CONFLICT,
          "required package(s) that do not run on "
              + platform.describe()
              + ": "
              + String.join("; ", misfits),
          "make them optionalDependencies (npm then leaves them out where they do not fit), or"
              + " build for a target they support",
          null);
    }
    List<TreeNode> install = new ArrayList<>();
    for (TreeNode n : tree.nodes()) {
      if (n.isRoot() || n.link() || n.dev() || inert.contains(n) || !n.inNodeModules()) {
        continue;
      }
      if (!n.path().startsWith("node_modules/")) {
        continue;
      }
      install.add(n);
      if (!platform.enginesAdmit(n.manifest().enginesNode())) {
        warnings.add(
            n.label()
                + " declares engines.node \""
                + n.manifest().enginesNode()
                + "\", which excludes Node.js "
                + platform.nodeMajor());
      }
    }
    return new Plan(install, notes, warnings);
  }

  /** npm's {@code optionalSet}: what fails with an optional folder that cannot be installed. */
  static Set<TreeNode> optionalSet(Tree tree, TreeNode node, Set<TreeNode> inert) {
    LinkedHashSet<TreeNode> set = new LinkedHashSet<>();
    set.add(node);
    List<TreeNode> queue = new ArrayList<>(set);
    for (int i = 0; i < queue.size(); i++) {
      for (Edge e : tree.edgesIn(queue.get(i))) {
        if (!e.optional() && set.add(e.from())) {
          queue.add(e.from());
        }
      }
    }
    Set<TreeNode> boundary = Set.copyOf(set);
    LinkedHashSet<TreeNode> deps = new LinkedHashSet<>(set);
    List<TreeNode> walk = new ArrayList<>(deps);
    for (int i = 0; i < walk.size(); i++) {
      for (Edge e : tree.edgesOut(walk.get(i))) {
        if (e.to() != null && counts(e, boundary, inert) && deps.add(e.to())) {
          walk.add(e.to());
        }
      }
    }
    boolean changed = true;
    while (changed && !deps.isEmpty()) {
      changed = false;
      for (TreeNode dep : List.copyOf(deps)) {
        for (Edge e : tree.edgesIn(dep)) {
          if (!deps.contains(e.from()) && counts(e, boundary, inert)) {
            changed = true;
            deps.remove(dep);
            break;
          }
        }
      }
    }
    deps.remove(tree.root());
    return deps;
  }

  private static boolean counts(Edge e, Set<TreeNode> set, Set<TreeNode> inert) {
    return !set.contains(e.to()) && !inert.contains(e.from());
  }

  /**
   * Checks a lock against its package.json and itself as {@code npm ci} does before installing:
   * every dependency of the project (devDependencies too) and of every production package must be
   * in the lock at a version its spec accepts.
   *
   * @param overridden names that package.json {@code overrides} rewrite; their specs are not
   *     checked
   * @param lockName the lock's file name, for the message
   * @return problems with peer dependencies (npm warns about these), one line each
   * @throws AccretionException {@link FailureKind#BAD_INPUT} listing every missing or invalid
   *     dependency, with the command that brings the lock in sync
   */
  public static List<String> checkInSync(Tree tree, Set<String> overridden, String lockName)
      throws AccretionException {
    List<String> problems = new ArrayList<>();
    List<String> peerProblems = new ArrayList<>();
    for (TreeNode n : tree.nodes()) {
      if (n.link() || (!n.isRoot() && n.dev()) || n.inBundle()) {
        continue;
      }
      for (Edge e : tree.edgesOut(n)) {
        EdgeType type = e.dep().type();
        if (type == EdgeType.DEV && !n.isRoot() && n.inNodeModules()) {
          continue;
        }
        String required = n.isRoot() ? "" : " (required by " + n.label() + ")";
        Spec spec = Spec.parse(e.dep().spec());
        if (e.to() == null) {
          if (type.optional()) {
            continue;
          }
          String line =
              "Missing: " + e.name() + "@" + e.dep().spec() + " from lock file" + required;
          (type.peer() ? peerProblems : problems).add(line);
          continue;
        }
        if (overridden.contains(e.name())) {
          continue;
        }
        if (!spec.accepts(e.to().name(), e.to().version())) {
          String line =
              "Invalid: lock file's "
                  + e.to().label()
                  + " does not satisfy "
                  + e.name()
                  + "@"
                  + e.dep().spec()
                  + required;
          (type.peer() ? peerProblems : problems).add(line);
        }
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 20);
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "package.json and "
              + lockName
              + " are not in sync (npm ci refuses them too): "
              + String.join("; ", problems.subList(0, shown))
              + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""),
          "update the lock with `npm install` (or `npm install --package-lock-only`) and build again",
          null);
    }
    return peerProblems;
  }
}
