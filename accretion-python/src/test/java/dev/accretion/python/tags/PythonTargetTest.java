package dev.accretion.python.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PythonTargetTest {
  private final RuntimeMatrix matrix = RuntimeMatrix.load();

  private PythonTarget target(String runtime, Architecture architecture) throws AccretionException {
    return PythonTarget.of(matrix.get(runtime), architecture);
  }

  private static Tag tag(String text) throws Exception {
    return Tag.parse(text);
  }

  @Test
  void tags_startWithTheInterpreterAbiOnTheNewestGlibcAndEndWithPureAny() throws Exception {
    PythonTarget target = target("python3.11", Architecture.X86_64);
    assertThat(target.tags().get(0)).isEqualTo(tag("cp311-cp311-manylinux_2_26_x86_64"));
    assertThat(target.tags().get(target.tags().size() - 1)).isEqualTo(tag("py30-none-any"));
    assertThat(target.tags()).contains(tag("cp32-abi3-manylinux1_x86_64"));
    assertThat(target.tags()).doesNotContain(tag("cp31-abi3-manylinux1_x86_64"));
    assertThat(target.tags()).noneMatch(t -> t.platform().startsWith("linux_"));
  }

  @Test
  void platforms_placeLegacyAliasesRightAfterTheirGlibc() throws Exception {
    PythonTarget x86 = target("python3.12", Architecture.X86_64);
    assertThat(x86.platforms()).startsWith("manylinux_2_34_x86_64", "manylinux_2_33_x86_64");
    assertThat(x86.platforms()).endsWith("manylinux_2_5_x86_64", "manylinux1_x86_64");
    int at17 = x86.platforms().indexOf("manylinux_2_17_x86_64");
    assertThat(x86.platforms().get(at17 + 1)).isEqualTo("manylinux2014_x86_64");
    int at12 = x86.platforms().indexOf("manylinux_2_12_x86_64");
    assertThat(x86.platforms().get(at12 + 1)).isEqualTo("manylinux2010_x86_64");
    // 30 PEP 600 platforms (2_34 .. 2_5) and 3 legacy names
    assertThat(x86.platforms()).hasSize(33);
  }

  @Test
  void platforms_onArm64StopAtGlibc217BecauseNothingOlderExistedThere() throws Exception {
    PythonTarget arm = target("python3.11", Architecture.ARM64);
    assertThat(arm.platforms())
        .startsWith("manylinux_2_26_aarch64")
        .endsWith("manylinux_2_17_aarch64", "manylinux2014_aarch64")
        .hasSize(11);
    assertThat(arm.supports(tag("cp311-cp311-manylinux2014_aarch64"))).isTrue();
    assertThat(arm.supports(tag("cp311-cp311-manylinux2014_x86_64"))).isFalse();
    assertThat(arm.supports(tag("cp311-cp311-manylinux1_aarch64"))).isFalse();
  }

  @Test
  void rank_prefersSpecificAbiThenNewerGlibcThenPure() throws Exception {
    PythonTarget target = target("python3.11", Architecture.X86_64);
    int own = target.rank(tag("cp311-cp311-manylinux_2_17_x86_64")).orElseThrow();
    int abi3 = target.rank(tag("cp38-abi3-manylinux_2_17_x86_64")).orElseThrow();
    int pure = target.rank(tag("py3-none-any")).orElseThrow();
    assertThat(own).isLessThan(abi3);
    assertThat(abi3).isLessThan(pure);
    assertThat(target.rank(tag("cp311-cp311-manylinux_2_28_x86_64"))).isEmpty();
    assertThat(target.rank(tag("cp312-cp312-manylinux_2_17_x86_64"))).isEmpty();
    assertThat(target.rank(tag("cp311-cp311-linux_x86_64"))).isEmpty();
    assertThat(target.rank(tag("cp311-cp311-manylinux_2_26_x86_64"))).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void bestRank_takesTheBestTagOfACompressedSet() throws Exception {
    PythonTarget al2 = target("python3.11", Architecture.X86_64);
    WheelFilename numpy =
        WheelFilename.parse(
            "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl");
    assertThat(al2.bestRank(numpy)).isEmpty();
    assertThat(al2.supports(numpy)).isFalse();
    WheelFilename older =
        WheelFilename.parse(
            "numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    assertThat(al2.bestRank(older)).isEqualTo(al2.rank(tag("cp311-cp311-manylinux_2_17_x86_64")));
    PythonTarget al2023 = target("python3.12", Architecture.X86_64);
    assertThat(al2023.supports(numpy)).isFalse(); // cp311 wheel on python3.12
    assertThat(al2023.supports(WheelFilename.parse("six-1.17.0-py2.py3-none-any.whl").tags()))
        .isTrue();
  }

  @Test
  void markerEnvironment_describesLambdaNotTheBuildMachine() throws Exception {
    PythonTarget target = target("python3.12", Architecture.ARM64);
    assertThat(target.markerEnvironment())
        .containsEntry("python_version", "3.12")
        .containsEntry("python_full_version", target.pythonFullVersion())
        .containsEntry("implementation_version", target.pythonFullVersion())
        .containsEntry("platform_machine", "aarch64")
        .containsEntry("sys_platform", "linux")
        .containsEntry("platform_system", "Linux")
        .containsEntry("os_name", "posix")
        .containsEntry("implementation_name", "cpython")
        .containsEntry("platform_python_implementation", "CPython")
        .containsKeys("platform_release", "platform_version")
        .hasSize(11);
    assertThat(target.pythonFullVersion()).startsWith("3.12.");
    assertThat(target.markerEnvironment().get("platform_release")).endsWith(".aarch64");
    assertThat(target("python3.12", Architecture.X86_64).markerEnvironment())
        .containsEntry("platform_machine", "x86_64");
  }

  @Test
  void describe_namesRuntimeOsGlibcAndArchitecture() throws Exception {
    PythonTarget target = target("python3.11", Architecture.X86_64);
    assertThat(target.describe()).isEqualTo("python3.11 (Amazon Linux 2, glibc 2.26) on x86_64");
    assertThat(target.pythonVersion()).isEqualTo("3.11");
    assertThat(target.glibc()).hasToString("2.26");
    assertThat(target.architecture()).isEqualTo(Architecture.X86_64);
    assertThat(target).hasToString("python3.11/x86_64");
    assertThat(target).isEqualTo(target("python3.11", Architecture.X86_64));
  }

  @Test
  void of_rejectsANonPythonRuntime() {
    assertThatThrownBy(() -> target("nodejs20.x", Architecture.X86_64))
        .isInstanceOf(AccretionException.class)
        .hasMessage(
            "Lambda runtime nodejs20.x is a nodejs runtime; Python packages need a python3.x"
                + " runtime");
  }
}
