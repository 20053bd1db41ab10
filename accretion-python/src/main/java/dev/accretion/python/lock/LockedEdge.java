package dev.accretion.python.lock;

import dev.accretion.python.PackageName;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A dependency recorded by a lock: from a package (or the project) to another locked package.
 *
 * @param name the package depended on
 * @param candidates ids of the locked packages this edge may lead to, as the lock says (several
 *     when the lock has the package at several versions and the edge doesn't say which: the one
 *     whose {@link LockedPackage#selector()} holds is taken); empty when the lock has none, which
 *     is an error only if the edge applies to the target
 * @param extras extras of the target package that this edge requests (normalized)
 * @param condition when the edge applies
 */
public record LockedEdge(
    PackageName name, List<String> candidates, Set<String> extras, LockCondition condition) {
  public LockedEdge {
    Objects.requireNonNull(name, "name");
    candidates = List.copyOf(candidates);
    TreeSet<String> normalized = new TreeSet<>();
    extras.forEach(e -> normalized.add(PackageName.normalize(e)));
    extras = Set.copyOf(normalized);
    Objects.requireNonNull(condition, "condition");
  }
}
