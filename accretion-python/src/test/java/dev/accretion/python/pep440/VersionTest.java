package dev.accretion.python.pep440;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionTest {
  private static Version v(String text) throws ParseException {
    return Version.parse(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "1.0|1.0",
        "v1.0|1.0",
        "V1.0|1.0",
        "1.0ALPHA1|1.0a1",
        "1.0-beta.2|1.0b2",
        "1.0c3|1.0rc3",
        "1.0pre4|1.0rc4",
        "1.0_preview_5|1.0rc5",
        "1.0a|1.0a0",
        "1.0-1|1.0.post1",
        "1.0-r|1.0.post0",
        "1.0rev2|1.0.post2",
        "1.0.POST|1.0.post0",
        "1.0-dev|1.0.dev0",
        "1.0dev03|1.0.dev3",
        "01!002.003|1!2.3",
        "0!1.0|1.0",
        "1.0+Ubuntu-1_007|1.0+ubuntu.1.7",
        "1.0a1-2.dev3+x|1.0a1.post2.dev3+x",
      })
  void parse_normalizesEverySpellingLikePackaging(String text, String normalized)
      throws ParseException {
    assertThat(v(text)).hasToString(normalized);
  }

  @Test
  void parse_acceptsPythonWhitespaceAroundTheVersion() throws ParseException {
    assertThat(v(" \t1.0\n")).hasToString("1.0");
    assertThat(v("\u00a01.0\u2003")).hasToString("1.0");
    assertThat(v("1.0\u001c")).hasToString("1.0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "1.0-beta!|8",
        "1.0.|3",
        "1..0|1",
        "x1.0|0",
        "1.0+|3",
        "1.0+a..b|5",
        "1_0|1",
        "1!|2",
        "1.0 a1|3",
        "\u0661.0|0",
      })
  void parse_rejectsMalformedVersionsQuotingTextAndPosition(String text, int position) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOfSatisfying(
            ParseException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("invalid version '" + text + "' at position");
              assertThat(e.position()).isEqualTo(position);
              assertThat(e.text()).isEqualTo(text);
            });
    assertThat(Version.tryParse(text)).isEmpty();
  }

  @Test
  void parse_rejectsEmptyText() {
    assertThatThrownBy(() -> Version.parse("  "))
        .isInstanceOf(ParseException.class)
        .hasMessage("invalid version '  ' at position 2: a version cannot be empty");
  }

  @Test
  void compareTo_followsPep440Order() throws ParseException {
    List<String> ordered =
        List.of(
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1");
    List<Version> shuffled = new ArrayList<>();
    for (String s : ordered) {
      shuffled.add(v(s));
    }
    Collections.shuffle(shuffled, new Random(7));
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(Version::toString).containsExactlyElementsOf(ordered);
  }

  @Test
  void equals_ignoresTrailingZerosButNotLocalLabels() throws ParseException {
    assertThat(v("1.0")).isEqualTo(v("1.0.0")).isEqualTo(v("1")).hasSameHashCodeAs(v("1.0.0.0"));
    assertThat(v("1.0+A.01")).isEqualTo(v("1.0.0+a-1")).hasSameHashCodeAs(v("1+a_1"));
    assertThat(v("1.0+a")).isNotEqualTo(v("1.0"));
    assertThat(v("1.0").compareTo(v("1.0+a"))).isNegative();
    assertThat(v("1.0+a").compareTo(v("1.0+1"))).isNegative();
    assertThat(v("1.0+1.a").compareTo(v("1.0+1"))).isPositive();
  }

  @Test
  void accessors_exposeTheNormalizedParts() throws ParseException {
    Version version = v("2!1.02.3rc4.post5.dev6+Ab.7");
    assertThat(version.epoch()).isEqualTo(2);
    assertThat(version.release()).containsExactly(1L, 2L, 3L);
    assertThat(version.major()).isEqualTo(1);
    assertThat(version.minor()).isEqualTo(2);
    assertThat(version.micro()).isEqualTo(3);
    assertThat(version.pre()).contains(new PreRelease(PreRelease.Kind.RELEASE_CANDIDATE, 4));
    assertThat(version.post()).hasValue(5);
    assertThat(version.dev()).hasValue(6);
    assertThat(version.local()).contains("ab.7");
    assertThat(version.isPrerelease()).isTrue();
    assertThat(version.isPostRelease()).isTrue();
    assertThat(version.isDevRelease()).isTrue();
    assertThat(version.publicVersion()).hasToString("2!1.2.3rc4.post5.dev6");
    assertThat(version.baseVersion()).hasToString("2!1.2.3");
    assertThat(v("7").minor()).isZero();
    assertThat(v("7").micro()).isZero();
    assertThat(v("1.0.post1").isPrerelease()).isFalse();
    assertThat(v("1.0.dev1").isPrerelease()).isTrue();
    assertThat(v("1.0").pre()).isEmpty();
    assertThat(v("1.0").local()).isEmpty();
  }

  @Test
  void hugeNumbers_printAndCompareExactlyWhileLongAccessorsThrow() throws ParseException {
    Version huge = v("1.18446744073709551616.post99999999999999999999");
    assertThat(huge).hasToString("1.18446744073709551616.post99999999999999999999");
    assertThat(huge.releaseExact())
        .containsExactly(BigInteger.ONE, new BigInteger("18446744073709551616"));
    assertThat(huge).isGreaterThan(v("1.9223372036854775807"));
    assertThat(huge).isEqualTo(v("1.018446744073709551616.0.post099999999999999999999"));
    assertThat(huge.hashCode())
        .isEqualTo(v("1.18446744073709551616.0.post99999999999999999999").hashCode());
    assertThatThrownBy(huge::release).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(huge::post).isInstanceOf(ArithmeticException.class);
    assertThat(v("9223372036854775807").release()).containsExactly(Long.MAX_VALUE);
  }
}
