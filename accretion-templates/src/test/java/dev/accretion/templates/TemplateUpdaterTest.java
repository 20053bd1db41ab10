package dev.accretion.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TemplateUpdaterTest {
  private static final String US = "arn:aws:lambda:us-east-1:123456789012:layer:";
  private static final String EU = "arn:aws:lambda:eu-west-1:123456789012:layer:";

  static String fixture(String name) throws IOException {
    try (InputStream in = TemplateUpdaterTest.class.getResourceAsStream("/templates/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** us-east-1: deps 1..3, tools 1..3; eu-west-1: deps 1, tools 1, 2 and an arm64-only 3. */
  static FakeLayers layers() {
    FakeLayers f = new FakeLayers();
    for (int v = 1; v <= 3; v++) {
      f.add("us-east-1", "acc-deps", v, "python3.12", "x86_64");
      f.add("us-east-1", "acc-tools", v, "python3.12", "x86_64");
    }
    f.add("eu-west-1", "acc-deps", 1, "python3.12", "x86_64");
    f.add("eu-west-1", "acc-tools", 1, "python3.12", "x86_64");
    f.add("eu-west-1", "acc-tools", 2, "python3.12", "x86_64");
    f.add("eu-west-1", "acc-tools", 3, "python3.13", "arm64");
    return f;
  }

  /**
   * One expected change: on the one line containing {@code line}, {@code from} becomes {@code to}.
   */
  record Change(String line, String from, String to) {}

  /** The text with exactly these changes, each on one line found by its content. */
  static String expected(String text, List<Change> changes) {
    String[] lines = text.split("(?<=\n)", -1);
    for (Change c : changes) {
      int found = -1;
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].contains(c.line())) {
          assertThat(found).as("one line contains " + c.line()).isEqualTo(-1);
          found = i;
        }
      }
      assertThat(found).as("a line contains " + c.line()).isNotEqualTo(-1);
      assertThat(lines[found].indexOf(c.from()))
          .as(c.from() + " once on " + lines[found])
          .isEqualTo(lines[found].lastIndexOf(c.from()))
          .isNotNegative();
      lines[found] = lines[found].replace(c.from(), c.to());
    }
    return String.join("", lines);
  }

  /** Byte ranges where two byte arrays differ, as "line:old→new" strings, for messages. */
  static List<Integer> changedLines(byte[] a, byte[] b) {
    String[] x = new String(a, StandardCharsets.UTF_8).split("\n", -1);
    String[] y = new String(b, StandardCharsets.UTF_8).split("\n", -1);
    assertThat(y).hasSameSizeAs(x);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!x[i].equals(y[i])) {
        out.add(i + 1);
      }
    }
    return out;
  }

  static final List<Change> SAM_CHANGES =
      List.of(
          new Change("Default: arn:aws:lambda:us-east-1", "acc-deps:1", "acc-deps:3"),
          new Change("Default: \"arn:aws:lambda:eu-west-1", "acc-tools:1", "acc-tools:2"),
          new Change("Arn: 'arn:aws:lambda:us-east-1", "acc-deps:2", "acc-deps:3"),
          new Change("DEPS = ", "acc-deps:1", "acc-deps:3"),
          new Change("- !Sub arn:${AWS::Partition}", "acc-deps:1", "acc-deps:3"),
          new Change("{{accretion:acc-tools}}", "{{accretion:acc-tools}}", US + "acc-tools:3"),
          new Change("TOOLS: !Select", "acc-tools:1", "acc-tools:2"),
          new Change("ENCODED: !Base64", "acc-deps:1", "acc-deps:3"),
          new Change("Layers: [!If [IsProd", "acc-deps:2", "acc-deps:3"),
          new Change("Value: !Sub \"arn:", "acc-deps:1", "acc-deps:3"));

  @Test
  void samYaml_changesExactlyTheManagedArnsAndPlaceholders_everyOtherByteKept() throws Exception {
    String original = fixture("sam-app.yaml");
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(original, "sam-app.yaml", () -> "us-east-1");

    String want = expected(original, SAM_CHANGES);
    assertThat(u.updated().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(want.getBytes(StandardCharsets.UTF_8));
    assertThat(
            changedLines(
                original.getBytes(StandardCharsets.UTF_8),
                u.updated().getBytes(StandardCharsets.UTF_8)))
        .hasSize(SAM_CHANGES.size());
    // the comment's ARN is no reference; the others are reported with why they stay
    assertThat(u.updated()).contains("# Before the move we used " + US + "acc-deps:1 (a comment");
    assertThat(statuses(u))
        .containsExactly(
            "10 updated",
            "13 updated",
            "22 updated",
            "24 current",
            "48 updated",
            "52 updated",
            "53 other-account",
            "54 updated",
            "58 updated",
            "63 updated",
            "73 updated",
            "78 unknown",
            "85 updated");
    TemplateUpdater.Outcome other =
        u.outcomes().stream()
            .filter(o -> o.status() == TemplateUpdater.Status.OTHER_ACCOUNT)
            .findFirst()
            .orElseThrow();
    assertThat(other.note()).contains("580247275435");
    assertThat(u.outcomes().get(11).note()).contains("${Region}");

    // a second run finds nothing to change
    TemplateUpdater.FileUpdate again =
        new TemplateUpdater(layers()).update(u.updated(), "sam-app.yaml", () -> "us-east-1");
    assertThat(again.changed()).isFalse();
    assertThat(again.outcomes()).noneMatch(o -> o.status() == TemplateUpdater.Status.UPDATED);
  }

  @Test
  void crlfAndBom_arePreserved() throws Exception {
    String original = "\uFEFF" + fixture("sam-app.yaml").replace("\n", "\r\n");
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(original, "crlf.yaml", () -> "us-east-1");
    assertThat(u.updated()).isEqualTo(expected(original, SAM_CHANGES));
    assertThat(u.updated()).startsWith("\uFEFF# Orders").contains("\r\n").doesNotContain("\n\n");
  }

  @Test
  void json_changesExactlyTheManagedArnsAndPlaceholders() throws Exception {
    String original = fixture("stack.json");
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(original, "stack.json", () -> "us-east-1");
    String want =
        expected(
            original,
            List.of(
                new Change("\"Default\": \"arn:aws:lambda:us-east-1", "acc-deps:1", "acc-deps:3"),
                new Change("layer:acc-tools:1\"}", "acc-tools:1", "acc-tools:3"),
                new Change(
                    "\"{{accretion:acc-deps}}\"", "{{accretion:acc-deps}}", US + "acc-deps:3")));
    assertThat(u.updated()).isEqualTo(want);
    assertThat(statuses(u))
        .containsExactly("7 updated", "30 updated", "31 other-account", "33 updated", "39 unknown");
  }

  @Test
  void matching_newerVersionForOtherTargetsIsSkipped() throws Exception {
    String text = "Layers:\n  - " + EU + "acc-tools:1\n";
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(text, "t.yaml", () -> "us-east-1");
    // acc-tools:3 in eu-west-1 serves only python3.13 on arm64; 2 serves what 1 served
    assertThat(u.updated()).isEqualTo("Layers:\n  - " + EU + "acc-tools:2\n");
  }

  @Test
  void unmanagedLayer_leftAloneAndReported() throws Exception {
    String text = "A: " + US + "someone-elses:4\nB: [" + US + "acc-deps:3]\n";
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(text, "t.yaml", () -> "us-east-1");
    assertThat(u.changed()).isFalse();
    assertThat(u.outcomes())
        .extracting(o -> o.status().word())
        .containsExactly("unmanaged", "current");
    assertThat(u.outcomes().get(0).note()).contains("someone-elses", "us-east-1");
  }

  @Test
  void placeholderWithoutLayer_failsThatReferenceOnly() throws Exception {
    String text = "A: '{{accretion:nope}}'\nB: " + US + "acc-deps:1\n";
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers()).update(text, "t.yaml", () -> "us-east-1");
    assertThat(u.failed()).isTrue();
    assertThat(u.updated()).isEqualTo("A: '{{accretion:nope}}'\nB: " + US + "acc-deps:3\n");
    assertThat(u.outcomes().get(0).note()).contains("nope");
  }

  @Test
  void placeholderTarget_isParsed() throws Exception {
    List<TemplateReference> refs =
        TemplateScanner.scan(
            "A: \"{{accretion:web:python3.12:arm64}}\"\nB: '{{accretion:web:x86_64}}'\n", "t");
    assertThat(refs).extracting(TemplateReference::layerName).containsExactly("web", "web");
    assertThat(refs).extracting(TemplateReference::runtime).containsExactly("python3.12", null);
    assertThat(refs).extracting(TemplateReference::architecture).containsExactly("arm64", "x86_64");
  }

  @Test
  void stackRegion_isAskedOnlyWhenNeeded() throws Exception {
    String text = "A: " + EU + "acc-deps:1\n";
    TemplateUpdater.FileUpdate u =
        new TemplateUpdater(layers())
            .update(
                text,
                "t.yaml",
                () -> {
                  throw new AccretionException(FailureKind.USAGE, "no region");
                });
    assertThat(u.outcomes()).extracting(o -> o.status().word()).containsExactly("current");
  }

  @Test
  void brokenYaml_isBadInputNamingTheLine() {
    assertThatThrownBy(() -> TemplateScanner.scan("A: [1, 2\nB: 3\n", "bad.yaml"))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("bad.yaml:")
        .satisfies(
            e -> assertThat(((AccretionException) e).kind()).isEqualTo(FailureKind.BAD_INPUT));
    assertThatThrownBy(() -> TemplateScanner.scan("{\"a\": \"open\n}", "bad.json"))
        .hasMessageContaining("bad.json:1:7");
  }

  @Test
  void rewriter_rejectsNonUtf8() {
    assertThatThrownBy(() -> TemplateRewriter.decode(new byte[] {'a', (byte) 0xff}, "x.yaml"))
        .hasMessageContaining("x.yaml: not UTF-8");
  }

  private static List<String> statuses(TemplateUpdater.FileUpdate u) {
    return u.outcomes().stream()
        .map(o -> o.reference().line() + " " + o.status().word())
        .collect(Collectors.toList());
  }
}
