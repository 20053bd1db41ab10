package dev.accretion.python.tags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tag list of every Python runtime in the matrix, on both architectures, against Python's
 * {@code packaging} 26.2 (and pip as a cross-check).
 *
 * <p>Why packaging and not pip alone: pip 23.2.1's {@code --platform manylinux_2_26_x86_64} does
 * not expand a PEP 600 platform to the older glibc versions (it only expands the legacy {@code
 * manylinux2014}/{@code 2010} names), so {@code pip debug} with one platform prints just 39 tags.
 * What pip computes on a real Lambda is {@code packaging.tags.sys_tags()}: {@code cpython_tags}
 * plus {@code compatible_tags} over {@code _manylinux.platform_tags}, which this oracle calls with
 * the runtime's glibc in place of the host's. {@code sys_tags} would append {@code linux_<machine>}
 * after the manylinux platforms; the oracle leaves it out because Accretion excludes it (a {@code
 * linux_*} wheel is not portable to Lambda; see {@link PythonTarget}).
 */
class PythonTargetDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ORACLE =
      """
      import json, sys
      from packaging import _manylinux, tags
      for line in sys.stdin:
          q = json.loads(line)
          glibc = _manylinux._GLibCVersion(*q["glibc"])
          # The runtime's glibc, not this machine's; no _manylinux module is installed here.
          _manylinux._get_glibc_version = lambda g=glibc: g
          platforms = list(_manylinux.platform_tags([q["machine"]]))
          version = tuple(q["python"])
          interpreter = "cp%d%d" % version
          result = list(tags.cpython_tags(version, [interpreter], platforms))
          result += list(tags.compatible_tags(version, interpreter, platforms))
          print(json.dumps({"platforms": platforms, "tags": [str(t) for t in result]}))
      """;

  @Test
  void tags_equalPackagingForEveryPythonRuntimeAndArchitecture() throws Exception {
    List<PythonTarget> targets = new ArrayList<>();
    StringBuilder stdin = new StringBuilder();
    for (Runtime runtime : RuntimeMatrix.load().all(Language.PYTHON)) {
      for (Architecture architecture : runtime.architectures()) {
        PythonTarget target = PythonTarget.of(runtime, architecture);
        targets.add(target);
        String[] version = target.pythonVersion().split("\\.");
        stdin.append(
            JSON.writeValueAsString(
                Map.of(
                    "python",
                    List.of(Integer.parseInt(version[0]), Integer.parseInt(version[1])),
                    "glibc",
                    List.of(target.glibc().major(), target.glibc().minor()),
                    "machine",
                    architecture.machine())));
        stdin.append('\n');
      }
    }
    assertThat(targets).hasSize(12);
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      PythonTarget target = targets.get(i);
      JsonNode answer = JSON.readTree(answers[i]);
      List<String> expectedPlatforms = strings(answer.get("platforms"));
      List<String> expectedTags = strings(answer.get("tags"));
      assertThat(target.platforms()).as(target.toString()).isEqualTo(expectedPlatforms);
      assertThat(target.tags().stream().map(Tag::toString).toList())
          .as(target.toString())
          .isEqualTo(expectedTags);
    }
  }

  /**
   * pip, given the same explicit platform list, computes the same tags. The order differs only in
   * where the legacy aliases go: for a user-given {@code --platform manylinux2014_x86_64} pip
   * 23.2.1 inserts {@code manylinux2010} and {@code manylinux1} right after it (then drops the
   * later duplicates), which pip does not do on a real interpreter. So: the same set, and the same
   * order once the legacy-alias tags are set aside.
   */
  @Test
  void tags_equalPipDebugGivenTheExplicitPlatformList() throws Exception {
    RuntimeMatrix matrix = RuntimeMatrix.load();
    for (PythonTarget target :
        List.of(
            PythonTarget.of(matrix.get("python3.11"), Architecture.X86_64),
            PythonTarget.of(matrix.get("python3.13"), Architecture.ARM64))) {
      String nodot = target.pythonVersion().replace(".", "");
      List<String> args = new ArrayList<>();
      args.addAll(
          List.of(
              "-m",
              "pip",
              "debug",
              "--verbose",
              "--python-version",
              target.pythonVersion(),
              "--implementation",
              "cp",
              "--abi",
              "cp" + nodot));
      for (String platform : target.platforms()) {
        args.add("--platform");
        args.add(platform);
      }
      Python.Result result = Python.of("3.11").run(args, null);
      assertThat(result.code()).as(result.stderr()).isZero();
      List<String> pipTags = new ArrayList<>();
      boolean inTags = false;
      for (String line : result.stdout().split("\n")) {
        if (line.startsWith("Compatible tags:")) {
          inTags = true;
        } else if (inTags && line.startsWith("  ")) {
          pipTags.add(line.strip());
        } else if (inTags) {
          break;
        }
      }
      List<String> ours = target.tags().stream().map(Tag::toString).toList();
      assertThat(pipTags).as(target.toString()).hasSize(ours.size());
      assertThat(pipTags).as(target.toString()).containsExactlyInAnyOrderElementsOf(ours);
      assertThat(pipTags.stream().filter(t -> !isLegacy(t)).toList())
          .as(target.toString())
          .isEqualTo(ours.stream().filter(t -> !isLegacy(t)).toList());
    }
  }

  private static boolean isLegacy(String tag) {
    return tag.matches(".*-manylinux(1|2010|2014)_[a-z0-9_]+");
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
