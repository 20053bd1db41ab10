package dev.accretion.python.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoreMetadataTest {
  private static final String METADATA =
      """
      Metadata-Version: 2.4
      Name: Requests_Toolbelt
      Version: 1.0.0
      Summary: A utility belt for advanced users of python-requests
      License-Expression: Apache-2.0
      License-File: LICENSE
      License-File: NOTICE
      Requires-Python: >=3.8
      Classifier: Programming Language :: Python :: 3
      Classifier: License :: OSI Approved :: Apache Software License
      Requires-Dist: requests<3.0.0,>=2.0.1
      Requires-Dist: pytest; extra == "test"
      Provides-Extra: test
      Requires-External: libpq
      Project-URL: Source, https://example.org/src
      Description-Content-Type: text/markdown

      # Toolbelt

      Long description, with a blank line above.
      """;

  @Test
  void parse_readsEveryFieldAndTheBody() throws ParseException {
    CoreMetadata m = CoreMetadata.parse(METADATA);
    assertThat(m.metadataVersion()).isEqualTo("2.4");
    assertThat(m.name()).isEqualTo("Requests_Toolbelt");
    assertThat(m.packageName()).isEqualTo(PackageName.of("requests-toolbelt"));
    assertThat(m.version()).isEqualTo("1.0.0");
    assertThat(m.summary()).isEqualTo("A utility belt for advanced users of python-requests");
    assertThat(m.licenseExpression()).isEqualTo("Apache-2.0");
    assertThat(m.license()).isNull();
    assertThat(m.licenseFiles()).containsExactly("LICENSE", "NOTICE");
    assertThat(m.requiresPython()).isEqualTo(">=3.8");
    assertThat(m.classifiers()).hasSize(2);
    assertThat(m.requiresDist())
        .containsExactly("requests<3.0.0,>=2.0.1", "pytest; extra == \"test\"");
    assertThat(m.providesExtra()).containsExactly("test");
    assertThat(m.requiresExternal()).containsExactly("libpq");
    assertThat(m.descriptionContentType()).isEqualTo("text/markdown");
    assertThat(m.description())
        .isEqualTo("# Toolbelt\n\nLong description, with a blank line above.\n");
    assertThat(m.get("PROJECT-URL")).containsExactly("Source, https://example.org/src");
    assertThat(m.first("project-url")).contains("Source, https://example.org/src");
    assertThat(m.headers()).containsKeys("metadata-version", "classifier", "requires-dist");
  }

  @Test
  void parse_keepsContinuationLinesOfAFoldedValue() throws ParseException {
    CoreMetadata m =
        CoreMetadata.parse(
            "Metadata-Version: 2.1\nName: x\nVersion: 1\nLicense: MIT License\n"
                + "        \n        Copyright (c) 2024\nSummary:   padded  \n");
    assertThat(m.license()).isEqualTo("MIT License\n        \n        Copyright (c) 2024");
    // as packaging: leading blanks go, trailing ones stay
    assertThat(m.summary()).isEqualTo("padded  ");
  }

  @Test
  void parse_toleratesCrlfBomAndNonAscii() throws ParseException {
    String text =
        "\ufeffMetadata-Version: 2.1\r\nName: café\r\nVersion: 1.0\r\nSummary: Ünïcode ✓\r\n"
            + "\r\nBody line 1\r\nBody line 2\r\n";
    CoreMetadata m = CoreMetadata.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(m.name()).isEqualTo("café");
    assertThat(m.summary()).isEqualTo("Ünïcode ✓");
    assertThat(m.description()).isEqualTo("Body line 1\nBody line 2\n");
    assertThat(CoreMetadata.parse("Metadata-Version: 1.0\rName: a\rVersion: 2\r").version())
        .isEqualTo("2");
  }

  @Test
  void parse_takesDescriptionHeaderOfOldMetadataVersions() throws ParseException {
    CoreMetadata m =
        CoreMetadata.parse(
            "Metadata-Version: 1.1\nName: old\nVersion: 0.1\nDescription: first\n"
                + "        |second\nPlatform: UNKNOWN\n");
    assertThat(m.description()).isEqualTo("first\n        |second");
    assertThat(m.get("platform")).containsExactly("UNKNOWN");
    assertThat(m.requiresDist()).isEmpty();
  }

  @Test
  void parse_rejectsALineThatIsNeitherHeaderNorContinuation() {
    assertThatThrownBy(
            () -> CoreMetadata.parse("Metadata-Version: 2.1\nName: x\nthis is text\nVersion: 1\n"))
        .isInstanceOf(ParseException.class)
        .hasMessageStartingWith(
            "invalid core metadata line 3 'this is text' at position 12: expected 'Field-Name:"
                + " value'");
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 2.1\nBad Name: x\n"))
        .hasMessageStartingWith("invalid core metadata line 2 'Bad Name: x' at position 3");
    assertThatThrownBy(() -> CoreMetadata.parse(" leading: x\nName: x\n"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("continuation line");
  }

  @Test
  void parse_rejectsMissingOrEmptyRequiredFields() {
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 2.1\nVersion: 1.0\n"))
        .hasMessage("invalid core metadata 'Name:': the required field 'Name' is missing");
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 2.1\nName: x\n"))
        .hasMessageContaining("the required field 'Version' is missing");
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 2.1\nName:  \nVersion: 1\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("the required field 'Name' is empty");
    assertThatThrownBy(() -> CoreMetadata.parse("Name: x\nVersion: 1\n"))
        .hasMessageContaining("'Metadata-Version' is missing");
  }

  @Test
  void parse_rejectsRepeatedSingleUseFieldsAndUnknownMajorVersions() {
    assertThatThrownBy(
            () -> CoreMetadata.parse("Metadata-Version: 2.1\nName: x\nVersion: 1\nversion: 2\n"))
        .hasMessage(
            "invalid core metadata line 4 'version: 2' at position 0: 'version' may appear only"
                + " once; it is already on line 3");
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 3.0\nName: x\nVersion: 1\n"))
        .hasMessageContaining("Metadata-Version 3.x is not supported");
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: two\nName: x\nVersion: 1\n"))
        .hasMessageContaining("line 1 'two'");
  }

  @Test
  void parse_rejectsBytesThatAreNotUtf8NamingTheLine() {
    byte[] bytes =
        "Metadata-Version: 2.1\nName: x\nVersion: 1\nSummary: caf\u00e9\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> CoreMetadata.parse(bytes))
        .hasMessageStartingWith("invalid core metadata line 4 'Summary: caf")
        .hasMessageEndingWith("at position 12: byte 0xe9 is not valid UTF-8");
  }
}
