package dev.accretion.python.lock;

import dev.accretion.python.pep508.MarkerEnvironment;
import java.util.Set;

/**
 * When a locked package or dependency edge applies: a marker in the lock's dialect, a Poetry {@code
 * python} constraint, or always. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface LockCondition {
  /** The condition that always holds. */
  LockCondition ALWAYS = context -> true;

  /**
   * What a condition is evaluated against.
   *
   * @param environment the target's marker environment
   * @param extra the values of the PEP 508 {@code extra} variable: the extras requested of the
   *     package whose dependency this is (or the listing's extras for a root), plus uv's encoded
   *     conflict activations
   * @param extras the PEP 751 {@code extras} set (the listing's requested extras)
   * @param groups the PEP 751 {@code dependency_groups} set (requested and default groups)
   * @param pythonVersion {@code X.Y} of the target
   * @param pythonFullVersion {@code X.Y.Z} of the target
   */
  record Context(
      MarkerEnvironment environment,
      Set<String> extra,
      Set<String> extras,
      Set<String> groups,
      String pythonVersion,
      String pythonFullVersion) {
    public Context {
      extra = Set.copyOf(extra);
      extras = Set.copyOf(extras);
      groups = Set.copyOf(groups);
    }

    Context withExtra(Set<String> values) {
      return new Context(environment, values, extras, groups, pythonVersion, pythonFullVersion);
    }
  }

  /**
   * Whether the condition holds.
   *
   * @throws LockConditionException when it cannot be evaluated (an undefined comparison)
   */
  boolean holds(Context context) throws LockConditionException;

  /** The condition as the lock wrote it, for messages ("" for {@link #ALWAYS}). */
  default String describe() {
    return "";
  }
}
