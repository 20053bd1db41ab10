package dev.accretion.python.pep508;

import static dev.accretion.python.pep440.PackagingOracle.text;
import static dev.accretion.python.pep508.MarkerConformanceTest.check;
import static dev.accretion.python.pep508.MarkerConformanceTest.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.Fuzz;
import dev.accretion.python.pep440.MirrorCorpus;
import dev.accretion.python.pep440.PackagingOracle;
import dev.accretion.python.pep440.Specifier;
import dev.accretion.python.pep440.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link Requirement} against Python's {@code packaging} 26.2: every {@code
 * Requires-Dist} of every wheel in the local mirror, hand-picked edge cases, and thousands of
 * generated requirements and near-misses must parse or fail alike (same message and position), give
 * the same name, extras, specifier, URL and marker, print alike, and their specifier sets must
 * accept the same versions.
 */
class RequirementConformanceTest {
  private static final long SEED = Fuzz.seed(508_508L);
  private static final int GENERATED = Fuzz.scaled(3000);
  private static final Boolean[] TRI = {null, Boolean.TRUE, Boolean.FALSE};

  static final List<String> EDGE_CASES =
      List.of(
          "requests",
          "requests>=2",
          "requests >= 2.0, < 3",
          "requests (>=2.0)",
          "requests(>=2.0)",
          "requests [security] >= 2.0",
          "requests[security,socks]",
          "requests[ security , socks ]",
          "requests[]",
          "requests[ ]",
          "requests[security socks]",
          "requests[security,]",
          "requests[security",
          "requests[Security_X,security-x]",
          "requests>=2.0,",
          "requests>=2.0,,<3",
          "requests @ https://x/y.whl",
          "requests@https://x",
          "requests @ https://x ; python_version>'3'",
          "requests @ https://x; python_version>'3'",
          "requests @ https://x ;python_version>'3' ",
          "requests @",
          "requests @ ",
          "requests @ https://x ",
          "requests @ https://x x",
          "foo_",
          "foo-",
          "foo.",
          "-foo",
          "_foo",
          "1foo",
          "foo bar",
          "foo;",
          "foo ;",
          "foo; ",
          "foo ; python_version",
          "foo>=1.0;python_version>='3'",
          "foo>=1.0 ; extra == 'Test_X'",
          "foo>=1.0+local",
          "foo==1.0+local",
          "foo>=1.*",
          "foo==1.0.*",
          "foo~=1",
          "foo===bar",
          "foo===bar baz",
          "foo===,>=1",
          "foo===a,b",
          "foo===",
          "foo (==1.0",
          "foo ==1.0)",
          "foo (>=1.0) ; os_name=='nt'",
          "foo\n",
          "foo\n\n",
          "foo\r\n",
          " foo",
          "\tfoo",
          "foo\t>=1",
          "foo\u00e9",
          "foo_\u00e9",
          "Foo.Bar[Baz_Qux]>=1",
          "foo[bar]@https://x",
          "foo >=1 <2",
          "foo >=1 ,<2",
          "foo>=1.0 and",
          "foo; python_version >= '3.9' and" + " (sys_platform == 'linux' or extra == 'Test')",
          "name ; ",
          "foo>=1.0a1.*",
          "foo>=1.0.*",
          "foo<1.0+ABC",
          "foo(>=1)[x]",
          "foo[x](>=1)",
          "foo>=1,<2;extra=='a'",
          "foo[a]; extra == 'a'",
          "foo ( >= 1 , < 2 ) ; os_name == 'nt'",
          "",
          " ",
          "[x]",
          "foo ~= 1.0",
          "foo ~=1.0",
          "foo=1.0",
          "foo==1.0 ==2.0",
          "foo>=1.0\n",
          "foo @ file:///tmp/x.whl ; extra == 'Dev_Docs'",
          "foo @ https://x/y.whl\n",
          "foo>=1;",
          "foo>=1; ",
          "foo>=1;;",
          "foo[x,y,x]",
          "foo[X,x]",
          "foo (>=1.0)[x]",
          "foo>=\u00a01.0",
          "foo>=\n1.0",
          "foo (>=1.0",
          "foo)>=1",
          "foo>=1.0) ; x",
          "foo; (python_version >= '3.9'",
          "foo; python_version >= '3.9')");

  private static final List<Map<String, Object>> questions = new ArrayList<>();
  private static List<JsonNode> answers;
  private static int realWorld;

  @BeforeAll
  static void askPackaging() {
    Set<String> all = new LinkedHashSet<>(MirrorCorpus.load().requiresDist());
    realWorld = all.size();
    all.addAll(EDGE_CASES);
    Fuzz fuzz = new Fuzz(SEED);
    int target = all.size() + GENERATED;
    while (all.size() < target) {
      all.add(fuzz.maybeMutate(fuzz.requirement(), 0.2));
    }
    List<String> versionPool =
        new ArrayList<>(new LinkedHashSet<>(MirrorCorpus.load().wheelVersions));
    int n = 0;
    for (String s : all) {
      Map<String, Object> q = new HashMap<>();
      q.put("t", "req");
      q.put("s", s);
      if (n++ % 2 == 0) {
        q.put("vs", pool(fuzz, s, versionPool));
      }
      questions.add(q);
    }
    answers = PackagingOracle.ask(questions);
  }

  /** Versions around the first version in the requirement's specifier, and a few others. */
  private static List<String> pool(Fuzz fuzz, String requirement, List<String> versionPool) {
    Set<String> out = new LinkedHashSet<>();
    try {
      Requirement r = Requirement.parse(requirement);
      for (Specifier s : r.specifier().specifiers()) {
        String v = s.version().endsWith(".*") ? s.version().replace(".*", "") : s.version();
        Version base = Version.tryParse(v).orElse(null);
        if (base != null) {
          out.addAll(fuzz.neighbours(base).subList(0, 12));
          break;
        }
      }
    } catch (ParseException | ArithmeticException | IndexOutOfBoundsException e) {
      // a pool of random versions is enough
    }
    for (int i = 0; i < 4; i++) {
      out.add(fuzz.pick(versionPool));
    }
    return new ArrayList<>(out);
  }

  @Test
  void requirement_agreesWithPackaging() {
    List<String> differences = new ArrayList<>();
    int valid = 0;
    int withMarker = 0;
    long containsChecks = 0;
    for (int i = 0; i < questions.size(); i++) {
      String s = (String) questions.get(i).get("s");
      JsonNode expected = answers.get(i);
      Requirement r;
      try {
        r = Requirement.parse(s);
      } catch (ParseException e) {
        assertThat(e.getMessage()).contains("'" + s + "'");
        if (expected.get("ok").asBoolean()) {
          differences.add(show(s) + ": packaging accepts, Java rejects: " + e.getMessage());
        } else if (expected.has("msg")) {
          check(differences, s, "error", expected.get("msg").asText(), e.reason());
          check(differences, s, "error position", expected.get("pos").asInt(), e.position());
        }
        continue;
      }
      if (!expected.get("ok").asBoolean()) {
        differences.add(show(s) + ": packaging rejects (" + expected + "), Java accepts " + r);
        continue;
      }
      valid++;
      check(differences, s, "str", text(expected.get("str")), r.toString());
      check(differences, s, "name", text(expected.get("name")), r.name().display());
      List<String> extras = new ArrayList<>();
      expected.get("extras").forEach(x -> extras.add(x.asText()));
      check(differences, s, "extras", extras, List.copyOf(r.extrasAsWritten()));
      check(
          differences,
          s,
          "normalized extras",
          extras.stream()
              .map(dev.accretion.python.PackageName::normalize)
              .sorted()
              .distinct()
              .toList(),
          List.copyOf(r.extras()));
      check(differences, s, "specifier", text(expected.get("specifier")), r.specifier().toString());
      check(differences, s, "url", text(expected.get("url")), r.url());
      check(
          differences,
          s,
          "marker",
          text(expected.get("marker")),
          r.marker() == null ? null : r.marker().toString());
      if (r.marker() != null) {
        withMarker++;
      }
      JsonNode contains = expected.get("contains");
      if (contains != null) {
        @SuppressWarnings("unchecked")
        List<String> pool = (List<String>) questions.get(i).get("vs");
        List<Version> valids = pool.stream().flatMap(v -> Version.tryParse(v).stream()).toList();
        for (int k = 0; k < valids.size(); k++) {
          StringBuilder actual = new StringBuilder();
          for (Boolean pre : TRI) {
            actual.append(r.specifier().contains(valids.get(k), pre) ? "T" : "F");
            containsChecks++;
          }
          check(
              differences,
              s,
              "contains " + valids.get(k),
              contains.get(k).asText(),
              actual.toString());
        }
      }
    }
    System.out.printf(
        "Requirement conformance: %d requirements (%d Requires-Dist from %d mirror wheels, %d"
            + " edge cases, %d generated), %d valid (%d with markers), %d contains checks, %d"
            + " differences%n",
        questions.size(),
        realWorld,
        MirrorCorpus.load().wheels.size(),
        EDGE_CASES.size(),
        GENERATED,
        valid,
        withMarker,
        containsChecks,
        differences.size());
    assertThat(realWorld).isGreaterThan(5000);
    // Every Requires-Dist of every mirror wheel is valid, for packaging and for Java.
    for (int i = 0; i < realWorld; i++) {
      String s = (String) questions.get(i).get("s");
      assertThat(answers.get(i).get("ok").asBoolean()).as(s).isTrue();
      assertThatCode(() -> Requirement.parse(s)).as(s).doesNotThrowAnyException();
    }
    assertThat(valid).isGreaterThan(realWorld);
    assertThat(differences).isEmpty();
  }
}
