package dev.accretion.python.lock;

import dev.accretion.python.PackageName;
import dev.accretion.python.listing.ListingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first step of installing a lock: which of its entries apply to a target. Walks the lock from
 * its roots (or takes its flat list) with markers evaluated in the target's environment and the
 * requested extras and groups; for an edge with several candidate entries (uv's forks, Poetry's
 * markers) the one whose selector holds. Problems are collected, not thrown, so that every one is
 * reported together. Stateless; each walk works on its own state.
 */
final class LockWalk {
  private LockWalk() {}

  /** Requested extras and groups must exist in the lock (a typo must not silently do nothing). */
  static void checkChoices(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      Set<String> extras,
      Set<String> groups)
      throws ListingException {
    Set<String> offeredExtras = new TreeSet<>(listing.declaredExtras());
    Set<String> offeredGroups = new TreeSet<>(listing.declaredGroups());
    offeredGroups.addAll(listing.defaultGroups());
    for (String id : listing.roots()) {
      LockedPackage root = byId.get(id);
      offeredExtras.addAll(root.optionalDependencies().keySet());
      offeredGroups.addAll(root.groupDependencies().keySet());
    }
    for (String extra : extras) {
      if (!offeredExtras.contains(extra)) {
        throw new ListingException(
            listing.file()
                + " has no extra '"
                + extra
                + "'; it offers "
                + (offeredExtras.isEmpty() ? "none" : String.join(", ", offeredExtras)));
      }
    }
    for (String group : groups) {
      if (!offeredGroups.contains(group)) {
        throw new ListingException(
            listing.file()
                + " has no dependency group '"
                + group
                + "'; it offers "
                + (offeredGroups.isEmpty() ? "none" : String.join(", ", offeredGroups)));
      }
    }
  }

  static boolean holds(
      LockCondition condition, LockCondition.Context context, List<String> problems, String what) {
    try {
      return condition.holds(context);
    } catch (LockConditionException e) {
      problems.add(what + ": " + e.getMessage());
      return false;
    }
  }

  /** A package the walk reached. */
  static final class Node {
    final LockedPackage pkg;
    final boolean root;
    final Set<String> extras = new TreeSet<>();
    final Set<String> parents = new TreeSet<>();
    boolean fromListing;

    Node(LockedPackage pkg, boolean root) {
      this.pkg = pkg;
      this.root = root;
    }

    List<String> requiredBy(Walk walk) {
      if (!pkg.requiredBy().isEmpty()) {
        return pkg.requiredBy();
      }
      Set<String> out = new TreeSet<>();
      if (fromListing) {
        out.add("listing");
      }
      out.addAll(parents);
      if (!walk.follow) {
        // a flat lock: who requires what comes from the entries' informational edges
        for (Node other : walk.nodes.values()) {
          for (LockedEdge e : other.pkg.dependencies()) {
            if (e.candidates().contains(pkg.id()) && other != this) {
              out.add(other.pkg.name().normalized());
            }
          }
        }
        if (out.size() > 1) {
          out.remove("listing");
        }
      }
      return List.copyOf(out);
    }

    List<String> dependencies(Walk walk) {
      Set<String> out = new TreeSet<>();
      for (Node other : walk.nodes.values()) {
        if (other != this && other.parents.contains(pkg.name().normalized())) {
          out.add(other.pkg.name().normalized());
        }
      }
      if (!walk.follow) {
        for (LockedEdge e : pkg.dependencies()) {
          Node other = walk.nodes.get(e.name());
          if (other != null && e.candidates().contains(other.pkg.id())) {
            out.add(other.pkg.name().normalized());
          }
        }
      }
      return List.copyOf(out);
    }
  }

  /** The packages reached, by name (one entry per name). */
  static final class Walk {
    final Map<PackageName, Node> nodes = new LinkedHashMap<>();
    final List<Node> roots = new ArrayList<>();
    final boolean follow;

    Walk(boolean follow) {
      this.follow = follow;
    }
  }

  static Walk walk(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> groups,
      List<String> problems) {
    Set<String> activations = new TreeSet<>();
    Walk walk = null;
    // uv.lock's conflict markers ask which extras and groups are active anywhere in the install;
    // walk again until that set stops growing (it only grows; a handful of rounds at most)
    for (int round = 0; round < 16; round++) {
      List<String> roundProblems = new ArrayList<>();
      walk = walkOnce(listing, byId, base, extras, groups, activations, roundProblems);
      if (!listing.extraIsSet()) {
        problems.addAll(roundProblems);
        return walk;
      }
      Set<String> now = new TreeSet<>();
      List<Node> all = new ArrayList<>(walk.roots);
      all.addAll(walk.nodes.values());
      for (Node node : all) {
        String name = node.pkg.name().normalized();
        for (String extra : node.extras) {
          now.add("extra-" + name.length() + "-" + name + "-" + extra);
        }
        if (node.root) {
          for (String group : groups) {
            now.add("group-" + name.length() + "-" + name + "-" + group);
          }
        }
      }
      if (activations.containsAll(now)) {
        problems.addAll(roundProblems);
        return walk;
      }
      activations.addAll(now);
    }
    return walk;
  }

  private static Walk walkOnce(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> groups,
      Set<String> activations,
      List<String> problems) {
    Walk walk = new Walk(listing.followDependencies());
    record Work(Node node, Set<String> newExtras, boolean withBase) {}
    ArrayDeque<Work> queue = new ArrayDeque<>();
    Map<String, Node> roots = new LinkedHashMap<>();
    for (String id : listing.roots()) {
      LockedPackage root = byId.get(id);
      Node node = new Node(root, true);
      Set<String> own = new TreeSet<>(extras);
      own.retainAll(root.optionalDependencies().keySet());
      node.extras.addAll(own);
      roots.put(id, node);
      walk.roots.add(node);
      queue.add(new Work(node, own, true));
    }
    while (!queue.isEmpty()) {
      Work work = queue.poll();
      Node node = work.node();
      if (!node.root && !walk.follow) {
        continue;
      }
      List<LockedEdge> edges = new ArrayList<>();
      if (work.withBase()) {
        edges.addAll(node.pkg.dependencies());
        if (node.root) {
          for (String group : groups) {
            edges.addAll(node.pkg.groupDependencies().getOrDefault(group, List.of()));
          }
        }
      }
      for (String extra : work.newExtras()) {
        edges.addAll(node.pkg.optionalDependencies().getOrDefault(extra, List.of()));
      }
      Set<String> extraValues = new TreeSet<>(activations);
      extraValues.addAll(node.extras);
      if (node.root) {
        // flat locks (Poetry 2.1) test the listing's extras in their markers
        extraValues.addAll(extras);
      }
      LockCondition.Context context = base.withExtra(extraValues);
      for (LockedEdge edge : edges) {
        boolean applies;
        try {
          applies = edge.condition().holds(context);
        } catch (LockConditionException e) {
          problems.add(
              "the dependency of "
                  + node.pkg.display()
                  + " on "
                  + edge.name()
                  + ": "
                  + e.getMessage());
          continue;
        }
        if (!applies) {
          continue;
        }
        LockedPackage target = pick(listing, byId, node, edge, base, extras, activations, problems);
        if (target == null) {
          continue;
        }
        Node child = roots.get(target.id());
        if (child == null) {
          child = walk.nodes.get(target.name());
        }
        boolean fresh = child == null;
        if (fresh) {
          child = new Node(target, false);
          walk.nodes.put(target.name(), child);
        } else if (!child.pkg.id().equals(target.id())) {
          problems.add(
              "the lock selects "
                  + target.name().normalized()
                  + " twice for the target: "
                  + child.pkg.display()
                  + " ("
                  + child.pkg.source()
                  + ") and "
                  + target.display()
                  + " ("
                  + target.source()
                  + "); its markers overlap. Lock again, or report it to the tool that made it.");
          continue;
        }
        if (node.root) {
          if (child != node) {
            child.fromListing = true;
          }
        } else if (child != node) {
          child.parents.add(node.pkg.name().normalized());
        }
        Set<String> newExtras = new TreeSet<>(edge.extras());
        newExtras.removeAll(child.extras);
        child.extras.addAll(newExtras);
        if (fresh || !newExtras.isEmpty()) {
          queue.add(new Work(child, newExtras, fresh));
        }
      }
    }
    return walk;
  }

  /** The entry an edge leads to, or null (with a problem) when there is none. */
  private static LockedPackage pick(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      Node from,
      LockedEdge edge,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> activations,
      List<String> problems) {
    String who = from.root ? "the project" : from.pkg.display();
    if (edge.candidates().isEmpty()) {
      problems.add(
          who
              + " depends on "
              + edge.name().normalized()
              + (edge.condition().describe().isEmpty()
                  ? ""
                  : " (when " + edge.condition().describe() + ")")
              + ", but the lock has no entry for it that fits; the lock is incomplete or out of"
              + " date. Lock again.");
      return null;
    }
    if (edge.candidates().size() == 1) {
      return byId.get(edge.candidates().get(0));
    }
    Set<String> extraValues = new TreeSet<>(activations);
    extraValues.addAll(extras);
    LockCondition.Context context = base.withExtra(extraValues);
    List<LockedPackage> fitting = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (String id : edge.candidates()) {
      LockedPackage candidate = byId.get(id);
      described.add(candidate.display() + " for '" + candidate.selector().describe() + "'");
      try {
        if (candidate.selector().holds(context)) {
          fitting.add(candidate);
        }
      } catch (LockConditionException e) {
        problems.add(candidate.display() + ": " + e.getMessage());
        return null;
      }
    }
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    problems.add(
        who
            + " depends on "
            + edge.name().normalized()
            + ", which the lock has "
            + edge.candidates().size()
            + " times ("
            + String.join("; ", described)
            + "), and "
            + (fitting.isEmpty() ? "none" : fitting.size())
            + " of them apply to the target");
    return null;
  }
}
