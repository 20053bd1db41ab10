package dev.accretion.node.tree;

import dev.accretion.node.lock.Manifest.EdgeType;
import dev.accretion.node.tree.Tree.Edge;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * npm's dependency flags ({@code calcDepFlags}): a folder is {@code dev} when only devDependencies
 * reach it, {@code optional} when only optional edges do, {@code devOptional} when it is needed by
 * both (and neither alone), {@code peer} when only peer edges do, {@code extraneous} when nothing
 * reaches it.
 */
public final class DepFlags {
  private DepFlags() {}

  public static void calculate(Tree tree) {
    for (TreeNode n : tree.nodes()) {
      boolean root = n.isRoot();
      n.extraneous = !root;
      n.dev = !root;
      n.optional = !root;
      n.devOptional = !root;
      n.peer = !root;
    }
    tree.invalidate();
    Set<TreeNode> seen = new LinkedHashSet<>();
    List<TreeNode> stack = new ArrayList<>();
    stack.add(tree.root());
    while (!stack.isEmpty()) {
      TreeNode node = stack.remove(stack.size() - 1);
      seen.add(node);
      if (node.link()) {
        TreeNode target = tree.target(node);
        if (target == null || target == node) {
          continue;
        }
        boolean changed = false;
        if (target.dev && !node.dev) {
          target.dev = false;
          changed = true;
        }
        if (target.optional && !node.optional) {
          target.optional = false;
          changed = true;
        }
        if (target.devOptional && !node.devOptional) {
          target.devOptional = false;
          changed = true;
        }
        if (target.peer && !node.peer) {
          target.peer = false;
          changed = true;
        }
        if (target.extraneous && !node.extraneous) {
          target.extraneous = false;
          changed = true;
        }
        if (changed || !seen.contains(target)) {
          stack.add(target);
        }
        continue;
      }
      for (Edge e : tree.edgesOut(node)) {
        TreeNode to = e.to();
        if (to == null) {
          continue;
        }
        boolean peer = e.dep().type().peer();
        boolean optional = e.dep().type().optional();
        boolean dev = e.dep().type() == EdgeType.DEV;
        boolean changed = false;
        if (to.extraneous && !node.extraneous && !(peer && optional)) {
          to.extraneous = false;
          changed = true;
        }
        if (to.dev && !node.dev && !dev) {
          to.dev = false;
          changed = true;
        }
        if (to.optional && !node.optional && !optional) {
          to.optional = false;
          changed = true;
        }
        if (to.devOptional
            && !node.devOptional
            && !node.dev
            && !node.optional
            && !dev
            && !optional) {
          to.devOptional = false;
          changed = true;
        }
        if (to.peer && !node.peer && !peer) {
          to.peer = false;
          changed = true;
        }
        if (changed) {
          stack.add(to);
        }
      }
    }
    seen.remove(tree.root());
    for (TreeNode n : seen) {
      if (n.devOptional && (n.dev || n.optional)) {
        n.devOptional = false;
      }
    }
  }
}
