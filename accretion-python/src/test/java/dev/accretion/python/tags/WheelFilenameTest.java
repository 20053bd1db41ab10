package dev.accretion.python.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WheelFilenameTest {
  @Test
  void parse_readsNameVersionAndExpandedTags() throws ParseException {
    WheelFilename wheel =
        WheelFilename.parse(
            "Flask_Login-0.6.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    assertThat(wheel.name()).isEqualTo(PackageName.of("flask-login"));
    assertThat(wheel.name().display()).isEqualTo("Flask_Login");
    assertThat(wheel.version()).isEqualTo("0.6.3");
    assertThat(wheel.build()).isEmpty();
    assertThat(wheel.tags())
        .extracting(Tag::toString)
        .containsExactly("cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64");
    assertThat(wheel).hasToString(wheel.filename());
  }

  @Test
  void parse_readsBuildTagAsNumberAndRest() throws ParseException {
    WheelFilename wheel = WheelFilename.parse("foo-1.0-01b_2-py3-none-any.whl");
    assertThat(wheel.build()).contains(new BuildTag(BigInteger.ONE, "b_2"));
    assertThat(wheel.version()).isEqualTo("1.0");
    assertThat(WheelFilename.parse("torch-2.13.0+cpu-cp311-cp311-linux_x86_64.whl").version())
        .isEqualTo("2.13.0+cpu");
  }

  @Test
  void buildTag_ordersByNumberThenRestAndAbsentFirst() throws ParseException {
    Comparator<BuildTag> order = Comparator.nullsFirst(Comparator.naturalOrder());
    assertThat(
            Stream.of(
                    BuildTag.parse("10"),
                    null,
                    BuildTag.parse("2b"),
                    BuildTag.parse("2"),
                    BuildTag.parse("2a"))
                .sorted(order)
                .map(String::valueOf)
                .toList())
        .containsExactly("null", "2", "2a", "2b", "10");
    assertThat(BuildTag.parse("007")).isEqualTo(BuildTag.parse("7"));
  }

  @Test
  void parse_rejectsWrongExtensionAtTheExtension() {
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-py3-none-any.zip"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "invalid wheel filename 'foo-1.0-py3-none-any.zip' at position 20: the extension must"
                + " be '.whl'");
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-py3-none-any.WHL"))
        .hasMessageContaining("extension");
  }

  @Test
  void parse_rejectsWrongPartCount() {
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-py3-any.whl"))
        .hasMessage(
            "invalid wheel filename 'foo-1.0-py3-any.whl' at position 15: expected"
                + " name-version[-build]-python-abi-platform.whl, found 4 parts separated by '-'");
    assertThatThrownBy(() -> WheelFilename.parse("foo-bar-1.0-1-py3-none-any.whl"))
        .hasMessageContaining("at position 22")
        .hasMessageContaining("found 7 parts");
  }

  @Test
  void parse_rejectsBadPartsAtTheirPosition() {
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-b1-py3-none-any.whl"))
        .hasMessage(
            "invalid wheel filename 'foo-1.0-b1-py3-none-any.whl' at position 8: the build tag"
                + " 'b1' must start with a digit");
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0.x-py3-none-any.whl"))
        .hasMessage(
            "invalid wheel filename 'foo-1.0.x-py3-none-any.whl' at position 4: '1.0.x' is not a"
                + " valid PEP 440 version");
    assertThatThrownBy(() -> WheelFilename.parse("foo__bar-1.0-py3-none-any.whl"))
        .hasMessageContaining("at position 3: the name contains '__'");
    assertThatThrownBy(() -> WheelFilename.parse("foo+bar-1.0-py3-none-any.whl"))
        .hasMessageContaining("at position 3: the name may contain only");
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-py3--any.whl"))
        .hasMessage("invalid wheel filename 'foo-1.0-py3--any.whl' at position 12: empty abi tag");
  }

  @Test
  void parse_refusesWhatPackagingLetsThroughButNoRealWheelHas() {
    assertThatThrownBy(() -> WheelFilename.parse("-1.0-py3-none-any.whl"))
        .hasMessageContaining("at position 0: the name is empty");
    assertThatThrownBy(() -> WheelFilename.parse("foo\n-1.0-py3-none-any.whl"))
        .hasMessageContaining("at position 3: control or line-break character");
  }

  @Test
  void parse_acceptsWhatPackagingAccepts() throws ParseException {
    assertThat(WheelFilename.parse("café-1.0-py3-none-any.whl").name().normalized())
        .isEqualTo("café");
    assertThat(WheelFilename.parse("zope.interface-1!2.0rc1.post3.dev4-py3-none-any.whl").name())
        .isEqualTo(PackageName.of("zope-interface"));
    assertThat(WheelFilename.parse("foo-V1.0-py3-none-any.whl").version()).isEqualTo("V1.0");
  }

  @Test
  void isWheel_checksTheExtension() {
    assertThat(WheelFilename.isWheel("a-1-py3-none-any.whl")).isTrue();
    assertThat(WheelFilename.isWheel("a-1.tar.gz")).isFalse();
    assertThat(WheelFilename.isWheel(null)).isFalse();
  }

  @Test
  void sdist_parsesNameAndVersionAtTheLastDash() throws ParseException {
    SdistFilename sdist = SdistFilename.parse("zope.interface-6.0.tar.gz");
    assertThat(sdist.name()).isEqualTo(PackageName.of("zope-interface"));
    assertThat(sdist.version()).isEqualTo("6.0");
    assertThat(SdistFilename.parse("foo-bar-1.0.zip").name()).isEqualTo(PackageName.of("foo-bar"));
    assertThat(SdistFilename.isSdist("foo-1.0.tar.gz")).isTrue();
    assertThat(SdistFilename.isSdist("foo-1.0.whl")).isFalse();
    assertThatThrownBy(() -> SdistFilename.parse("foo-1.0.tar.bz2"))
        .hasMessage(
            "invalid sdist filename 'foo-1.0.tar.bz2' at position 11: the extension must be"
                + " .tar.gz or .zip");
    assertThatThrownBy(() -> SdistFilename.parse("foo.tar.gz"))
        .hasMessageContaining("at position 3: expected name-version");
    assertThatThrownBy(() -> SdistFilename.parse("foo-latest.zip"))
        .hasMessageContaining("at position 4: 'latest' is not a valid PEP 440 version");
  }
}
