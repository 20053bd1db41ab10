package dev.accretion.python.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.pep508.MarkerEvaluationException;
import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockMarkerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static MarkerEnvironment env(String python, String machine) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("python_version", python);
    values.put("python_full_version", python + ".4");
    values.put("platform_machine", machine);
    values.put("sys_platform", "linux");
    values.put("os_name", "posix");
    values.put("implementation_name", "cpython");
    values.put("platform_system", "Linux");
    values.put("platform_python_implementation", "CPython");
    values.put("implementation_version", python + ".4");
    values.put("platform_release", "5.10");
    values.put("platform_version", "#1");
    return MarkerEnvironment.of(values);
  }

  @Test
  void evaluate_pep751SetVariables_asPackagingDoes() throws Exception {
    Random random = new Random(751);
    String[] names = {"dev", "Dev_Tools", "docs", "aws", "a", "dev-tools", "test"};
    String[] plain = {
      "python_version >= \"3.12\"",
      "python_version < '3.12'",
      "platform_machine == \"x86_64\"",
      "platform_machine == 'aarch64'",
      "sys_platform == \"win32\"",
      "python_full_version >= \"3.11.4\""
    };
    List<String> markers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      markers.add(expression(random, names, plain, 0));
    }
    List<Set<String>> sets =
        List.<Set<String>>of(
            Set.of(), Set.of("dev"), Set.of("dev-tools"), Set.of("docs", "aws"), Set.of("a"));
    List<Map<String, Object>> questions = new ArrayList<>();
    List<Boolean> ours = new ArrayList<>();
    for (String m : markers) {
      LockMarker marker = LockMarker.parse(m);
      for (String python : List.of("3.11", "3.12")) {
        for (String machine : List.of("x86_64", "aarch64")) {
          for (Set<String> extras : sets) {
            for (Set<String> groups :
                List.<Set<String>>of(Set.of(), Set.of("dev"), Set.of("Dev.Tools", "test"))) {
              Map<String, Object> q = new LinkedHashMap<>();
              q.put("m", m);
              q.put("env", env(python, machine).values());
              q.put("extras", List.copyOf(extras));
              q.put("groups", List.copyOf(groups));
              questions.add(q);
              ours.add(marker.evaluate(env(python, machine), Set.of(), false, extras, groups));
            }
          }
        }
      }
    }
    StringBuilder stdin = new StringBuilder();
    for (Map<String, Object> q : questions) {
      stdin.append(JSON.writeValueAsString(q)).append('\n');
    }
    String out =
        Python.of("3.11")
            .script(
                """
                import json, sys
                from packaging.markers import Marker
                for line in sys.stdin:
                    q = json.loads(line)
                    env = dict(q["env"])
                    env["extras"] = frozenset(q["extras"])
                    env["dependency_groups"] = frozenset(q["groups"])
                    print(json.dumps(Marker(q["m"]).evaluate(env, context="lock_file")))
                """,
                stdin.toString());
    String[] answers = out.strip().split("\n");
    assertThat(answers).hasSize(questions.size());
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      JsonNode expected = JSON.readTree(answers[i]);
      if (expected.asBoolean() != ours.get(i)) {
        differences.add(
            questions.get(i) + ": packaging " + expected + ", Accretion " + ours.get(i));
      }
    }
    assertThat(differences).isEmpty();
  }

  private static String expression(Random r, String[] names, String[] plain, int depth) {
    int n = 1 + r.nextInt(3);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(depth < 2 ? 5 : 4);
      String name = names[r.nextInt(names.length)];
      parts.add(
          switch (kind) {
            case 0 -> "\"" + name + "\" in extras";
            case 1 -> "'" + name + "' not in dependency_groups";
            case 2 -> "\"" + name + "\" in dependency_groups";
            case 3 -> plain[r.nextInt(plain.length)];
            default -> "(" + expression(r, names, plain, depth + 1) + ")";
          });
    }
    StringBuilder out = new StringBuilder(parts.get(0));
    for (int i = 1; i < parts.size(); i++) {
      out.append(r.nextBoolean() ? " and " : " or ").append(parts.get(i));
    }
    return out.toString();
  }

  @Test
  void evaluate_uvConflictMarkers_treatExtraAsTheSetOfActivations() throws Exception {
    LockMarker cpu =
        LockMarker.parse(
            "extra == 'extra-7-project-cpu' and extra != 'extra-7-project-gpu'"
                + " and platform_machine == 'x86_64'");
    MarkerEnvironment x86 = env("3.12", "x86_64");
    assertThat(cpu.evaluate(x86, Set.of("extra-7-project-cpu"), true, Set.of(), Set.of())).isTrue();
    assertThat(
            cpu.evaluate(
                x86,
                Set.of("extra-7-project-cpu", "extra-7-project-gpu"),
                true,
                Set.of(),
                Set.of()))
        .isFalse();
    assertThat(cpu.evaluate(x86, Set.of(), true, Set.of(), Set.of())).isFalse();
    assertThat(
            cpu.evaluate(
                env("3.12", "aarch64"), Set.of("extra-7-project-cpu"), true, Set.of(), Set.of()))
        .isFalse();
    // PEP 508's rule: the marker holds for some one value of extra
    LockMarker either = LockMarker.parse("extra == 'a' and extra != 'b'");
    assertThat(either.evaluate(x86, Set.of("a", "b"), false, Set.of(), Set.of())).isTrue();
    assertThat(either.evaluate(x86, Set.of("a", "b"), true, Set.of(), Set.of())).isFalse();
  }

  @Test
  void parse_rejectsWhatPackagingRejects_andSetComparisonsOtherThanIn() throws Exception {
    assertThatThrownBy(() -> LockMarker.parse("python_version >= "))
        .isInstanceOf(ParseException.class);
    LockMarker equals = LockMarker.parse("extras == \"a\"");
    assertThatThrownBy(
            () -> equals.evaluate(env("3.11", "x86_64"), Set.of(), false, Set.of("a"), Set.of()))
        .isInstanceOf(MarkerEvaluationException.class)
        .hasMessageContaining("must be on the right");
    LockMarker reversed = LockMarker.parse("\"a\" == extras or \"b\" != dependency_groups");
    assertThat(reversed.evaluate(env("3.11", "x86_64"), Set.of(), false, Set.of("a"), Set.of("b")))
        .isTrue();
    LockMarker never = LockMarker.parse("\"a\" == extras");
    assertThat(never.evaluate(env("3.11", "x86_64"), Set.of(), false, Set.of("a"), Set.of()))
        .isFalse();
  }
}
