package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SsmParameterNamesTest {
  @Test
  void expand_givesOneParameterPerTargetThePatternDistinguishes() {
    assertThat(
            SsmParameterNames.expand(
                "/layers/web-deps/{runtime}/{arch}/arn",
                List.of("python3.12", "python3.13"),
                List.of("arm64")))
        .containsExactly(
            "/layers/web-deps/python3.12/arm64/arn", "/layers/web-deps/python3.13/arm64/arn");
    assertThat(
            SsmParameterNames.expand(
                "/layers/web-deps/{arch}", List.of("python3.12", "python3.13"), List.of("x86_64")))
        .containsExactly("/layers/web-deps/x86_64");
    assertThat(SsmParameterNames.expand("/layers/deps/arn", List.of("python3.12"), List.of()))
        .containsExactly("/layers/deps/arn");
    // no compatible architectures: Lambda's default
    assertThat(SsmParameterNames.expand("/l/{arch}", List.of("python3.12"), List.of()))
        .containsExactly("/l/x86_64");
  }

  @Test
  void check_acceptsThePlaceholdersAndRefusesOthers() throws Exception {
    SsmParameterNames.check("/layers/web-deps/{runtime}/{arch}/arn");
    SsmParameterNames.check("layers.web-deps_arn");
    assertThatThrownBy(() -> SsmParameterNames.check("/layers/{region}/arn"))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT))
        .hasMessageContaining("{region}")
        .hasMessageContaining("the only placeholders are {runtime} and {arch}");
    assertThatThrownBy(() -> SsmParameterNames.check("/layers/web deps"))
        .hasMessageContaining("is not valid");
    assertThatThrownBy(() -> SsmParameterNames.check("/layers/{runtime"))
        .hasMessageContaining("{runtime");
  }

  @Test
  void publishValidation_checksPatternsWithTheSameRule() {
    assertThatThrownBy(() -> PublishValidation.checkSsmParameter("/l/{nope}"))
        .hasMessageContaining("{nope}");
  }
}
