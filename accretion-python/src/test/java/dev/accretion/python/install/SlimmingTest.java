package dev.accretion.python.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlimmingTest {
  @Test
  void slim_dropsBytecodeAndPycacheButNeverDistInfo() {
    Slimming.Matcher m = new Slimming(true, List.of()).matcher();
    assertThat(m.drops("pkg/mod.pyc")).isTrue();
    assertThat(m.drops("pkg/mod.pyo")).isTrue();
    assertThat(m.drops("pkg/__pycache__/x.cpython-311.opt-1.txt")).isTrue();
    assertThat(m.drops("pkg/mod.py")).isFalse();
    assertThat(m.drops("pkg-1.0.dist-info/odd.pyc")).isFalse();
    assertThat(Slimming.none().matcher().keepsEverything()).isTrue();
  }

  @Test
  void patterns_matchFilesOrParentFolders() {
    Slimming.Matcher m = new Slimming(false, List.of("*/tests", "**/docs", "*.md")).matcher();
    assertThat(m.drops("numpy/tests/test_a.py")).isTrue();
    assertThat(m.drops("numpy/tests/data/x.bin")).isTrue();
    assertThat(m.drops("numpy/core/tests/test_b.py")).as("one level down only").isFalse();
    assertThat(m.drops("docs/index.rst")).as("**/ matches at the top too").isTrue();
    assertThat(m.drops("a/b/docs/x")).isTrue();
    assertThat(m.drops("README.md")).isTrue();
    assertThat(m.drops("pkg/README.md")).as("* stays within one segment").isFalse();
    assertThat(m.drops("numpy/testsuite.py")).isFalse();
    assertThat(new Slimming(false, List.of("*")).matcher().drops("x-1.0.dist-info/RECORD"))
        .isFalse();
  }

  @Test
  void patterns_mustBeRelative() {
    assertThatThrownBy(() -> new Slimming(false, List.of("/abs")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Slimming(false, List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The examples the README and {@code build --help} give, with the meaning they document. */
  @Test
  void documentedExamples_keepTheirMeaning() {
    Slimming.Matcher tests = new Slimming(false, List.of("*/tests")).matcher();
    assertThat(tests.drops("numpy/tests/test_a.py")).as("top-level packages' tests").isTrue();
    assertThat(tests.drops("numpy/core/tests/test_b.py")).isFalse();
    Slimming.Matcher any = new Slimming(false, List.of("**/tests")).matcher();
    assertThat(any.drops("numpy/core/tests/test_b.py")).as("any tests folder").isTrue();
    assertThat(any.drops("numpy/tests/test_a.py")).isTrue();
    assertThat(any.drops("tests/conftest.py")).as("at the top too").isTrue();
    assertThat(any.drops("numpy/testsuite.py")).isFalse();
    Slimming.Matcher one = new Slimming(false, List.of("pkg/?.txt")).matcher();
    assertThat(one.drops("pkg/a.txt")).isTrue();
    assertThat(one.drops("pkg/ab.txt")).as("? is one character").isFalse();
    assertThat(one.drops("pkg/x/a.txt")).isFalse();
    Slimming.Matcher middle = new Slimming(false, List.of("a/**/b")).matcher();
    assertThat(middle.drops("a/b")).isTrue();
    assertThat(middle.drops("a/x/y/b/file")).isTrue();
    // the JDK's glob brings alternatives and classes with it
    assertThat(new Slimming(false, List.of("*/{tests,docs}")).matcher().drops("pkg/docs/i.rst"))
        .isTrue();
    assertThatThrownBy(() -> new Slimming(false, List.of("pkg/[unclosed")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a valid glob");
  }
}
