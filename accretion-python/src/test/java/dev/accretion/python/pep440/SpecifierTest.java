package dev.accretion.python.pep440;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecifierTest {
  private static Specifier s(String text) throws ParseException {
    return Specifier.parse(text);
  }

  private static Version v(String text) throws ParseException {
    return Version.parse(text);
  }

  @Test
  void parse_keepsTheVersionAsWrittenAndDropsWhitespace() throws ParseException {
    Specifier spec = s(" >= 1.0.0 ");
    assertThat(spec.operator()).isEqualTo(Operator.GREATER_THAN_EQUAL);
    assertThat(spec.version()).isEqualTo("1.0.0");
    assertThat(spec).hasToString(">=1.0.0");
    assertThat(s("==V1.0.*")).hasToString("==V1.0.*");
    assertThat(s("==V1.0.*").isWildcard()).isTrue();
    assertThat(s("===foo").operator()).isEqualTo(Operator.ARBITRARY);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        // spec | version | matches (prereleases allowed)
        "==1.0|1.0.0|true",
        "==1.0|1.0+local|true",
        "==1.0+local|1.0|false",
        "==1.0+local|1.0+LOCAL|true",
        "!=1.0|1.0+x|false",
        "==1.*|1.9.post1|true",
        "==1.0.*|1|true",
        "==1.0.*|1a1|true",
        "==1.0.*|1.1|false",
        "==1!1.*|1.0|false",
        "!=1.0.*|1.0.5|false",
        "~=2.2|2.9|true",
        "~=2.2|3.0|false",
        "~=2.2.0|2.3|false",
        "~=1.0.c1|1.1|false",
        "~=1.0rc1|1.1|true",
        "<=1.0|1.0+local|true",
        ">=1.0|1.0+local|true",
        "<1.0|1.0rc1|false",
        "<1.0|0.9|true",
        "<1.0rc2|1.0rc1|true",
        "<1.0.post1|1.0.post1.dev0|false",
        ">1.0|1.0.post1|false",
        ">1.0|1.0+local|false",
        ">1.0|1.1|true",
        ">1.0.post1|1.0.post2|true",
        ">1.0a1|1.0a1+local|false",
        ">1.0a1|1.0a2+local|true",
        "===1.0|1.0|true",
        "===1.0|1.0.0|false",
        "===1.0.0|1.0|false",
      })
  void contains_followsPackagingOperatorRules(String spec, String version, boolean matches)
      throws ParseException {
    assertThat(s(spec).contains(v(version), true)).isEqualTo(matches);
  }

  @Test
  void prereleases_areDerivedFromTheSpecifierVersion() throws ParseException {
    assertThat(s(">=1.0").prereleases()).isFalse();
    assertThat(s(">=1.0a1").prereleases()).isTrue();
    assertThat(s("==1.0.dev1").prereleases()).isTrue();
    assertThat(s("!=1.0a1").prereleases()).isFalse();
    assertThat(s("==1.0.*").prereleases()).isFalse();
    assertThat(s("===foo").prereleases()).isNull();
    assertThat(s("===1.0b1").prereleases()).isTrue();
    assertThat(s(">=1.0").withPrereleases(true).prereleases()).isTrue();
  }

  @Test
  void contains_acceptsAMatchingPrereleaseUnlessForbidden() throws ParseException {
    Specifier spec = s(">=1.0");
    assertThat(spec.contains(v("2.0a1"))).isTrue();
    assertThat(spec.contains(v("2.0a1"), true)).isTrue();
    assertThat(spec.contains(v("2.0a1"), false)).isFalse();
    assertThat(spec.withPrereleases(false).contains(v("2.0a1"))).isFalse();
    assertThat(spec.withPrereleases(false).contains(v("2.0a1"), true)).isTrue();
    assertThat(spec.contains(v("0.9"), true)).isFalse();
  }

  @Test
  void containsText_comparesArbitraryEqualityOnTheTextAsGiven() throws ParseException {
    assertThat(s("===1.0").contains("1.0", true)).isTrue();
    assertThat(s("===1.0").contains("1.00", true)).isFalse();
    assertThat(s("===foo-bar").contains("FOO-BAR", false)).isTrue();
    assertThat(s(">=1.0").contains("not a version", true)).isFalse();
    assertThat(s(">=1.0").contains("2.0", true)).isTrue();
  }

  @Test
  void filter_keepsPrereleasesOnlyWhenNoFinalReleaseMatches() throws ParseException {
    Specifier spec = s(">=1.0");
    List<Version> versions = List.of(v("0.9"), v("1.1a1"), v("1.2"), v("2.0b1"));
    assertThat(spec.filter(versions, null)).extracting(Version::toString).containsExactly("1.2");
    assertThat(spec.filter(versions, true))
        .extracting(Version::toString)
        .containsExactly("1.1a1", "1.2", "2.0b1");
    assertThat(spec.filter(List.of(v("0.9"), v("1.1a1"), v("2.0b1")), null))
        .extracting(Version::toString)
        .containsExactly("1.1a1", "2.0b1");
    assertThat(spec.withPrereleases(false).filter(List.of(v("1.1a1")), null)).isEmpty();
    record Wheel(String file, Version version) {}
    List<Wheel> wheels = List.of(new Wheel("a-0.9", v("0.9")), new Wheel("a-1.5", v("1.5")));
    assertThat(spec.filter(wheels, Wheel::version, null))
        .extracting(Wheel::file)
        .containsExactly("a-1.5");
  }

  @Test
  void equals_comparesOperatorAndCanonicalVersion() throws ParseException {
    assertThat(s("==1.0")).isEqualTo(s("== 1.0.0")).hasSameHashCodeAs(s("==1"));
    assertThat(s("~=1.0")).isNotEqualTo(s("~=1.0.0"));
    assertThat(s("==1.0")).isNotEqualTo(s("!=1.0"));
    assertThat(s("==1.0.*")).isNotEqualTo(s("==1.*"));
    assertThat(s(">=1.0").withPrereleases(true)).isEqualTo(s(">=1.0"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "1.0|0|expected an operator",
        "=>1.0|0|expected an operator",
        ">=|2|expected a version",
        ">=1.0+local|5|local version label",
        ">=1.0.*|5|prefix match is only allowed with == and !=",
        "==1.0a1.*|7|must directly follow the release",
        "~=1|2|at least two release numbers",
        "==1.0 2|6|unexpected '2'",
        "== 1.0;|6|unexpected ';'",
      })
  void parse_rejectsMalformedSpecifiersQuotingTextAndPosition(
      String text, int position, String reason) {
    assertThatThrownBy(() -> Specifier.parse(text))
        .isInstanceOfSatisfying(
            ParseException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("invalid specifier '" + text + "' at position " + position);
              assertThat(e.reason()).contains(reason);
            });
  }
}
