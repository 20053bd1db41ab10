package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharingTest {
  @Test
  void grants_haveDeterministicStatementIds() {
    Sharing s =
        Sharing.all(
            List.of(
                Sharing.accounts(List.of("222222222222", "111111111111")),
                Sharing.organization("o-abcdef1234"),
                Sharing.publicAccess()));

    assertThat(s.grants())
        .containsOnlyKeys(
            "accretion-account-111111111111",
            "accretion-account-222222222222",
            "accretion-org-o-abcdef1234",
            "accretion-public");
    assertThat(s.grants().get("accretion-org-o-abcdef1234"))
        .isEqualTo(new Sharing.Grant("accretion-org-o-abcdef1234", "*", "o-abcdef1234"));
    assertThat(s.grants()).isEqualTo(s.grants());
  }

  @Test
  void privateSharing_hasNoGrants() {
    assertThat(Sharing.privateOnly().grants()).isEmpty();
  }

  @Test
  void accounts_mustBeTwelveDigits() {
    assertThatThrownBy(() -> Sharing.accounts(List.of("12345")))
        .hasMessageContaining("'12345' is not 12 digits");
    assertThatThrownBy(() -> Sharing.accounts(List.of())).hasMessageContaining("at least one");
  }

  @Test
  void organization_mustMatchTheOrganizationIdPattern() {
    assertThatThrownBy(() -> Sharing.organization("org-1"))
        .hasMessageContaining("does not match o-[a-z0-9]{10,32}");
  }

  @Test
  void statementIds_fitLambdasStatementIdPattern() {
    Sharing s =
        Sharing.all(
            List.of(
                Sharing.accounts(List.of("123456789012")),
                Sharing.organization("o-" + "a".repeat(32))));
    assertThat(s.grants().keySet()).allMatch(id -> id.matches("[a-zA-Z0-9-_]{1,100}"));
  }

  @Test
  void parse_readsEveryFormAndMergesAccounts() throws Exception {
    Sharing s =
        Sharing.parse(List.of("public", "222222222222", "org:o-abcdef1234", "111111111111"));

    assertThat(s.grants())
        .containsOnlyKeys(
            "accretion-public",
            "accretion-org-o-abcdef1234",
            "accretion-account-111111111111",
            "accretion-account-222222222222");
    assertThat(s.describe()).isEqualTo("public, org:o-abcdef1234, 111111111111, 222222222222");
    assertThat(Sharing.parse(List.of("o-abcdef1234")))
        .isEqualTo(Sharing.organization("o-abcdef1234"));
  }

  @Test
  void parse_privateOrNothingIsPrivate() throws Exception {
    assertThat(Sharing.parse(List.of("private"))).isEqualTo(Sharing.privateOnly());
    assertThat(Sharing.parse(List.of())).isEqualTo(Sharing.privateOnly());
    assertThat(Sharing.privateOnly().describe()).isEqualTo("private");
  }

  @Test
  void parse_reportsEveryBadEntry() {
    assertThatThrownBy(() -> Sharing.parse(List.of("friends", "12345", "org:nope", "private")))
        .hasMessageContaining("'friends' is not private, public")
        .hasMessageContaining("'12345' is not 12 digits")
        .hasMessageContaining("organization id 'nope'");
    assertThatThrownBy(() -> Sharing.parse(List.of("private", "public")))
        .hasMessageContaining("'private' cannot be combined");
  }
}
