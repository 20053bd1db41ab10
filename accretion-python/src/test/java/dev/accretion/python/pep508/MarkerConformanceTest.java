package dev.accretion.python.pep508;

import static dev.accretion.python.pep440.PackagingOracle.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.Fuzz;
import dev.accretion.python.pep440.MirrorCorpus;
import dev.accretion.python.pep440.PackagingOracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link Marker} against Python's {@code packaging} 26.2: every marker of
 * every {@code Requires-Dist} in the local wheel mirror, hand-picked edge cases and thousands of
 * generated markers and near-misses must parse or fail alike (same message, same position), print
 * alike, and evaluate alike in every Lambda-like environment (python 3.9-3.14 on x86_64 and
 * aarch64, plus odd ones), with no extra and with several extras.
 */
class MarkerConformanceTest {
  private static final long SEED = Fuzz.seed(5080_2026L);
  private static final int GENERATED = Fuzz.scaled(3000);

  /** Lambda-like environments: python3.9-3.14 on x86_64 and aarch64, and a few odd ones. */
  static final List<Map<String, String>> ENVIRONMENTS = environments();

  static final List<String> EDGE_CASES =
      List.of(
          "python_version >= \"3.9\"",
          "python_version>='3.9'",
          "python_version >= \"3.9\" and platform_machine == \"x86_64\"",
          "(python_version >= \"3.9\")",
          "((python_version >= \"3.9\"))",
          "((os_name==\"a\" or os_name==\"b\")) and os_name==\"c\"",
          "(os_name==\"a\" or os_name==\"b\") and os_name==\"c\"",
          "\"3.9\" <= python_version",
          "extra == \"Foo_Bar\"",
          "(extra == \"Foo_Bar\")",
          "\"Foo_Bar\" == extra",
          "extra == extra",
          "\"a\" == \"b\"",
          "python_version == python_version",
          "\"os_name\" == \"posix\"",
          "\"linux\" in sys_platform",
          "sys_platform in \"linux darwin\"",
          "python_version in \"3.9 3.10\"",
          "python_version not in \"3.9 3.10\"",
          "python_version not  in \"3.9\"",
          "python_version not\tin \"3.9\"",
          "python_version notin \"3.9\"",
          "python_version not",
          "python_version ~= \"3.9\"",
          "python_version ~= \"3\"",
          "os_name ~= \"posix\"",
          "os_name === \"posix\"",
          "python_version === \"3.11\"",
          "python_full_version >= \"3.11.0rc1\"",
          "platform_release >= \"5\"",
          "implementation_version >= \"3.11\"",
          "os.name == \"posix\"",
          "python_implementation == \"CPython\"",
          "platform.python_implementation == \"CPython\"",
          "platform.machine == \"aarch64\"",
          "extras == \"x\"",
          "\"x\" in extras",
          "dependency_groups == \"x\"",
          "python_version",
          "python_version >=",
          ">= \"3\"",
          "python_version >= \"3\" and",
          "python_version >= \"3\" or or",
          "python_version >= \"3\")",
          "(python_version >= \"3\"",
          "python_version >= \"3\" andos_name == \"nt\"",
          "python_version>='3'and os_name=='nt'",
          "python_version >= \"3\" AND os_name == \"nt\"",
          "os_name == \"\\x41\"",
          "os_name == 'a\\'",
          "os_name == \"\\N{LATIN SMALL LETTER A}\"",
          "os_name == \"\\N{latin small letter a}\"",
          "os_name == \"a\nb\"",
          "os_name == \"a\\\nb\"",
          "os_name == \"a\\\r\nb\"",
          "os_name == 'a\"b'",
          "os_name == \"\"",
          "os_name == \"\\x4\"",
          "os_name == \"\\u00e9\"",
          "os_name == \"\\U00110000\"",
          "os_name == \"\\777\"",
          "os_name == \"\u0000\"",
          "python_version == \"3.*\"",
          "python_version == \"3.11.*\"",
          "python_version != \"3.11.*\"",
          "python_full_version < \"3.11.0+local\"",
          "python_version < \"=3.8\"",
          "python_version > \" 3.9\"",
          "python_version == \"3.9 \"",
          "python_version >= '3.9' ; x",
          "platform_version == \"#1 SMP\"",
          "python_version >= \"3.9\"\n",
          "python_version >= \"3.9\"\n\n",
          "",
          " ",
          "python_version == \"3.11\" or python_version == \"3.12\" and os_name == \"nt\"",
          "python_version == \"3.11\" and (python_version == \"3.12\" or os_name == \"posix\")",
          "platform_machine == \"x86_64\" or platform_machine == \"aarch64\"",
          "sys_platform == \"linux\" and platform_machine != \"aarch64\"",
          "implementation_name == \"cpython\" and python_version < \"3.13\"",
          "python_full_version >= \"3.13.1\"",
          "python_version_x == \"1\"",
          "xpython_version == \"1\"",
          "python_version == \"3.11\" or",
          "(python_version == \"3.11\") or (os_name == \"nt\")",
          "( python_version == \"3.11\" )",
          "python_version\t==\t\"3.11\"",
          "python_version == \"3.11\";",
          "extra == 'Test.X' or extra == 'test_x'",
          "extra in \"test\"",
          "\"te\" in extra",
          "extra == \"\"",
          "os_name == \"\\N{EM SPACE}\"",
          "os_name == \"\\N{em space}\"",
          "os_name == \"\\N{ SPACE}\"",
          "os_name == \"\\N{LATIN  SMALL LETTER A}\"",
          "os_name == \"\\N{LINE FEED (LF)}\"",
          "os_name == \"\\N{CJK UNIFIED IDEOGRAPH-4E00}\"",
          "os_name == \"\\N{CJK UNIFIED IDEOGRAPH-04E00}\"",
          "os_name == \"\\N{CJK UNIFIED IDEOGRAPH-4e00}\"",
          "os_name == \"\\N{CJK UNIFIED IDEOGRAPH-2EBF0}\"",
          "os_name == \"\\N{CJK UNIFIED IDEOGRAPHS 4E00}\"",
          "os_name == \"\\N{CJK COMPATIBILITY IDEOGRAPH-F900}\"",
          "os_name == \"\\N{HANGUL SYLLABLE GAG}\"",
          "os_name == \"\\N{HANGUL SYLLABLE A}\"",
          "os_name == \"\\N{hangul syllable gag}\"",
          "os_name == \"\\N{HANGUL SYLLABLES AC00}\"",
          "os_name == \"\\N{PRIVATE USE AREA E000}\"",
          "os_name == \"\\N{}\"",
          "os_name == \"\\N{SPACE\"",
          "os_name == \"\\N\"",
          "os_name == \"\\uD83D\\uDE00\"",
          "os_name == \"\\ud800\"",
          "os_name == \"\ud83d\ude00\"",
          "os_name == \"\\U0010FFFF\"",
          "os_name == \"\\x\"",
          "os_name == \"\\u12\"",
          "os_name == \"\\xFF\\xfG\"",
          "os_name == \"\\8\\9\\0\\00\\000\\0000\"",
          "os_name == \"a\rb\"",
          "os_name == \"a\\\rb\"");

  /**
   * Deliberate differences: Python's {@code \N{...}} escapes also accept Unicode name aliases
   * (NameAliases.txt); Java knows only the names themselves, so it rejects these markers. No real
   * marker spells a character by its alias.
   */
  static final Map<String, String> DELIBERATE_DIFFERENCES =
      Map.of(
          "os_name == \"\\N{BYTE ORDER MARK}\"", "alias of U+FEFF",
          "os_name == \"\\N{LINE FEED}\"", "alias of U+000A",
          "os_name == \"\\N{NULL}\"", "alias of U+0000");

  private static final List<String> inputs = new ArrayList<>();
  private static final List<List<String>> extrasPerInput = new ArrayList<>();
  private static List<JsonNode> answers;
  private static List<JsonNode> deliberateAnswers;
  private static int realWorld;

  @BeforeAll
  static void askPackaging() {
    Set<String> all = new LinkedHashSet<>();
    for (String requirement : MirrorCorpus.load().requiresDist()) {
      int semicolon = requirement.indexOf(';');
      if (semicolon >= 0 && requirement.lastIndexOf('@', semicolon) < 0) {
        all.add(requirement.substring(semicolon + 1));
      }
    }
    realWorld = all.size();
    all.addAll(EDGE_CASES);
    Fuzz fuzz = new Fuzz(SEED);
    int target = all.size() + GENERATED;
    while (all.size() < target) {
      all.add(fuzz.maybeMutate(fuzz.marker(), 0.15));
    }
    inputs.addAll(all);

    List<Map<String, Object>> questions = new ArrayList<>();
    questions.add(Map.of("t", "envs", "envs", ENVIRONMENTS));
    for (String s : inputs) {
      Set<String> extras = new LinkedHashSet<>(List.of("test", "Foo_Bar"));
      try {
        extras.addAll(Marker.parse(s).extrasMentioned().stream().limit(2).toList());
      } catch (ParseException e) {
        // no extras to add
      }
      extrasPerInput.add(new ArrayList<>(extras));
      questions.add(Map.of("t", "marker", "s", s, "extras", new ArrayList<>(extras)));
    }
    for (String s : DELIBERATE_DIFFERENCES.keySet()) {
      questions.add(Map.of("t", "marker", "s", s));
    }
    List<JsonNode> replies = PackagingOracle.ask(questions);
    PackagingOracle.assertPackagingVersion(replies.get(0));
    answers = replies.subList(1, 1 + inputs.size());
    deliberateAnswers = replies.subList(1 + inputs.size(), replies.size());
  }

  @Test
  void deliberateDifferences_areStillDifferences() {
    int i = 0;
    for (String s : DELIBERATE_DIFFERENCES.keySet()) {
      assertThat(deliberateAnswers.get(i++).get("ok").asBoolean())
          .as("packaging accepts " + show(s))
          .isTrue();
      assertThatThrownBy(() -> Marker.parse(s)).isInstanceOf(ParseException.class);
    }
  }

  @Test
  void marker_agreesWithPackaging() {
    List<String> differences = new ArrayList<>();
    int valid = 0;
    long evaluations = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String s = inputs.get(i);
      JsonNode expected = answers.get(i);
      Marker marker;
      try {
        marker = Marker.parse(s);
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
        differences.add(show(s) + ": packaging rejects (" + expected + "), Java accepts " + marker);
        continue;
      }
      valid++;
      check(differences, s, "str", text(expected.get("str")), marker.toString());
      List<String> extras = extrasPerInput.get(i);
      for (int e = 0; e < ENVIRONMENTS.size(); e++) {
        MarkerEnvironment env = MarkerEnvironment.of(ENVIRONMENTS.get(e));
        StringBuilder actual = new StringBuilder(evaluate(() -> marker.evaluate(env)));
        for (String extra : extras) {
          actual.append(evaluate(() -> marker.evaluate(env, extra)));
        }
        evaluations += actual.length();
        String row = expected.get("evals").get(e).asText();
        check(
            differences, s, "evaluate in environment " + e + " " + extras, row, actual.toString());
        // pip's rule for a set of requested extras: true if true for any one of them.
        String pair = row.substring(1, 3);
        if (!pair.contains("E")) {
          check(
              differences,
              s,
              "evaluate with extras " + extras.subList(0, 2),
              pair.contains("T") ? "T" : "F",
              evaluate(() -> marker.evaluate(env, Set.copyOf(extras.subList(0, 2)))));
        }
        check(
            differences,
            s,
            "evaluate with no extras",
            row.substring(0, 1),
            evaluate(() -> marker.evaluate(env, Set.of())));
      }
    }
    System.out.printf(
        "Marker conformance: %d markers (%d from the mirror's Requires-Dist, %d edge cases, %d"
            + " generated), %d valid, %d evaluations in %d environments, %d differences%n",
        inputs.size(),
        realWorld,
        EDGE_CASES.size(),
        GENERATED,
        valid,
        evaluations,
        ENVIRONMENTS.size(),
        differences.size());
    assertThat(realWorld).isGreaterThan(500);
    assertThat(valid).isGreaterThan(2000);
    assertThat(differences).isEmpty();
  }

  private static String evaluate(java.util.function.BooleanSupplier evaluation) {
    try {
      return evaluation.getAsBoolean() ? "T" : "F";
    } catch (MarkerEvaluationException e) {
      return "E";
    }
  }

  private static List<Map<String, String>> environments() {
    List<Map<String, String>> out = new ArrayList<>();
    String[][] pythons = {
      {"3.9", "3.9.23", "5.10.238-231.953.amzn2"},
      {"3.10", "3.10.18", "5.10.238-231.953.amzn2"},
      {"3.11", "3.11.13", "5.10.238-231.953.amzn2"},
      {"3.12", "3.12.11", "6.1.141-155.222.amzn2023"},
      {"3.13", "3.13.5", "6.1.141-155.222.amzn2023"},
      {"3.14", "3.14.0", "6.1.141-155.222.amzn2023"},
    };
    for (String[] python : pythons) {
      for (String machine : List.of("x86_64", "aarch64")) {
        out.add(environment(python[0], python[1], python[1], machine, python[2] + "." + machine));
      }
    }
    // Odd ones: an untagged CPython build ("3.13.1+"), a pre-release, a version-like kernel.
    out.add(environment("3.13", "3.13.1+", "3.13.1", "x86_64", "6.1.0"));
    out.add(environment("3.14", "3.14.0b2", "3.14.0b2", "aarch64", "6.1"));
    Map<String, String> windows =
        new LinkedHashMap<>(environment("3.11", "3.11.9", "3.11.9", "AMD64", "10"));
    windows.put("sys_platform", "win32");
    windows.put("platform_system", "Windows");
    windows.put("os_name", "nt");
    out.add(windows);
    return out;
  }

  private static Map<String, String> environment(
      String version, String full, String implementation, String machine, String release) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("implementation_name", "cpython");
    env.put("implementation_version", implementation);
    env.put("os_name", "posix");
    env.put("platform_machine", machine);
    env.put("platform_release", release);
    env.put("platform_system", "Linux");
    env.put("platform_version", "#1 SMP Tue Jun 3 12:00:00 UTC 2025");
    env.put("python_full_version", full);
    env.put("platform_python_implementation", "CPython");
    env.put("python_version", version);
    env.put("sys_platform", "linux");
    return env;
  }

  static void check(
      List<String> differences, String input, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      differences.add(show(input) + " " + field + ": packaging " + expected + ", Java " + actual);
    }
  }

  static String show(String s) {
    StringBuilder out = new StringBuilder("'");
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('\'').toString();
  }
}
