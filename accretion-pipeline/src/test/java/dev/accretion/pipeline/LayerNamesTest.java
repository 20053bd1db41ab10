package dev.accretion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayerNamesTest {
  @Test
  void artifactBase_namesOneTargetOrEverySharedOne() throws Exception {
    assertThat(LayerNames.artifactBase("x", FakeProject.targets("python3.11/x86_64")))
        .isEqualTo("x-python3.11-x86_64");
    assertThat(
            LayerNames.artifactBase(
                "x", FakeProject.targets("python3.13/x86_64", "python3.12/x86_64")))
        .isEqualTo("x-python3.12+python3.13-x86_64");
    assertThat(
            LayerNames.artifactBase(
                "x",
                FakeProject.targets(
                    "python3.12/arm64",
                    "python3.13/x86_64",
                    "python3.12/x86_64",
                    "python3.13/arm64")))
        .isEqualTo("x-python3.12+python3.13-x86_64+arm64");
    assertThat(
            LayerNames.artifactBase(
                "x", FakeProject.targets("python3.13/arm64", "python3.12/x86_64")))
        .isEqualTo("x-python3.12-x86_64+python3.13-arm64");
  }

  @Test
  void isValid_followsLambdaLayerNames() {
    assertThat(LayerNames.isValid("my_layer-1")).isTrue();
    assertThat(LayerNames.isValid("my layer")).isFalse();
    assertThat(LayerNames.isValid("")).isFalse();
    assertThat(LayerNames.isValid("a".repeat(65))).isFalse();
    assertThat(LayerNames.manifestPath("my_layer")).isEqualTo("accretion/my_layer/manifest.json");
    assertThat(LayerNames.sanitize("x".repeat(80))).hasSize(64);
    assertThat(LayerNames.sanitize("Some Service.v2")).isEqualTo("some-service-v2");
  }
}
