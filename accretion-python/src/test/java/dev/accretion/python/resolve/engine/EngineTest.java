package dev.accretion.python.resolve.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The engine on a toy universe: integer versions, inclusive ranges. */
class EngineTest {
  record Req(String name, int min, int max) {
    static Req parse(String s) {
      String[] p = s.split("[ ,]+");
      return new Req(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }
  }

  record Cand(String name, int version) {}

  /** name -> version -> dependencies */
  static final class Universe implements Provider<String, Req, Cand> {
    final Map<String, TreeMap<Integer, List<Req>>> packages = new HashMap<>();
    int dependencyCalls;

    Universe add(String name, int version, String... deps) {
      List<Req> reqs = new ArrayList<>();
      for (String d : deps) {
        reqs.add(Req.parse(d));
      }
      packages.computeIfAbsent(name, n -> new TreeMap<>()).put(version, reqs);
      return this;
    }

    @Override
    public String identify(Req requirement) {
      return requirement.name();
    }

    @Override
    public String identifyCandidate(Cand candidate) {
      return candidate.name();
    }

    @Override
    public Comparable<?> preference(
        String identifier,
        List<Information<Req, Cand>> information,
        List<Information<Req, Cand>> backtrackCauses) {
      return identifier;
    }

    @Override
    public List<Cand> findMatches(String identifier, List<Req> requirements, Set<Cand> bad) {
      List<Cand> out = new ArrayList<>();
      TreeMap<Integer, List<Req>> versions = packages.getOrDefault(identifier, new TreeMap<>());
      for (int v : versions.descendingKeySet()) {
        Cand c = new Cand(identifier, v);
        if (!bad.contains(c) && requirements.stream().allMatch(r -> isSatisfiedBy(r, c))) {
          out.add(c);
        }
      }
      out.sort(Comparator.comparingInt(Cand::version).reversed());
      return out;
    }

    @Override
    public boolean isSatisfiedBy(Req r, Cand c) {
      return c.version() >= r.min() && c.version() <= r.max();
    }

    @Override
    public List<Req> dependencies(Cand c) {
      dependencyCalls++;
      return packages.get(c.name()).get(c.version());
    }
  }

  static Map<String, Integer> solve(Universe u, String... roots) throws Exception {
    List<Req> reqs = new ArrayList<>();
    for (String r : roots) {
      reqs.add(Req.parse(r));
    }
    Engine.Result<String, Req, Cand> result = new Engine<>(u, 10_000).resolve(reqs);
    Map<String, Integer> out = new TreeMap<>();
    result.mapping().forEach((k, v) -> out.put(k, v.version()));
    return out;
  }

  @Test
  void resolve_picksNewestVersionsWhenNothingConflicts() throws Exception {
    Universe u = new Universe().add("a", 1).add("a", 2, "b 1 9").add("b", 1).add("b", 3);
    assertThat(solve(u, "a 0 9")).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 2, "b", 3)));
  }

  @Test
  void resolve_backtracksToOlderVersionWhoseDependenciesFit() throws Exception {
    // a2 needs c>=2, but b (pinned first? no: alphabetical preference) b1 needs c<=1
    Universe u =
        new Universe()
            .add("a", 2, "c 2 9")
            .add("a", 1, "c 0 1")
            .add("b", 1, "c 0 1")
            .add("c", 1)
            .add("c", 2);
    assertThat(solve(u, "a 0 9", "b 0 9"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 1, "b", 1, "c", 1)));
  }

  @Test
  void resolve_backjumpsOverUnrelatedPins() throws Exception {
    // x is pinned between a and the conflict on c; it must be kept, not churned.
    Universe u =
        new Universe()
            .add("a", 3, "c 3 3")
            .add("a", 2, "c 2 2")
            .add("b", 1, "c 0 2")
            .add("c", 2)
            .add("c", 3)
            .add("x", 5)
            .add("x", 4);
    assertThat(solve(u, "a 0 9", "b 0 9", "x 0 9"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 2, "b", 1, "c", 2, "x", 5)));
  }

  @Test
  void resolve_handlesCyclicDependencies() throws Exception {
    Universe u = new Universe().add("a", 1, "b 1 1").add("b", 1, "a 1 1");
    assertThat(solve(u, "a 0 9")).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 1, "b", 1)));
  }

  @Test
  void resolve_reportsConflictingRootRequirements() {
    Universe u = new Universe().add("a", 1).add("a", 2);
    assertThatThrownBy(() -> solve(u, "a 2 9", "a 0 1"))
        .isInstanceOf(ResolutionImpossible.class)
        .satisfies(
            e ->
                assertThat(((ResolutionImpossible) e).causes())
                    .extracting(i -> (Object) i.requirement())
                    .containsExactly(new Req("a", 2, 9), new Req("a", 0, 1)));
  }

  @Test
  void resolve_reportsImpossibleAfterExhaustingEveryVersion() {
    Universe u =
        new Universe()
            .add("a", 2, "c 2 9")
            .add("a", 1, "c 2 9")
            .add("b", 1, "c 0 1")
            .add("c", 1)
            .add("c", 2);
    assertThatThrownBy(() -> solve(u, "a 0 9", "b 0 9"))
        .isInstanceOf(ResolutionImpossible.class)
        .satisfies(
            e ->
                assertThat(((ResolutionImpossible) e).causes())
                    .extracting(i -> ((Req) i.requirement()).name())
                    .contains("c"));
  }

  @Test
  void resolve_dropsPinsNoLongerReachableFromRoots() throws Exception {
    // a2 needs d; after backtracking to a1, d must not stay in the answer
    Universe u =
        new Universe()
            .add("a", 2, "d 1 1", "c 2 2")
            .add("a", 1, "c 1 1")
            .add("b", 1, "c 1 1")
            .add("c", 1)
            .add("c", 2)
            .add("d", 1);
    assertThat(solve(u, "a 0 9", "b 0 9"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 1, "b", 1, "c", 1)));
  }
}
