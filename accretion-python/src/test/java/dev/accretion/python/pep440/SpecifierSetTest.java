package dev.accretion.python.pep440;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecifierSetTest {
  private static SpecifierSet set(String text) throws ParseException {
    return SpecifierSet.parse(text);
  }

  private static Version v(String text) throws ParseException {
    return Version.parse(text);
  }

  @Test
  void parse_sortsAndDeduplicatesForPrinting() throws ParseException {
    SpecifierSet s = set(" >=1.0.0 , <2, >=1.0,,!=1.5 ");
    assertThat(s).hasToString("!=1.5,<2,>=1.0");
    assertThat(s.specifiers())
        .extracting(Specifier::toString)
        .containsExactly("!=1.5", "<2", ">=1.0");
    assertThat(s).isEqualTo(set(">=1.0,<2.0,!=1.5.0"));
    assertThat(s.isEmpty()).isFalse();
  }

  @Test
  void empty_matchesEverythingButPrefersFinalReleases() throws ParseException {
    assertThat(set("")).isEqualTo(SpecifierSet.EMPTY).isSameAs(SpecifierSet.empty());
    assertThat(set(" , ").isEmpty()).isTrue();
    assertThat(SpecifierSet.EMPTY.contains(v("1.0a1"))).isTrue();
    assertThat(SpecifierSet.EMPTY.contains(v("1.0a1"), false)).isFalse();
    assertThat(SpecifierSet.EMPTY.filter(List.of(v("1.0"), v("2.0a1")), null))
        .extracting(Version::toString)
        .containsExactly("1.0");
    assertThat(SpecifierSet.EMPTY.filter(List.of(v("2.0a1")), null))
        .extracting(Version::toString)
        .containsExactly("2.0a1");
    assertThat(SpecifierSet.EMPTY.prereleases()).isNull();
  }

  @Test
  void contains_requiresEverySpecifier() throws ParseException {
    SpecifierSet s = set(">=1.0,!=1.3.*,<2");
    assertThat(s.contains(v("1.2"))).isTrue();
    assertThat(s.contains(v("1.3.4"))).isFalse();
    assertThat(s.contains(v("2.0"))).isFalse();
    assertThat(s.contains(v("1.5a1"))).isTrue();
    assertThat(s.contains(v("1.5a1"), false)).isFalse();
    assertThat(s.withPrereleases(false).contains(v("1.5a1"))).isFalse();
  }

  @Test
  void filter_returnsPrereleasesOnlyWhenNoFinalReleaseMatches() throws ParseException {
    SpecifierSet s = set(">=1.0,<3");
    List<Version> versions = List.of(v("0.5"), v("1.0rc1"), v("2.0b1"), v("2.5"), v("3.0"));
    assertThat(s.filter(versions, null)).extracting(Version::toString).containsExactly("2.5");
    assertThat(s.filter(versions, true))
        .extracting(Version::toString)
        .containsExactly("2.0b1", "2.5");
    assertThat(s.filter(List.of(v("2.0b1"), v("3.0")), null))
        .extracting(Version::toString)
        .containsExactly("2.0b1");
    assertThat(set(">=1.0a1").prereleases()).isTrue();
    assertThat(set(">=1.0a1").filter(versions, null))
        .extracting(Version::toString)
        .containsExactly("1.0rc1", "2.0b1", "2.5", "3.0");
  }

  @Test
  void and_combinesSpecifiersAndPrereleaseSettings() throws ParseException {
    SpecifierSet both = set(">=1.0,!=1.0.1").and(set("<=2.0.0,!=2.0.1"));
    assertThat(both).hasToString("!=1.0.1,!=2.0.1,<=2.0.0,>=1.0");
    assertThat(set(">=1").withPrereleases(true).and(set("<2")).prereleases()).isTrue();
    assertThatThrownBy(() -> set(">=1").withPrereleases(true).and(set("<2").withPrereleases(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pre-releases");
  }

  @Test
  void parse_reportsThePositionInTheWholeText() {
    assertThatThrownBy(() -> SpecifierSet.parse(">=1.0, foo"))
        .isInstanceOfSatisfying(
            ParseException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("invalid specifier set '>=1.0, foo' at position 7: 'foo':");
              assertThat(e.position()).isEqualTo(7);
            });
  }
}
