package dev.accretion.python.pep440;

import static dev.accretion.python.pep440.PackagingOracle.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.python.ParseException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link Version} against Python's {@code packaging} 26.2: every version of
 * the local wheel mirror, hand-picked edge cases, and thousands of generated versions and
 * near-misses must parse (or fail) the same way, normalize to the same text, expose the same parts,
 * and sort in the same order.
 */
class VersionConformanceTest {
  private static final long SEED = Fuzz.seed(440_2026L);
  private static final int GENERATED = Fuzz.scaled(5000);
  private static final int ORDER_SAMPLE = 700;

  /** Edge cases, each for a reason (spellings, separators, whitespace, numbers, near-misses). */
  static final List<String> EDGE_CASES =
      List.of(
          "1.0",
          "1.0.0",
          "v1.0",
          "V1.0",
          " 1.0 ",
          "\t1.0\n",
          "\u00a01.0\u2003",
          "1.0\u001c",
          "\u20281.0\u3000",
          "1!1.0",
          "01!01.00",
          "1.0a",
          "1.0a.",
          "1.0a-",
          "1.0a-1",
          "1.0a_1",
          "1.0A1",
          "1.0ALPHA1",
          "1.0alpha-1",
          "1.0beta",
          "1.0c1",
          "1.0C1",
          "1.0pre1",
          "1.0preview1",
          "1.0PrEvIeW1",
          "1.0rc",
          "1.0.rc.1",
          "1.0-rc-1",
          "1.0_rc_1",
          "1.0-1",
          "1.0-r",
          "1.0.r1",
          "1.0rev1",
          "1.0-post",
          "1.0.post.",
          "1.0_post_1",
          "1.0post1",
          "1.0.POST1",
          "1.0-dev",
          "1.0.dev",
          "1.0dev1",
          "1.0_dev_01",
          "1.0a1.post2.dev3",
          "1.0a1-2",
          "1.0a1-2.dev",
          "1.0+abc",
          "1.0+ABC.Def",
          "1.0+a-b_c.d",
          "1.0+007",
          "1.0+0",
          "1.0+01a",
          "1.0+",
          "1.0+.a",
          "1.0+a.",
          "1.0+a..b",
          "1.0+a+b",
          "1.0.",
          "1..0",
          ".1",
          "1.",
          "",
          " ",
          "v",
          "1!",
          "!1",
          "1!!1",
          "1.0-",
          "1.0_",
          "1.0.*",
          "1.0 .post1",
          "1.0 a1",
          "1_0",
          "1-0",
          "1.0a1b1",
          "1.0rc1rc1",
          "1.0.post1.post2",
          "1.0.dev1.dev2",
          "1.0-1-1",
          "1.0prev",
          "1.0previe",
          "1.0alp",
          "1.0ab",
          "1.0r1c",
          "1.0+\u00e9",
          "\u0661.0",
          "\uff11.0",
          "1.0\u00e9",
          "9223372036854775807",
          "9223372036854775808",
          "1.18446744073709551616",
          "1!2.3.4a5.post6.dev7+8.9",
          "18446744073709551616!1",
          "1.0a18446744073709551616",
          "1.0.post99999999999999999999",
          "1.0.dev99999999999999999999",
          "1.0+99999999999999999999",
          "0",
          "0.0",
          "0.0.0.0.0.0.1",
          "2024.01.02",
          "1.0.0-alpha.1",
          "1.0.0-beta.2+exp.sha.5114f85",
          "1.0.0-rc.1",
          "1.0.0.0",
          "1.2.3.4.5.6.7.8.9.10",
          "1.0a0",
          "1.0.post0",
          "1.0.dev0",
          "1.0-0",
          "1.0rc-0",
          "1.0--1",
          "1.0-+1",
          "1.0+1-2_3",
          "1.0\n\n",
          "1.0\r\n",
          "\n1.0",
          "v 1.0",
          "vv1.0",
          "1.0v",
          "1.0.v1");

  private static List<String> inputs;
  private static List<JsonNode> answers;
  private static List<String> orderSample;
  private static List<Integer> ranks;
  private static int realWorld;

  @BeforeAll
  static void askPackaging() {
    Set<String> all = new LinkedHashSet<>();
    List<String> real = MirrorCorpus.load().wheelVersions;
    realWorld = new LinkedHashSet<>(real).size();
    all.addAll(real);
    all.addAll(EDGE_CASES);
    Fuzz fuzz = new Fuzz(SEED);
    while (all.size() < realWorld + EDGE_CASES.size() + GENERATED) {
      all.add(fuzz.maybeMutate(fuzz.version(), 0.3));
    }
    inputs = new ArrayList<>(all);

    List<Map<String, Object>> questions = new ArrayList<>();
    for (String s : inputs) {
      questions.add(Map.of("t", "version", "s", s));
    }
    // A sample of valid versions to order: all distinct real ones, plus generated ones.
    Set<String> sample = new LinkedHashSet<>(real);
    for (String s : inputs) {
      if (sample.size() >= ORDER_SAMPLE) {
        break;
      }
      if (Version.tryParse(s).isPresent()) {
        sample.add(s);
      }
    }
    orderSample = new ArrayList<>(sample);
    questions.add(Map.of("t", "order", "vs", orderSample));

    List<JsonNode> all2 = PackagingOracle.ask(questions);
    answers = all2.subList(0, inputs.size());
    ranks = new ArrayList<>();
    all2.get(inputs.size()).get("ranks").forEach(r -> ranks.add(r.asInt()));
  }

  @Test
  void parse_agreesWithPackagingOnEveryInput() {
    List<String> differences = new ArrayList<>();
    int valid = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String s = inputs.get(i);
      JsonNode expected = answers.get(i);
      Version v = Version.tryParse(s).orElse(null);
      boolean ok = expected.get("ok").asBoolean();
      if (ok != (v != null)) {
        differences.add(
            show(s)
                + ": packaging "
                + (ok ? "accepts " + expected.get("str") : "rejects")
                + ", Java "
                + (v != null ? "accepts " + v : "rejects"));
        continue;
      }
      if (!ok) {
        assertThat(expected.get("err").asText()).as(show(s)).isEqualTo("InvalidVersion");
        assertThatParseFails(s);
        continue;
      }
      valid++;
      compare(differences, s, "str", text(expected.get("str")), v.toString());
      compare(differences, s, "epoch", text(expected.get("epoch")), exact(v::epoch, v, 0));
      List<String> release = new ArrayList<>();
      expected.get("release").forEach(n -> release.add(n.asText()));
      compare(
          differences,
          s,
          "release",
          release.toString(),
          v.releaseExact().stream().map(BigInteger::toString).toList().toString());
      JsonNode pre = expected.get("pre");
      compare(
          differences,
          s,
          "pre",
          pre.isNull() ? null : pre.get(0).asText() + pre.get(1).asText(),
          preText(v));
      compare(differences, s, "post", text(expected.get("post")), optional(v, "post"));
      compare(differences, s, "dev", text(expected.get("dev")), optional(v, "dev"));
      compare(differences, s, "local", text(expected.get("local")), v.local().orElse(null));
      compare(differences, s, "public", text(expected.get("public")), v.publicVersion().toString());
      compare(differences, s, "base", text(expected.get("base")), v.baseVersion().toString());
      compare(differences, s, "is_pre", expected.get("is_pre").asText(), "" + v.isPrerelease());
      compare(differences, s, "is_post", expected.get("is_post").asText(), "" + v.isPostRelease());
      compare(differences, s, "is_dev", expected.get("is_dev").asText(), "" + v.isDevRelease());
      compare(differences, s, "major", text(expected.get("major")), exact(v::major, v, 1));
      compare(differences, s, "minor", text(expected.get("minor")), exact(v::minor, v, 2));
      compare(differences, s, "micro", text(expected.get("micro")), exact(v::micro, v, 3));
    }
    System.out.printf(
        "Version conformance: %d inputs (%d real-world wheel versions, %d edge cases, %d"
            + " generated), %d valid, %d differences%n",
        inputs.size(), realWorld, EDGE_CASES.size(), GENERATED, valid, differences.size());
    assertThat(inputs).hasSizeGreaterThanOrEqualTo(realWorld + GENERATED);
    // Every version of every mirror wheel is valid, for packaging and for Java.
    for (int i = 0; i < realWorld; i++) {
      assertThat(answers.get(i).get("ok").asBoolean()).as(inputs.get(i)).isTrue();
      assertThat(Version.tryParse(inputs.get(i))).as(inputs.get(i)).isPresent();
    }
    assertThat(valid).isGreaterThan(3000);
    assertThat(differences).isEmpty();
  }

  @Test
  void ordering_agreesWithPackagingForEveryPairOfTheSample() {
    List<Version> versions = new ArrayList<>();
    for (String s : orderSample) {
      versions.add(Version.tryParse(s).orElseThrow());
    }
    List<String> differences = new ArrayList<>();
    long pairs = 0;
    for (int i = 0; i < versions.size(); i++) {
      for (int j = 0; j < versions.size(); j++) {
        pairs++;
        int expected = Integer.signum(Integer.compare(ranks.get(i), ranks.get(j)));
        int actual = Integer.signum(versions.get(i).compareTo(versions.get(j)));
        if (expected != actual) {
          differences.add(orderSample.get(i) + " vs " + orderSample.get(j) + ": " + actual);
        }
        if (expected == 0) {
          if (!versions.get(i).equals(versions.get(j))
              || versions.get(i).hashCode() != versions.get(j).hashCode()) {
            differences.add(orderSample.get(i) + " == " + orderSample.get(j) + " but not equal");
          }
        }
      }
    }
    System.out.printf(
        "Version ordering: %d versions, %d ordered pairs compared, %d differences%n",
        versions.size(), pairs, differences.size());
    assertThat(versions).hasSizeGreaterThan(600);
    assertThat(differences).isEmpty();
  }

  private static void assertThatParseFails(String s) {
    try {
      Version.parse(s);
      throw new AssertionError("accepted " + show(s));
    } catch (ParseException e) {
      assertThat(e.getMessage()).contains("'" + s + "'");
      assertThat(e.position()).isBetween(0, s.length());
    }
  }

  private static String preText(Version v) {
    try {
      return v.pre().map(PreRelease::toString).orElse(null);
    } catch (ArithmeticException e) {
      return "huge";
    }
  }

  private static String optional(Version v, String which) {
    boolean present = which.equals("post") ? v.isPostRelease() : v.isDevRelease();
    if (!present) {
      return null;
    }
    try {
      return Long.toString(which.equals("post") ? v.post().getAsLong() : v.dev().getAsLong());
    } catch (ArithmeticException e) {
      return "huge";
    }
  }

  /** An int accessor's value, or the exact number if it throws because the number is too big. */
  private static String exact(Supplier<Integer> accessor, Version v, int releaseIndex) {
    try {
      return Integer.toString(accessor.get());
    } catch (ArithmeticException e) {
      if (releaseIndex == 0) {
        return v.toString().substring(0, v.toString().indexOf('!'));
      }
      return v.releaseExact().get(releaseIndex - 1).toString();
    }
  }

  private static void compare(
      List<String> differences, String input, String field, String expected, String actual) {
    if ("huge".equals(actual) && expected != null && expected.length() > 18) {
      return;
    }
    if (!Objects.equals(expected, actual)) {
      differences.add(show(input) + " " + field + ": packaging " + expected + ", Java " + actual);
    }
  }

  static String show(String s) {
    StringBuilder out = new StringBuilder("'");
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('\'').toString();
  }
}
