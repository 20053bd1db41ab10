package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PackageDiffTest {
  private static PackageVersion p(String name, String version) {
    return new PackageVersion(name, version);
  }

  @Test
  void between_findsAddedRemovedAndChangedSortedByName() {
    PackageDiff d =
        PackageDiff.between(
            List.of(p("requests", "2.31.0"), p("chardet", "5.2.0"), p("idna", "3.7")),
            List.of(
                p("urllib3", "2.2.3"),
                p("requests", "2.32.3"),
                p("idna", "3.7"),
                p("attrs", "24.2.0")));

    assertThat(d.added()).containsExactly(p("attrs", "24.2.0"), p("urllib3", "2.2.3"));
    assertThat(d.removed()).containsExactly(p("chardet", "5.2.0"));
    assertThat(d.changed()).containsExactly(new PackageDiff.Change("requests", "2.31.0", "2.32.3"));
    assertThat(d.isEmpty()).isFalse();
  }

  @Test
  void between_matchesNamesAfterPep503Normalization() {
    PackageDiff d =
        PackageDiff.between(
            List.of(p("Typing_Extensions", "4.12.0")), List.of(p("typing.extensions", "4.12.2")));

    assertThat(d.added()).isEmpty();
    assertThat(d.removed()).isEmpty();
    assertThat(d.changed())
        .containsExactly(new PackageDiff.Change("typing.extensions", "4.12.0", "4.12.2"));
  }

  @Test
  void between_identicalListsIsEmpty() {
    List<PackageVersion> same = List.of(p("six", "1.16.0"));
    assertThat(PackageDiff.between(same, same).isEmpty()).isTrue();
  }
}
