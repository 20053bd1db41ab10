package dev.accretion.python.pep440;

import static dev.accretion.python.pep440.PackagingOracle.bool;
import static dev.accretion.python.pep440.PackagingOracle.text;
import static dev.accretion.python.pep440.VersionConformanceTest.show;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link Specifier} and {@link SpecifierSet} against Python's {@code
 * packaging} 26.2: parsing, normalized text, operator and version, the derived pre-release setting,
 * equality, {@code contains} with pre-releases null/true/false (and on version text), {@code
 * filter}, and intersection, on hand-picked edge cases and thousands of generated specifiers and
 * near-misses, each tried against versions chosen around its own version.
 */
class SpecifierConformanceTest {
  private static final long SEED = Fuzz.seed(508_440L);
  private static final int GENERATED_SPECIFIERS = Fuzz.scaled(3000);
  private static final int GENERATED_SETS = Fuzz.scaled(1500);
  private static final Boolean[] TRI = {null, Boolean.TRUE, Boolean.FALSE};

  static final List<String> EDGE_SPECIFIERS =
      List.of(
          "==1.0",
          "== 1.0",
          " ==1.0 ",
          "==1.0.*",
          "==1.*",
          "!=1.0.*",
          "==1.0+local",
          "!=1.0+local",
          "==1.0+LOCAL.01",
          "==1.0.*+local",
          ">=1.0+local",
          "<1.0+local",
          "~=1",
          "~=1.0",
          "~=1.0.0",
          "~=1.0a1",
          "~=1.0.c1",
          "~=1.0c1",
          "~=1.0C1",
          "~=1.0.A1",
          "~=1.0.pre1",
          "~=1.0.DEV1",
          "~=1.0.dev1",
          "~=v1.0",
          "~=V1.0",
          "~=1!1.0",
          "~=v1!1.0",
          "~=1.0-1",
          "~=01.02",
          "~=1.0.r1",
          "~=1.0.rev1",
          "~=1.0.preview1",
          "~=1.0_post1",
          "~=1.0-c1",
          "~=2.2.post3",
          "~=1.4.5a4",
          "~=1.0+local",
          "~=1.0.*",
          "<1.0",
          "<1.0.post1",
          "<1.0rc1",
          "<1.0.dev0",
          "<0.dev0",
          "<0",
          "<1!0",
          ">1.0",
          ">1.0.post1",
          ">1.0a1",
          ">1.0.dev1",
          ">1.0a1.post1",
          ">1.0.post1.dev1",
          ">=1.0a1",
          "<=1.0",
          "<=1.0.post1",
          ">=1.0.dev0",
          "===1.0",
          "===foo",
          "===",
          "=== 1.0",
          "===1.0+abc",
          "===1.0;",
          "===a)b",
          "==1.0a1.*",
          "==1.0.post1.*",
          "== v1.0.*",
          "==V1.0",
          "==1!1.*",
          "==1!1.0.*",
          "1.0",
          "=1.0",
          "=>1.0",
          "<>1.0",
          "~1.0",
          "==",
          ">=",
          "=====1",
          "==1.0,",
          ">= 1.0 ",
          "==1.0 .*",
          "==1.0. *",
          ">=\u00a01.0",
          ">=\n1.0",
          "==1.0\u2028",
          ">= 1.0 , <2",
          "==1.0.*.*",
          "!=1.*",
          "!=1.0a1",
          ">=1.0-1",
          ">=1.0rc",
          ">=1.0RC1",
          "==1.0.0.0.0",
          "==0.0",
          "!=0",
          ">=9223372036854775808",
          "==1.18446744073709551616.*",
          "==1.0+18446744073709551616",
          "<1.0a18446744073709551616",
          ">1!0",
          "==1.0-dev",
          "==1.0dev",
          "!=1.0.post",
          "==1.0a-1",
          "== 1.0 ; x",
          "(==1.0)");

  static final List<String> EDGE_SETS =
      List.of(
          "",
          " ",
          ",",
          " , ",
          ">=1.0,<2.0",
          ">=1.0, <2.0",
          ">=1.0,>=1.0.0",
          "==1.0,==1.0.0,==1.0+a",
          ">=1.0,,<2",
          ">=1.0,foo",
          "===a,b",
          "!=1.0,!=1.0",
          ">=1.0a1,<2",
          "<2,>=1.0",
          "===1.0,==1.0",
          ">1.0.post1,<1.0.post3",
          "~=1.0,!=1.5.*",
          "==1.*,!=1.0.*",
          ">=2,<1",
          "==1.0,!=1.0",
          "===1.0,===1.0",
          "===foo,>=1",
          "!=1.0a1,>=1.0a1",
          "<1.0,>0.9",
          " >=1.0 , <2 ");

  /**
   * Deliberate differences: {@code packaging} matches the version of a {@code ~=} specifier with
   * Unicode case folding ({@code ſ} folds to {@code s}) but then cannot parse it, so it accepts the
   * specifier and fails on first use (an AssertionError in {@code contains}). Java rejects such a
   * specifier when it is parsed.
   */
  static final Map<String, String> DELIBERATE_DIFFERENCES =
      Map.of(
          "~=1.0.po\u017ft1", "packaging accepts, then fails in contains; Java rejects at parse",
          "~=1.0.prev\u0131ew1",
              "packaging accepts, then fails in contains; Java rejects at parse");

  private static final List<Map<String, Object>> specQuestions = new ArrayList<>();
  private static final List<Map<String, Object>> setQuestions = new ArrayList<>();
  private static List<JsonNode> specAnswers;
  private static List<JsonNode> setAnswers;
  private static List<JsonNode> deliberateAnswers;

  @BeforeAll
  static void askPackaging() {
    Fuzz fuzz = new Fuzz(SEED);
    List<String> versionPool =
        new ArrayList<>(new LinkedHashSet<>(MirrorCorpus.load().wheelVersions));
    for (int i = 0; i < 300; i++) {
      versionPool.add(fuzz.version().strip());
    }

    Set<String> specifiers = new LinkedHashSet<>(EDGE_SPECIFIERS);
    while (specifiers.size() < EDGE_SPECIFIERS.size() + GENERATED_SPECIFIERS) {
      specifiers.add(fuzz.maybeMutate(fuzz.specifier(), 0.15));
    }
    int n = 0;
    for (String s : specifiers) {
      List<String> pool = pool(fuzz, s, versionPool);
      Boolean explicit = n % 4 == 0 ? TRI[(n / 4) % 3] : null;
      Map<String, Object> q = new HashMap<>();
      q.put("t", "spec");
      q.put("s", s);
      q.put("vs", pool);
      q.put("explicit", explicit);
      specQuestions.add(q);
      n++;
    }

    Set<String> sets = new LinkedHashSet<>(EDGE_SETS);
    while (sets.size() < EDGE_SETS.size() + GENERATED_SETS) {
      sets.add(fuzz.maybeMutate(fuzz.specifierSet(), 0.1));
    }
    List<String> setList = new ArrayList<>(sets);
    for (int i = 0; i < setList.size(); i++) {
      String s = setList.get(i);
      Map<String, Object> q = new HashMap<>();
      q.put("t", "sset");
      q.put("s", s);
      q.put("vs", pool(fuzz, s, versionPool));
      q.put("explicit", i % 5 == 0 ? TRI[(i / 5) % 3] : null);
      if (i % 3 == 0) {
        Map<String, Object> other = new HashMap<>();
        other.put("s", setList.get((i * 7 + 3) % setList.size()));
        other.put("explicit", i % 2 == 0 ? TRI[(i / 2) % 3] : null);
        q.put("and", other);
      }
      setQuestions.add(q);
    }

    List<Map<String, Object>> all = new ArrayList<>(specQuestions);
    all.addAll(setQuestions);
    for (String s : DELIBERATE_DIFFERENCES.keySet()) {
      all.add(Map.of("t", "spec", "s", s, "vs", List.of("1.0", "1.0.post1")));
    }
    List<JsonNode> answers = PackagingOracle.ask(all);
    specAnswers = answers.subList(0, specQuestions.size());
    setAnswers = answers.subList(specQuestions.size(), specQuestions.size() + setQuestions.size());
    deliberateAnswers = answers.subList(specQuestions.size() + setQuestions.size(), answers.size());
  }

  /** Versions around the first valid version in {@code text}, plus some from the pool. */
  private static List<String> pool(Fuzz fuzz, String text, List<String> versionPool) {
    Set<String> out = new LinkedHashSet<>();
    for (String piece : text.split(",")) {
      String v = piece.strip().replaceFirst("^(===|~=|==|!=|<=|>=|<|>)", "").strip();
      v = v.endsWith(".*") ? v.substring(0, v.length() - 2) : v;
      Version base = Version.tryParse(v).orElse(null);
      if (base != null) {
        try {
          out.addAll(fuzz.neighbours(base));
        } catch (ArithmeticException e) {
          out.add(base.toString());
        }
        if (!v.isEmpty()) {
          out.add(v);
        }
        break;
      }
    }
    for (int i = 0; i < 8; i++) {
      out.add(fuzz.pick(versionPool));
    }
    if (fuzz.chance(0.2)) {
      out.add("not-a-version");
      out.add("FOO");
    }
    return new ArrayList<>(out);
  }

  @Test
  void specifier_agreesWithPackaging() {
    List<String> differences = new ArrayList<>();
    int valid = 0;
    long containsChecks = 0;
    long filterChecks = 0;
    Map<String, List<Specifier>> byCanonical = new LinkedHashMap<>();
    for (int i = 0; i < specQuestions.size(); i++) {
      Map<String, Object> q = specQuestions.get(i);
      String s = (String) q.get("s");
      JsonNode expected = specAnswers.get(i);
      Specifier spec;
      try {
        spec = Specifier.parse(s).withPrereleases((Boolean) q.get("explicit"));
      } catch (ParseException e) {
        assertThat(e.getMessage()).contains("'" + s + "'");
        if (expected.get("ok").asBoolean()) {
          differences.add(show(s) + ": packaging accepts, Java rejects: " + e.getMessage());
        }
        continue;
      }
      if (!expected.get("ok").asBoolean()) {
        differences.add(show(s) + ": packaging rejects, Java accepts " + spec);
        continue;
      }
      valid++;
      check(differences, s, "str", text(expected.get("str")), spec.toString());
      check(differences, s, "op", text(expected.get("op")), spec.operator().symbol());
      check(differences, s, "version", text(expected.get("version")), spec.version());
      check(differences, s, "prereleases", bool(expected.get("pre")), spec.prereleases());
      byCanonical
          .computeIfAbsent(expected.get("canon").toString(), k -> new ArrayList<>())
          .add(spec);

      @SuppressWarnings("unchecked")
      List<String> pool = (List<String>) q.get("vs");
      List<Version> valids = new ArrayList<>();
      for (int k = 0; k < pool.size(); k++) {
        String raw = pool.get(k);
        Version v = Version.tryParse(raw).orElse(null);
        StringBuilder actual = new StringBuilder();
        for (Boolean pre : TRI) {
          actual.append(v == null ? "-" : spec.contains(v, pre) ? "T" : "F");
        }
        actual.append(spec.contains(raw, Boolean.TRUE) ? "T" : "F");
        containsChecks += 4;
        if (v != null) {
          valids.add(v);
        }
        check(
            differences,
            s,
            "contains " + show(raw),
            expected.get("contains").get(k).asText(),
            actual.toString());
      }
      for (int p = 0; p < 3; p++) {
        List<Integer> kept =
            spec.filter(IntStream.range(0, valids.size()).boxed().toList(), valids::get, TRI[p]);
        filterChecks++;
        check(
            differences,
            s,
            "filter(" + TRI[p] + ")",
            expected.get("filter").get(p).toString(),
            kept.toString().replace(" ", ""));
      }
    }
    // Equality: equal exactly when packaging's canonical forms are equal.
    List<List<Specifier>> groups = new ArrayList<>(byCanonical.values());
    long equalityChecks = 0;
    for (int a = 0; a < groups.size(); a++) {
      for (Specifier x : groups.get(a)) {
        for (int b = a; b < groups.size(); b += a == b ? 1 : 37) {
          for (Specifier y : groups.get(b)) {
            equalityChecks++;
            if (x.equals(y) != (a == b) || (a == b && x.hashCode() != y.hashCode())) {
              differences.add("equality of " + x + " and " + y + ": Java " + x.equals(y));
            }
          }
        }
      }
    }
    System.out.printf(
        "Specifier conformance: %d specifiers (%d edge cases), %d valid, %d contains, %d filter,"
            + " %d equality checks, %d differences%n",
        specQuestions.size(),
        EDGE_SPECIFIERS.size(),
        valid,
        containsChecks,
        filterChecks,
        equalityChecks,
        differences.size());
    assertThat(valid).isGreaterThan(2000);
    assertThat(differences).isEmpty();
  }

  @Test
  void specifierSet_agreesWithPackaging() {
    List<String> differences = new ArrayList<>();
    int valid = 0;
    long checks = 0;
    for (int i = 0; i < setQuestions.size(); i++) {
      Map<String, Object> q = setQuestions.get(i);
      String s = (String) q.get("s");
      JsonNode expected = setAnswers.get(i);
      SpecifierSet set;
      try {
        set = SpecifierSet.parse(s).withPrereleases((Boolean) q.get("explicit"));
      } catch (ParseException e) {
        assertThat(e.getMessage()).contains("'" + s + "'");
        if (expected.get("ok").asBoolean()) {
          differences.add(show(s) + ": packaging accepts, Java rejects: " + e.getMessage());
        }
        continue;
      }
      if (!expected.get("ok").asBoolean()) {
        differences.add(show(s) + ": packaging rejects, Java accepts " + set);
        continue;
      }
      valid++;
      check(differences, s, "str", text(expected.get("str")), set.toString());
      check(differences, s, "prereleases", bool(expected.get("pre")), set.prereleases());
      check(differences, s, "len", expected.get("len").asText(), "" + set.specifiers().size());
      check(differences, s, "isEmpty", "" + (expected.get("len").asInt() == 0), "" + set.isEmpty());
      @SuppressWarnings("unchecked")
      Map<String, Object> other = (Map<String, Object>) q.get("and");
      if (other != null) {
        String expectedAnd = text(expected.get("and"));
        try {
          SpecifierSet o =
              SpecifierSet.parse((String) other.get("s"))
                  .withPrereleases((Boolean) other.get("explicit"));
          set = set.and(o);
          check(differences, s, "and", expectedAnd, set.toString());
          check(
              differences, s, "and prereleases", bool(expected.get("and_pre")), set.prereleases());
        } catch (ParseException e) {
          check(differences, s, "and", expectedAnd, "E:InvalidSpecifier");
          continue;
        } catch (IllegalArgumentException e) {
          check(differences, s, "and", expectedAnd, "E:ValueError");
          continue;
        }
      }
      @SuppressWarnings("unchecked")
      List<String> pool = (List<String>) q.get("vs");
      List<Version> valids = pool.stream().flatMap(v -> Version.tryParse(v).stream()).toList();
      for (int k = 0; k < valids.size(); k++) {
        StringBuilder actual = new StringBuilder();
        for (Boolean pre : TRI) {
          actual.append(set.contains(valids.get(k), pre) ? "T" : "F");
          checks++;
        }
        check(
            differences,
            s,
            "contains " + valids.get(k),
            expected.get("contains").get(k).asText(),
            actual.toString());
      }
      for (int p = 0; p < 3; p++) {
        List<Integer> kept =
            set.filter(IntStream.range(0, valids.size()).boxed().toList(), valids::get, TRI[p]);
        checks++;
        check(
            differences,
            s,
            "filter(" + TRI[p] + ")",
            expected.get("filter").get(p).toString(),
            kept.toString().replace(" ", ""));
      }
    }
    System.out.printf(
        "SpecifierSet conformance: %d sets (%d edge cases), %d valid, %d contains/filter checks,"
            + " %d differences%n",
        setQuestions.size(), EDGE_SETS.size(), valid, checks, differences.size());
    assertThat(valid).isGreaterThan(1000);
    assertThat(differences).isEmpty();
  }

  @Test
  void deliberateDifferences_areStillDifferences() {
    int i = 0;
    for (String s : DELIBERATE_DIFFERENCES.keySet()) {
      JsonNode expected = deliberateAnswers.get(i++);
      assertThat(expected.get("ok").asBoolean()).as("packaging accepts " + show(s)).isTrue();
      assertThat(expected.get("contains").get(0).asText())
          .as("packaging fails in contains for " + show(s))
          .startsWith("E");
      assertThat(parses(s)).as("Java rejects " + show(s)).isFalse();
    }
  }

  private static boolean parses(String specifier) {
    try {
      Specifier.parse(specifier);
      return true;
    } catch (ParseException e) {
      return false;
    }
  }

  private static void check(
      List<String> differences, String input, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      differences.add(show(input) + " " + field + ": packaging " + expected + ", Java " + actual);
    }
  }
}
