package dev.accretion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetSpecTest {
  @Test
  void pairs_areCrossProductsInOrder_duplicatesDropped() throws Exception {
    TargetSpec spec =
        new TargetSpec(
            List.of(
                new TargetSpec.Pair("python3.12, python3.11", "x86_64,arm64"),
                new TargetSpec.Pair("python3.12", null)));
    List<String> names = spec.targets(RuntimeMatrix.load()).stream().map(Target::toString).toList();
    assertThat(names)
        .containsExactly(
            "python3.12/x86_64", "python3.12/arm64", "python3.11/x86_64", "python3.11/arm64");
  }

  @Test
  void product_withoutArchitectures_isX86() throws Exception {
    assertThat(TargetSpec.product(List.of("python3.13"), List.of()).targets(RuntimeMatrix.load()))
        .extracting(Target::toString)
        .containsExactly("python3.13/x86_64");
  }

  @Test
  void noTarget_isAUsageFailure() {
    assertThat(
            FailureKindsTest.catchFailure(
                    () -> new TargetSpec(List.of()).targets(RuntimeMatrix.load()))
                .kind())
        .isEqualTo(FailureKind.USAGE);
  }
}
