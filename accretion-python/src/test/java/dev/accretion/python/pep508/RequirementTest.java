package dev.accretion.python.pep508;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementTest {
  @Test
  void parse_splitsNameExtrasSpecifierAndMarker() throws ParseException {
    Requirement r =
        Requirement.parse(
            "Requests [Socks, security_Extra] (>= 2.8.1, < 3) ; python_version>='3.9'");
    assertThat(r.name()).isEqualTo(PackageName.of("requests"));
    assertThat(r.name().display()).isEqualTo("Requests");
    assertThat(r.extras()).containsExactly("security-extra", "socks");
    assertThat(r.extrasAsWritten()).containsExactly("Socks", "security_Extra");
    assertThat(r.specifier()).isEqualTo(SpecifierSet.parse("<3,>=2.8.1"));
    assertThat(r.url()).isNull();
    assertThat(r.urlIfAny()).isEmpty();
    assertThat(r.marker()).hasToString("python_version >= \"3.9\"");
    assertThat(r)
        .hasToString("Requests[Socks,security_Extra]<3,>=2.8.1; python_version >= \"3.9\"");
    assertThat(r).isEqualTo(Requirement.parse(r.toString()));
  }

  @Test
  void parse_readsUrlRequirements() throws ParseException {
    Requirement r =
        Requirement.parse(
            "pkg[x] @ https://example.com/pkg-1.0-py3-none-any.whl ; os_name == 'nt'");
    assertThat(r.url()).isEqualTo("https://example.com/pkg-1.0-py3-none-any.whl");
    assertThat(r.specifier().isEmpty()).isTrue();
    assertThat(r)
        .hasToString("pkg[x] @ https://example.com/pkg-1.0-py3-none-any.whl ; os_name == \"nt\"");
    // Without whitespace the ';' belongs to the URL, as in packaging.
    assertThat(Requirement.parse("pkg @ https://h/x;os_name=='nt'").marker()).isNull();
  }

  @Test
  void parse_acceptsWhatPackagingAccepts() throws ParseException {
    assertThat(Requirement.parse("foo_").name().display()).isEqualTo("foo_");
    assertThat(Requirement.parse("foo>=1,")).hasToString("foo>=1");
    assertThat(Requirement.parse("foo===")).hasToString("foo===");
    assertThat(Requirement.parse("foo\n")).hasToString("foo");
    assertThat(Requirement.parse("foo[]")).hasToString("foo");
  }

  @Test
  void appliesTo_evaluatesTheMarkerForRequestedExtras() throws ParseException {
    MarkerEnvironment env =
        MarkerEnvironment.of(Map.of("python_version", "3.12", "platform_machine", "x86_64"));
    Requirement forExtra = Requirement.parse("sphinx>=7; extra == 'docs'");
    assertThat(forExtra.appliesTo(env, Set.of())).isFalse();
    assertThat(forExtra.appliesTo(env, Set.of("Docs"))).isTrue();
    assertThat(Requirement.parse("numpy").appliesTo(env, Set.of())).isTrue();
    Requirement r = Requirement.parse("numpy>=2; python_version >= '3.10'");
    assertThat(r.appliesTo(env, Set.of())).isTrue();
    assertThat(r.specifier().contains(Version.parse("2.2.6"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "|0|Expected package name at the start of dependency specifier",
        "foo>=1.0 and|9|Expected comma (within version specifier), semicolon (after version"
            + " specifier) or end",
        "foo bar|4|Expected semicolon (after name with no version specifier) or end",
        "foo>=1.0+local|8|Local version label can only be used with `==` or `!=` operators",
        "foo>=1.0.*|9|.* suffix can only be used with `==` or `!=` operators",
        "foo[bar baz]|8|Expected comma between extra names",
        "foo[bar|7|Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras",
        "foo (>=1.0|10|Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version"
            + " specifier",
        "foo @ |6|Expected URL after @",
        "foo; os_name|12|Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in",
      })
  void parse_rejectsMalformedRequirementsWithPackagingMessages(
      String text, int position, String reason) {
    String input = text == null ? "" : text;
    assertThatThrownBy(() -> Requirement.parse(input))
        .isInstanceOfSatisfying(
            ParseException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "invalid requirement '"
                          + input
                          + "' at position "
                          + position
                          + ": "
                          + reason);
              assertThat(e.position()).isEqualTo(position);
            });
  }
}
