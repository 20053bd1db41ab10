package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LambdaLayerNamesTest {
  @Test
  void derive_followsTheMultiTargetRule() {
    assertThat(LambdaLayerNames.derive("web-deps", null, null)).isEqualTo("web-deps");
    assertThat(LambdaLayerNames.derive("web-deps", null, "arm64")).isEqualTo("web-deps-arm64");
    assertThat(LambdaLayerNames.derive("web-deps", "python3.12", null))
        .isEqualTo("web-deps-python312");
    assertThat(LambdaLayerNames.derive("web-deps", "python3.12", "x86_64"))
        .isEqualTo("web-deps-python312-x86_64");
  }

  @Test
  void belongsTo_knowsTheDerivedNamesAndNothingElse() {
    for (String name :
        new String[] {
          "web-deps",
          "web-deps-x86_64",
          "web-deps-arm64",
          "web-deps-python39",
          "web-deps-python313-arm64",
          "web-deps-nodejs20x",
          "web-deps-java21-x86_64"
        }) {
      assertThat(LambdaLayerNames.belongsTo(name, "web-deps")).as(name).isTrue();
    }
    for (String name :
        new String[] {
          "web",
          "web-deps2",
          "web-deps-v2",
          "web-deps-arm64-x86_64",
          "web-deps-python399",
          "web-deps-x86_64-python312",
          "other-web-deps"
        }) {
      assertThat(LambdaLayerNames.belongsTo(name, "web-deps")).as(name).isFalse();
    }
  }
}
