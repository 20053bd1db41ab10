package dev.accretion.python.tags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.ParseException;
import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Wheel and sdist filename parsing against {@code packaging.utils.parse_wheel_filename} / {@code
 * parse_sdist_filename} (packaging 26.2): generated combinations of good and bad parts, and random
 * mutations of real filenames. Accept/reject must agree, and accepted names must give the same
 * name, version text, build tag and tags. The only allowed disagreement is a documented refusal:
 * Accretion rejects an empty name, an empty tag part and control characters, which packaging lets
 * through.
 */
class FilenameDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ORACLE =
      """
      import json, sys
      from packaging.utils import parse_wheel_filename, parse_sdist_filename
      for line in sys.stdin:
          q = json.loads(line)
          f = q["f"]
          try:
              if q["kind"] == "wheel":
                  name, version, build, tags = parse_wheel_filename(f)
                  stem = f[:-4]
                  written = stem.split("-", stem.count("-") - 2)[1]
                  out = {"ok": True, "name": name, "version": written,
                         "build": [str(build[0]), build[1]] if build else None,
                         "tags": sorted(str(t) for t in tags)}
              else:
                  name, version = parse_sdist_filename(f)
                  stem = f[:-7] if f.endswith(".tar.gz") else f[:-4]
                  out = {"ok": True, "name": name, "version": stem.rpartition("-")[2]}
          except ValueError as e:
              out = {"ok": False, "error": str(e)}
          print(json.dumps(out))
      """;

  private static final List<String> REAL =
      List.of(
          "numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
          "Flask_Login-0.6.3-py3-none-any.whl",
          "Deprecated-1.2.18-py2.py3-none-any.whl",
          "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
          "PyQt5-5.15.11-cp38-abi3-manylinux_2_17_x86_64.whl",
          "zope.interface-7.2-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64.whl",
          "pyarrow-19.0.1-1-cp311-cp311-manylinux_2_28_x86_64.whl",
          "tensorflow_io_gcs_filesystem-0.37.1-cp311-cp311-manylinux_2_12_x86_64.whl",
          "Cython-0.29.37-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"
              + ".manylinux_2_24_x86_64.whl",
          "foo-1!2.0rc1.post3.dev4+local.7-12abc-py3-none-any.whl");

  private static final List<String> NAMES =
      List.of(
          "foo",
          "Foo_Bar",
          "foo.bar",
          "a",
          "_",
          "foo__bar",
          "1foo",
          "foo+bar",
          "café",
          "",
          "FOO.._x",
          "naïve١");
  private static final List<String> VERSIONS =
      List.of(
          "1.0",
          "1.0.post1",
          "1.0-1",
          "v1.0",
          "1!1.0",
          "1.0+local.1",
          "1.0+",
          "1..0",
          "1.0a",
          "1.0.dev",
          "abc",
          " 1.0",
          "1.0_1",
          "1.0rc1.post2.dev3",
          "1.0ALPHA1",
          "1.0-r5",
          "\u30001.0\u00a0",
          "١.٠",
          "01.02",
          "1.0.post.dev");
  private static final List<String> BUILDS =
      List.of("", "-1", "-1abc", "-abc", "-01", "-123_x", "-1é");
  private static final List<String> TAGS =
      List.of(
          "py3-none-any",
          "py2.py3-none-any",
          "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
          "PY3-NONE-ANY",
          "py3-none",
          "py3--any",
          "py3.-none-any",
          "cp311-abi3-manylinux_2_17_aarch64",
          "py3-none-ÉNY");

  private record Case(String kind, String filename) {}

  @Test
  void wheelAndSdistFilenames_agreeWithPackaging() throws Exception {
    Set<Case> cases = new LinkedHashSet<>();
    for (String name : NAMES) {
      for (String version : VERSIONS) {
        for (String build : BUILDS) {
          for (String tags : TAGS) {
            cases.add(new Case("wheel", name + "-" + version + build + "-" + tags + ".whl"));
          }
        }
        for (String ext : List.of(".tar.gz", ".zip", ".tar.bz2", ".whl", "")) {
          cases.add(new Case("sdist", name + "-" + version + ext));
        }
      }
    }
    Random random = new Random(20261124);
    String alphabet = "-_.+!~ aAbBcCvVrR019é١\u00a0\u3000";
    for (int i = 0; i < 6000; i++) {
      String filename = REAL.get(random.nextInt(REAL.size()));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(filename.length() + 1);
        String c = String.valueOf(alphabet.charAt(random.nextInt(alphabet.length())));
        if (random.nextInt(50) == 0) {
          c = random.nextBoolean() ? "\n" : "\t";
        }
        filename =
            switch (random.nextInt(3)) {
              case 0 -> filename.substring(0, at) + c + filename.substring(at);
              case 1 ->
                  at < filename.length()
                      ? filename.substring(0, at) + filename.substring(at + 1)
                      : filename;
              default ->
                  at < filename.length()
                      ? filename.substring(0, at) + c + filename.substring(at + 1)
                      : filename + c;
            };
      }
      cases.add(new Case("wheel", filename));
      cases.add(
          new Case("sdist", filename.replaceFirst("-[^-]*-[^-]*-[^-]*\\.whl$", "") + ".tar.gz"));
    }
    List<Case> all = new ArrayList<>(cases);
    StringBuilder stdin = new StringBuilder();
    for (Case c : all) {
      stdin.append(JSON.writeValueAsString(Map.of("kind", c.kind(), "f", c.filename())));
      stdin.append('\n');
    }
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(all.size());

    int accepted = 0;
    int rejected = 0;
    int refused = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Case c = all.get(i);
      JsonNode expected = JSON.readTree(answers[i]);
      String problem = compare(c, expected);
      if (problem != null) {
        disagreements.add(JSON.writeValueAsString(c.filename()) + ": " + problem);
      } else if (!expected.get("ok").asBoolean()) {
        rejected++;
      } else if (accepts(c)) {
        accepted++;
      } else {
        refused++;
      }
    }
    System.out.printf(
        "%d filenames: %d accepted by both, %d rejected by both, %d refused by Accretion only%n",
        all.size(), accepted, rejected, refused);
    assertThat(disagreements).isEmpty();
    // The generator must exercise all three outcomes, or the comparison proves little.
    assertThat(accepted).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(1000);
    assertThat(refused).isGreaterThan(10);
  }

  private static boolean accepts(Case c) {
    try {
      if (c.kind().equals("wheel")) {
        WheelFilename.parse(c.filename());
      } else {
        SdistFilename.parse(c.filename());
      }
      return true;
    } catch (ParseException e) {
      return false;
    }
  }

  /** Null when Accretion and packaging agree (or differ only by a documented refusal). */
  private static String compare(Case c, JsonNode expected) {
    boolean ok = expected.get("ok").asBoolean();
    try {
      if (c.kind().equals("wheel")) {
        WheelFilename wheel = WheelFilename.parse(c.filename());
        if (!ok) {
          return "Accretion accepts, packaging rejects: " + expected.get("error").asText();
        }
        if (!wheel.name().normalized().equals(expected.get("name").asText())) {
          return "name " + wheel.name().normalized() + " != " + expected.get("name");
        }
        if (!wheel.version().equals(expected.get("version").asText())) {
          return "version " + wheel.version() + " != " + expected.get("version");
        }
        JsonNode build = expected.get("build");
        String theirs =
            build.isNull() ? "none" : build.get(0).asText() + "|" + build.get(1).asText();
        String ours = wheel.build().map(b -> b.number() + "|" + b.rest()).orElse("none");
        if (!ours.equals(theirs)) {
          return "build " + ours + " != " + theirs;
        }
        List<String> tags = wheel.tags().stream().map(Tag::toString).sorted().toList();
        List<String> theirTags = new ArrayList<>();
        expected.get("tags").forEach(t -> theirTags.add(t.asText()));
        if (!tags.equals(theirTags)) {
          return "tags " + tags + " != " + theirTags;
        }
      } else {
        SdistFilename sdist = SdistFilename.parse(c.filename());
        if (!ok) {
          return "Accretion accepts, packaging rejects: " + expected.get("error").asText();
        }
        if (!sdist.name().normalized().equals(expected.get("name").asText())
            || !sdist.version().equals(expected.get("version").asText())) {
          return "sdist " + sdist.name().normalized() + " " + sdist.version() + " != " + expected;
        }
      }
      return null;
    } catch (ParseException e) {
      if (!ok) {
        return null;
      }
      return isDocumentedRefusal(c)
          ? null
          : "Accretion rejects, packaging accepts: " + e.getMessage();
    }
  }

  /**
   * The refusals {@link WheelFilename#parse} documents: an empty name, an empty tag part, a control
   * character. Computed from the text independently of the parser.
   */
  private static boolean isDocumentedRefusal(Case c) {
    String f = c.filename();
    if (f.chars().anyMatch(ch -> ch < ' ' || ch == 0x7f || ch == 0x85)) {
      return true;
    }
    if (f.startsWith("-")) {
      return true;
    }
    if (c.kind().equals("wheel")) {
      String stem = f.substring(0, f.length() - 4);
      String[] parts = stem.split("-", -1);
      String triple = String.join("-", List.of(parts).subList(parts.length - 3, parts.length));
      for (String component : triple.split("-", -1)) {
        for (String piece : component.split("\\.", -1)) {
          if (piece.isEmpty()) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
