package dev.accretion.python.resolve.engine;

import dev.accretion.core.AccretionException;
import java.util.List;
import java.util.Set;

/**
 * What the {@link Engine} needs to know about a package universe. Identifiers ({@code K}) name what
 * can be pinned once (a project, or a project with extras); requirements ({@code R}) ask for an
 * identifier within some bounds; candidates ({@code C}) are concrete choices.
 *
 * <p>Implementations may block on I/O (index pages, metadata) and may throw {@link
 * AccretionException} for failures that should end the resolution (an unreachable index, a
 * malformed metadata file).
 *
 * @param <K> identifier
 * @param <R> requirement
 * @param <C> candidate
 */
public interface Provider<K, R, C> {
  K identify(R requirement);

  K identifyCandidate(C candidate);

  /**
   * A sort key: the engine pins the unsatisfied identifier with the smallest key first.
   *
   * @param information every requirement on {@code identifier} with the candidate that asked for it
   *     (null parent for the user's own requirements)
   * @param backtrackCauses the requirements involved in the most recent conflict
   */
  Comparable<?> preference(
      K identifier, List<Information<R, C>> information, List<Information<R, C>> backtrackCauses);

  /**
   * The candidates that satisfy all {@code requirements} and are not in {@code incompatibilities},
   * most preferred first. An empty list means the requirements conflict.
   */
  List<C> findMatches(K identifier, List<R> requirements, Set<C> incompatibilities)
      throws AccretionException;

  boolean isSatisfiedBy(R requirement, C candidate);

  /** The requirements a candidate brings, already filtered for the target environment. */
  List<R> dependencies(C candidate) throws AccretionException;

  /** Called when the engine starts working on a new identifier; a chance to prefetch. */
  default void discovered(K identifier) {}

  /** Called when a candidate is pinned; a chance to prefetch its dependencies' data. */
  default void pinned(C candidate) {}

  /** A requirement together with the candidate that brought it (null: the user). */
  record Information<R, C>(R requirement, C parent) {}
}
