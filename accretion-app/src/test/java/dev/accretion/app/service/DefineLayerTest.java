package dev.accretion.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefineLayerTest {
  private static LayerDefinition def(
      String name, String file, List<String> regions, List<String> sharing, String description) {
    return new LayerDefinition(
        name,
        file,
        "idna\n",
        List.of(new LayerDefinition.Target("python3.12", "x86_64")),
        regions,
        sharing,
        description,
        null,
        null,
        null);
  }

  @Test
  void check_acceptsAPythonLayer_withTheBuiltInBuilder() throws Exception {
    DefineLayer.Result r =
        new DefineLayer()
            .check(def("web-deps", "requirements.txt", List.of("us-east-1"), List.of(), null));
    assertThat(r.builderId()).isEqualTo("python");
    assertThat(r.runsCode()).isFalse();
  }

  @Test
  void check_badSharing_isReportedAtItsPointer_asTheProjectFileWouldReportIt() {
    assertThatThrownBy(
            () ->
                new DefineLayer()
                    .check(
                        def(
                            "web-deps",
                            "requirements.txt",
                            List.of("us-east-1"),
                            List.of("everyone"),
                            null)))
        .isInstanceOfSatisfying(
            InvalidDefinition.class,
            e -> {
              assertThat(e.pointer()).isEqualTo("/sharing");
              assertThat(e.kind()).isEqualTo(FailureKind.USAGE);
            });
  }

  @Test
  void check_commandBuilder_runsCode() throws Exception {
    LayerDefinition d =
        new LayerDefinition(
            "cmd",
            "build.sh",
            "echo hi\n",
            List.of(new LayerDefinition.Target("python3.12", "x86_64")),
            List.of("us-east-1"),
            List.of(),
            null,
            null,
            null,
            "command");
    assertThat(new DefineLayer().check(d).runsCode()).isTrue();
  }

  @Test
  void check_targetsThatAreNotAProduct_areRefused() {
    LayerDefinition d =
        new LayerDefinition(
            "web-deps",
            "requirements.txt",
            "idna\n",
            List.of(
                new LayerDefinition.Target("python3.12", "x86_64"),
                new LayerDefinition.Target("python3.13", "arm64")),
            List.of("us-east-1"),
            List.of(),
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> new DefineLayer().check(d))
        .isInstanceOfSatisfying(
            InvalidDefinition.class, e -> assertThat(e.pointer()).isEqualTo("/targets"));
  }

  @Test
  void project_escapesQuotesBackslashesAndControlCharacters_soTheTextStaysData() throws Exception {
    String nasty = "a\"b\\c\nd]\n[layers.evil]\nlisting = \"x\"";
    LayerDefinition d = def("web-deps", "requirements.txt", List.of("us-east-1"), List.of(), nasty);
    String text = DefineLayer.project(d).text();
    assertThat(text.lines().filter(l -> l.startsWith("[")).toList())
        .containsExactly("[layers.web-deps]");
    new DefineLayer().check(d);
  }
}
