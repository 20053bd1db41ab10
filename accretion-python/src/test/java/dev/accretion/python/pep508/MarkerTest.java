package dev.accretion.python.pep508;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkerTest {
  private static final MarkerEnvironment LAMBDA_311_ARM =
      MarkerEnvironment.of(
          Map.ofEntries(
              Map.entry("implementation_name", "cpython"),
              Map.entry("implementation_version", "3.11.13"),
              Map.entry("os_name", "posix"),
              Map.entry("platform_machine", "aarch64"),
              Map.entry("platform_release", "5.10.238-231.953.amzn2.aarch64"),
              Map.entry("platform_system", "Linux"),
              Map.entry("platform_version", "#1 SMP"),
              Map.entry("python_full_version", "3.11.13"),
              Map.entry("platform_python_implementation", "CPython"),
              Map.entry("python_version", "3.11"),
              Map.entry("sys_platform", "linux")));

  private static Marker m(String text) throws ParseException {
    return Marker.parse(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "python_version>='3.9'|python_version >= \"3.9\"",
        "os.name == 'posix'|os_name == \"posix\"",
        "python_implementation=='CPython'|platform_python_implementation == \"CPython\"",
        "(python_version >= '3.9')|python_version >= \"3.9\"",
        "(a_var) |",
        "extra == 'Foo_Bar.baz'|extra == \"foo-bar-baz\"",
        "(extra == 'Foo_Bar')|extra == \"Foo_Bar\"",
        "os_name == 'a' and (os_name == 'b' or os_name == 'c')"
            + "|os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")",
        "os_name == '\\x41'|os_name == \"A\"",
      })
  void toString_normalizesLikePackaging(String text, String expected) {
    if (expected == null) {
      assertThatThrownBy(() -> Marker.parse(text)).isInstanceOf(ParseException.class);
      return;
    }
    try {
      assertThat(m(text)).hasToString(expected);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void parse_deeplyNestedParentheses_isAParseErrorNotAStackOverflow() {
    String text = "(".repeat(20_000) + "os_name == \"posix\"" + ")".repeat(20_000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("at position 100")
        .hasMessageContaining("nested more than 100 deep")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(1_000));
    // 100 levels still parse
    String ok = "(".repeat(100) + "os_name == \"posix\"" + ")".repeat(100);
    org.assertj.core.api.Assertions.assertThatCode(() -> Marker.parse(ok))
        .doesNotThrowAnyException();
  }

  @Test
  void evaluate_comparesVersionVariablesAsVersions() throws ParseException {
    assertThat(m("python_version >= '3.9'").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(m("python_version < '3.10'").evaluate(LAMBDA_311_ARM)).isFalse();
    assertThat(m("python_version == '3.11.*'").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(m("'3.12' > python_version").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(m("python_full_version >= '3.11.0rc1'").evaluate(LAMBDA_311_ARM)).isTrue();
    // The kernel release is not a PEP 440 version, so a version comparison never matches.
    assertThat(m("platform_release >= '5'").evaluate(LAMBDA_311_ARM)).isFalse();
  }

  @Test
  void evaluate_comparesOtherVariablesAsStrings() throws ParseException {
    assertThat(m("platform_machine == 'aarch64'").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(
            m("platform_machine != 'x86_64' and sys_platform == 'linux'").evaluate(LAMBDA_311_ARM))
        .isTrue();
    assertThat(m("'arch' in platform_machine").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(m("sys_platform not in 'win32 cygwin'").evaluate(LAMBDA_311_ARM)).isTrue();
    // packaging 26: '<' and '>' are false on strings, '<=' and '>=' are equality.
    assertThat(m("platform_machine > 'a'").evaluate(LAMBDA_311_ARM)).isFalse();
    assertThat(m("platform_machine >= 'aarch64'").evaluate(LAMBDA_311_ARM)).isTrue();
    assertThat(m("os_name == 'nt' or platform_system == 'Linux'").evaluate(LAMBDA_311_ARM))
        .isTrue();
  }

  @Test
  void evaluate_normalizesExtrasAndAcceptsAnyRequestedExtra() throws ParseException {
    Marker marker = m("extra == 'Dev_Docs' and python_version >= '3.8'");
    assertThat(marker.evaluate(LAMBDA_311_ARM)).isFalse();
    assertThat(marker.evaluate(LAMBDA_311_ARM, "dev.docs")).isTrue();
    assertThat(marker.evaluate(LAMBDA_311_ARM, Set.of("test", "DEV-docs"))).isTrue();
    assertThat(marker.evaluate(LAMBDA_311_ARM, Set.of("test"))).isFalse();
    assertThat(m("python_version >= '3.8'").evaluate(LAMBDA_311_ARM, Set.of("test"))).isTrue();
    assertThat(marker.mentionsExtra()).isTrue();
    assertThat(marker.extrasMentioned()).containsExactly("dev-docs");
    assertThat(m("os_name == 'posix'").mentionsExtra()).isFalse();
    // packaging normalizes the compared value only outside parentheses.
    Marker nested = m("(extra == 'Dev_Docs')");
    assertThat(nested.extrasMentioned()).containsExactly("Dev_Docs");
    assertThat(nested.evaluate(LAMBDA_311_ARM, "Dev_Docs")).isFalse();
  }

  @Test
  void evaluate_failsOnUndefinedComparisonsAndMissingVariables() throws ParseException {
    assertThatThrownBy(() -> m("os_name ~= 'posix'").evaluate(LAMBDA_311_ARM))
        .isInstanceOf(MarkerEvaluationException.class)
        .hasMessageContaining("os_name ~= \"posix\"")
        .hasMessageContaining("'~=' is undefined");
    // Every comparison is evaluated, as in packaging: no short-circuit hides the error.
    assertThatThrownBy(() -> m("os_name == 'nt' and os_name === 'x'").evaluate(LAMBDA_311_ARM))
        .isInstanceOf(MarkerEvaluationException.class);
    assertThatThrownBy(
            () ->
                m("python_version >= '3'")
                    .evaluate(MarkerEnvironment.of(Map.of("os_name", "posix"))))
        .isInstanceOf(MarkerEvaluationException.class)
        .hasMessageContaining("'python_version'");
  }

  @Test
  void andOr_combineLikePackaging() throws ParseException {
    Marker a = m("os_name == 'posix' or os_name == 'nt'");
    Marker b = m("python_version >= '3.9'");
    assertThat(a.and(b))
        .hasToString("(os_name == \"posix\" or os_name == \"nt\") and python_version >= \"3.9\"");
    assertThat(b.or(b)).hasToString("python_version >= \"3.9\" or python_version >= \"3.9\"");
    assertThat(a.and(b).evaluate(LAMBDA_311_ARM)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "python_version|14|Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in",
        "python_version >= |18|Expected a marker variable or quoted string",
        "(os_name == 'a'|15|Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker"
            + " expression",
        "os_name == 'a' xor|15|Expected end of marker expression",
        "os_name not 'a'|12|Expected 'in' after 'not'",
        "os_name == 'a\\'|13|unterminated string literal (the closing quote is escaped)",
      })
  void parse_rejectsMalformedMarkersQuotingTextAndPosition(
      String text, int position, String reason) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOfSatisfying(
            ParseException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("invalid marker '" + text + "' at position");
              assertThat(e.reason()).isEqualTo(reason);
              if (position != 0) {
                assertThat(e.position()).isEqualTo(position);
              }
            });
  }
}
