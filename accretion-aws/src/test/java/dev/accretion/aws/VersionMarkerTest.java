package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionMarkerTest {
  private static final String SHA = "ab".repeat(32);

  @Test
  void description_appendsTheMarkerAfterOneSpace() {
    assertThat(VersionMarker.description("My layer", SHA))
        .isEqualTo("My layer [accretion sha256:" + SHA + "]");
  }

  @Test
  void description_isOnlyTheMarkerForAnEmptyText() {
    assertThat(VersionMarker.description("", SHA)).isEqualTo("[accretion sha256:" + SHA + "]");
  }

  @Test
  void sha256_readsTheDigestBackAndUserTextStripsIt() {
    String d = VersionMarker.description("text [with brackets]", SHA);
    assertThat(VersionMarker.sha256(d)).contains(SHA);
    assertThat(VersionMarker.userText(d)).isEqualTo("text [with brackets]");
  }

  @Test
  void sha256_isEmptyForForeignOrMalformedDescriptions() {
    assertThat(VersionMarker.sha256(null)).isEmpty();
    assertThat(VersionMarker.sha256("hand made")).isEmpty();
    assertThat(VersionMarker.sha256("[accretion sha256:" + SHA.toUpperCase() + "]")).isEmpty();
    assertThat(VersionMarker.sha256("[accretion sha256:" + SHA + "] trailing")).isEmpty();
  }

  @Test
  void markerLength_leaves172CharactersForTheUser() {
    assertThat(VersionMarker.MARKER_LENGTH).isEqualTo(84);
    assertThat(VersionMarker.MAX_USER_DESCRIPTION).isEqualTo(172);
    assertThat(VersionMarker.description("x".repeat(172), SHA)).hasSize(256);
  }

  @Test
  void description_rejectsADigestThatIsNotLowerCaseHex() {
    assertThatThrownBy(() -> VersionMarker.description("", "XYZ"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 lower-case hex");
  }
}
