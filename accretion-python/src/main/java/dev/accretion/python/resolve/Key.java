package dev.accretion.python.resolve;

import dev.accretion.python.PackageName;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the resolver pins once: a project, or a project with a set of extras (pinned to the same
 * version as the plain project), or the target's Python itself (for Requires-Python).
 */
record Key(PackageName name, SortedSet<String> extras, boolean python) {
  static final Key PYTHON = new Key(PackageName.of("python"), new TreeSet<>(), true);

  Key {
    extras = Collections.unmodifiableSortedSet(new TreeSet<>(extras));
  }

  static Key of(PackageName name) {
    return new Key(name, new TreeSet<>(), false);
  }

  static Key of(PackageName name, java.util.Set<String> extras) {
    return new Key(name, new TreeSet<>(extras), false);
  }

  Key base() {
    return extras.isEmpty() ? this : of(name);
  }

  boolean hasExtras() {
    return !extras.isEmpty();
  }

  // spelled out rather than the record's generated (invokedynamic) versions: keys are hashed in
  // every round of the engine, and the generated ones are slow in a cold JVM
  @Override
  public boolean equals(Object o) {
    return o instanceof Key k
        && python == k.python
        && name.equals(k.name)
        && extras.equals(k.extras);
  }

  @Override
  public int hashCode() {
    return (31 * name.hashCode() + (extras.isEmpty() ? 0 : extras.hashCode())) * 2
        + (python ? 1 : 0);
  }

  /** pip's identifier: {@code name} or {@code name[a,b]}; used for ordering ties as pip does. */
  @Override
  public String toString() {
    if (python) {
      return "<Python from Requires-Python>";
    }
    return extras.isEmpty()
        ? name.normalized()
        : name.normalized() + "[" + String.join(",", extras) + "]";
  }
}
