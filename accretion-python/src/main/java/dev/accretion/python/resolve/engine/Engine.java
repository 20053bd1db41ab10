package dev.accretion.python.resolve.engine;

import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backtracking dependency resolver with backjumping, in the model pip uses (resolvelib): the
 * state is a stack of pins and per-identifier criteria; each round pins the most preferred
 * unsatisfied identifier to its best candidate whose dependencies don't conflict; when nothing
 * fits, it jumps back to the last pin that contributed to the conflict and records that pin as
 * incompatible. Following pip's model keeps Accretion's answers equal to pip's wherever pip finds
 * one, which is how the resolver is tested.
 *
 * <p>Not thread-safe; one instance per resolution. The provider may do parallel I/O internally.
 */
public final class Engine<K, R, C> {
  private final Provider<K, R, C> provider;
  private final int maxRounds;
  private final List<State<K, R, C>> states = new ArrayList<>();
  private int rounds;
  private int backtracks;

  public Engine(Provider<K, R, C> provider, int maxRounds) {
    this.provider = provider;
    this.maxRounds = maxRounds;
  }

  /** The outcome: a pin per identifier reachable from the roots, and who required what. */
  public record Result<K, R, C>(
      Map<K, C> mapping,
      Map<K, List<Provider.Information<R, C>>> information,
      int rounds,
      int backtracks) {}

  private record Criterion<R, C>(
      List<C> candidates, List<Provider.Information<R, C>> information, List<C> incompatibilities) {
    List<R> requirements() {
      List<R> out = new ArrayList<>(information.size());
      for (Provider.Information<R, C> i : information) {
        out.add(i.requirement());
      }
      return out;
    }
  }

  private static final class State<K, R, C> {
    final LinkedHashMap<K, C> mapping;
    final Map<K, Criterion<R, C>> criteria;
    List<Provider.Information<R, C>> backtrackCauses;

    State(
        LinkedHashMap<K, C> mapping,
        Map<K, Criterion<R, C>> criteria,
        List<Provider.Information<R, C>> backtrackCauses) {
      this.mapping = mapping;
      this.criteria = criteria;
      this.backtrackCauses = backtrackCauses;
    }

    State<K, R, C> copy() {
      return new State<>(
          new LinkedHashMap<>(mapping),
          new LinkedHashMap<>(criteria),
          new ArrayList<>(backtrackCauses));
    }
  }

  /** Thrown inside the engine when adding a requirement leaves an identifier with no candidate. */
  private static final class Conflicted extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Criterion<?, ?> criterion;

    Conflicted(Criterion<?, ?> criterion) {
      super(null, null, false, false);
      this.criterion = criterion;
    }
  }

  private State<K, R, C> state() {
    return states.get(states.size() - 1);
  }

  /**
   * Resolves the root requirements.
   *
   * @throws ResolutionImpossible when no set of candidates satisfies everything; it carries the
   *     requirements (with their parents) of the last conflict
   * @throws AccretionException when the provider fails, or after {@code maxRounds} rounds
   */
  @SuppressWarnings("unchecked")
  public Result<K, R, C> resolve(List<R> roots) throws AccretionException {
    if (!states.isEmpty()) {
      throw new IllegalStateException("already resolved");
    }
    states.add(new State<>(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>()));
    for (R root : roots) {
      try {
        addToCriteria(state().criteria, root, null);
      } catch (Conflicted e) {
        throw new ResolutionImpossible(
            ((Criterion<R, C>) e.criterion).information(), requiredBy(state()));
      }
    }
    // the root state stays as a sentinel, so the first pin has something to backtrack to
    pushNewState();

    for (rounds = 0; rounds < maxRounds; rounds++) {
      List<K> unsatisfied = new ArrayList<>();
      for (Map.Entry<K, Criterion<R, C>> e : state().criteria.entrySet()) {
        if (!isCurrentPinSatisfying(e.getKey(), e.getValue())) {
          unsatisfied.add(e.getKey());
        }
      }
      if (unsatisfied.isEmpty()) {
        return buildResult(state());
      }
      Set<K> satisfied = new HashSet<>(state().criteria.keySet());
      unsatisfied.forEach(satisfied::remove);

      K name = mostPreferred(unsatisfied);
      List<Criterion<R, C>> failureCauses = attemptToPin(name);
      if (!failureCauses.isEmpty()) {
        List<Provider.Information<R, C>> causes = new ArrayList<>();
        for (Criterion<R, C> c : failureCauses) {
          causes.addAll(c.information());
        }
        backtracks++;
        // the state that failed to pin still knows who required what, whatever backjumping
        // leaves on the stack (possibly nothing: resolvelib's popitem on the root's empty mapping)
        State<K, R, C> failed = state();
        boolean success = backjump(causes);
        if (!success) {
          throw new ResolutionImpossible(causes, requiredBy(failed));
        }
        state().backtrackCauses = causes;
      } else {
        // information from pins that stopped satisfying their criteria is stale: drop it
        Set<K> newlyUnsatisfied = new HashSet<>();
        for (Map.Entry<K, Criterion<R, C>> e : state().criteria.entrySet()) {
          if (satisfied.contains(e.getKey()) && !isCurrentPinSatisfying(e.getKey(), e.getValue())) {
            newlyUnsatisfied.add(e.getKey());
          }
        }
        removeInformationFrom(state().criteria, newlyUnsatisfied);
        pushNewState();
      }
    }
    throw new AccretionException(
        "resolution did not finish within "
            + maxRounds
            + " rounds; the dependency graph is too tangled to search exhaustively. "
            + "Pin some of the packages involved to narrow it down.");
  }

  private Map<K, List<Provider.Information<R, C>>> requiredBy(State<K, R, C> state) {
    Map<K, List<Provider.Information<R, C>>> out = new LinkedHashMap<>();
    state.criteria.forEach((k, c) -> out.put(k, c.information()));
    return out;
  }

  public int rounds() {
    return rounds;
  }

  private K mostPreferred(List<K> unsatisfied) {
    K best = null;
    Comparable<Object> bestKey = null;
    for (K k : unsatisfied) {
      @SuppressWarnings("unchecked")
      Comparable<Object> key =
          (Comparable<Object>)
              provider.preference(
                  k, state().criteria.get(k).information(), state().backtrackCauses);
      if (bestKey == null || key.compareTo(bestKey) < 0) {
        best = k;
        bestKey = key;
      }
    }
    return best;
  }

  private void pushNewState() {
    states.add(state().copy());
  }

  private boolean isCurrentPinSatisfying(K name, Criterion<R, C> criterion) {
    C pin = state().mapping.get(name);
    if (pin == null) {
      return false;
    }
    for (Provider.Information<R, C> i : criterion.information()) {
      if (!provider.isSatisfiedBy(i.requirement(), pin)) {
        return false;
      }
    }
    return true;
  }

  private void addToCriteria(Map<K, Criterion<R, C>> criteria, R requirement, C parent)
      throws AccretionException, Conflicted {
    K id = provider.identify(requirement);
    Criterion<R, C> existing = criteria.get(id);
    List<Provider.Information<R, C>> information = new ArrayList<>();
    List<C> incompatibilities = new ArrayList<>();
    if (existing != null) {
      information.addAll(existing.information());
      incompatibilities.addAll(existing.incompatibilities());
    } else {
      provider.discovered(id);
    }
    information.add(new Provider.Information<>(requirement, parent));
    List<R> requirements = new ArrayList<>(information.size());
    for (Provider.Information<R, C> i : information) {
      requirements.add(i.requirement());
    }
    List<C> matches =
        provider.findMatches(id, requirements, new LinkedHashSet<>(incompatibilities));
    Criterion<R, C> criterion =
        new Criterion<>(
            List.copyOf(matches),
            Collections.unmodifiableList(information),
            Collections.unmodifiableList(incompatibilities));
    if (matches.isEmpty()) {
      throw new Conflicted(criterion);
    }
    criteria.put(id, criterion);
  }

  private void removeInformationFrom(Map<K, Criterion<R, C>> criteria, Set<K> parents) {
    if (parents.isEmpty()) {
      return;
    }
    for (Map.Entry<K, Criterion<R, C>> e : criteria.entrySet()) {
      Criterion<R, C> c = e.getValue();
      List<Provider.Information<R, C>> kept = new ArrayList<>();
      for (Provider.Information<R, C> i : c.information()) {
        if (i.parent() == null || !parents.contains(provider.identifyCandidate(i.parent()))) {
          kept.add(i);
        }
      }
      if (kept.size() != c.information().size()) {
        e.setValue(
            new Criterion<>(
                c.candidates(), Collections.unmodifiableList(kept), c.incompatibilities()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private List<Criterion<R, C>> attemptToPin(K name) throws AccretionException {
    Criterion<R, C> criterion = state().criteria.get(name);
    List<Criterion<R, C>> causes = new ArrayList<>();
    for (C candidate : criterion.candidates()) {
      Map<K, Criterion<R, C>> updated = new LinkedHashMap<>(state().criteria);
      try {
        for (R dependency : provider.dependencies(candidate)) {
          addToCriteria(updated, dependency, candidate);
        }
      } catch (Conflicted e) {
        causes.add((Criterion<R, C>) e.criterion);
        continue;
      }
      for (Provider.Information<R, C> i : criterion.information()) {
        if (!provider.isSatisfiedBy(i.requirement(), candidate)) {
          throw new IllegalStateException(
              "provider inconsistency: " + candidate + " does not satisfy " + i.requirement());
        }
      }
      state().criteria.putAll(updated);
      // the newest pin goes last: backjumping reads the last pin from the mapping's order
      state().mapping.remove(name);
      state().mapping.put(name, candidate);
      provider.pinned(candidate);
      return List.of();
    }
    return causes;
  }

  private boolean backjump(List<Provider.Information<R, C>> causes) throws AccretionException {
    Set<K> incompatibleDeps = new HashSet<>();
    for (Provider.Information<R, C> c : causes) {
      if (c.parent() != null) {
        incompatibleDeps.add(provider.identifyCandidate(c.parent()));
      }
      incompatibleDeps.add(provider.identify(c.requirement()));
    }
    while (states.size() >= 3) {
      // drop the state that could not pin
      states.remove(states.size() - 1);

      // go back to a pin whose dependencies touch the conflict
      State<K, R, C> broken;
      K name;
      C candidate;
      while (true) {
        if (states.isEmpty()) {
          return false;
        }
        broken = states.remove(states.size() - 1);
        if (broken.mapping.isEmpty()) {
          return false;
        }
        Map.Entry<K, C> last = broken.mapping.lastEntry();
        name = last.getKey();
        candidate = last.getValue();
        broken.mapping.remove(name);
        Set<K> deps = new HashSet<>();
        for (R d : provider.dependencies(candidate)) {
          deps.add(provider.identify(d));
        }
        if (!Collections.disjoint(deps, incompatibleDeps)) {
          break;
        }
      }

      List<Map.Entry<K, List<C>>> learned = new ArrayList<>();
      for (Map.Entry<K, Criterion<R, C>> e : broken.criteria.entrySet()) {
        learned.add(Map.entry(e.getKey(), new ArrayList<>(e.getValue().incompatibilities())));
      }
      learned.add(Map.entry(name, new ArrayList<>(List.of(candidate))));

      pushNewState();
      if (patchCriteria(learned)) {
        return true;
      }
    }
    return false;
  }

  private boolean patchCriteria(List<Map.Entry<K, List<C>>> learned) throws AccretionException {
    for (Map.Entry<K, List<C>> entry : learned) {
      K k = entry.getKey();
      List<C> incompatibilities = entry.getValue();
      if (incompatibilities.isEmpty()) {
        continue;
      }
      Criterion<R, C> criterion = state().criteria.get(k);
      if (criterion == null) {
        continue;
      }
      Set<C> excluded = new LinkedHashSet<>(incompatibilities);
      excluded.addAll(criterion.incompatibilities());
      List<C> matches = provider.findMatches(k, criterion.requirements(), excluded);
      if (matches.isEmpty()) {
        return false;
      }
      state()
          .criteria
          .put(
              k,
              new Criterion<>(
                  List.copyOf(matches),
                  criterion.information(),
                  Collections.unmodifiableList(new ArrayList<>(excluded))));
    }
    return true;
  }

  private Result<K, R, C> buildResult(State<K, R, C> state) {
    // keep only pins reachable from the roots through the "who required it" information
    Set<K> connected = new HashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<K, Criterion<R, C>> e : state.criteria.entrySet()) {
        if (connected.contains(e.getKey()) || !state.mapping.containsKey(e.getKey())) {
          continue;
        }
        for (Provider.Information<R, C> i : e.getValue().information()) {
          if (i.parent() == null
              || (connected.contains(provider.identifyCandidate(i.parent()))
                  && state.mapping.get(provider.identifyCandidate(i.parent())) == i.parent())) {
            connected.add(e.getKey());
            changed = true;
            break;
          }
        }
      }
    }
    Map<K, C> mapping = new LinkedHashMap<>();
    Map<K, List<Provider.Information<R, C>>> information = new LinkedHashMap<>();
    for (Map.Entry<K, C> e : state.mapping.entrySet()) {
      if (connected.contains(e.getKey())) {
        mapping.put(e.getKey(), e.getValue());
        information.put(e.getKey(), state.criteria.get(e.getKey()).information());
      }
    }
    return new Result<>(mapping, information, rounds, backtracks);
  }
}
