package dev.accretion.app.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import org.junit.jupiter.api.Test;

class FunctionNamesTest {
  @Test
  void name_isPrefixDashSixteenHexDigits_andFitsLambdasLimit() throws Exception {
    String longest = "p".repeat(FunctionNames.MAX_PREFIX);
    String name = FunctionNames.name(FunctionNames.checkPrefix(longest), "github.com/a/b", "x/y");
    assertThat(name).hasSize(64).matches("p{47}-[0-9a-f]{16}");
  }

  @Test
  void name_dependsOnIdentityAndPathOnly() {
    String a = FunctionNames.name("shop", "github.com/acme/shop", "svc/orders");
    assertThat(FunctionNames.name("shop", "github.com/acme/shop", "svc/orders")).isEqualTo(a);
    assertThat(FunctionNames.name("shop", "github.com/acme/other", "svc/orders")).isNotEqualTo(a);
    assertThat(FunctionNames.name("shop", "github.com/acme/shop", "svc/order")).isNotEqualTo(a);
    // sha256("github.com/acme/shop\nsvc/orders"), first 16 hex digits: fixed for every machine
    assertThat(a).isEqualTo("shop-" + FunctionNames.hash("github.com/acme/shop", "svc/orders"));
    assertThat(FunctionNames.hash("github.com/acme/shop", "svc/orders"))
        .isEqualTo(sha256Prefix("github.com/acme/shop\nsvc/orders"));
  }

  private static String sha256Prefix(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void checkPrefix_refusesWhatCannotMakeAName() {
    for (String bad : new String[] {"", "has space", "p".repeat(48), "a.b"}) {
      assertThatThrownBy(() -> FunctionNames.checkPrefix(bad))
          .isInstanceOfSatisfying(
              AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
    }
  }

  @Test
  void description_keepsTheRevisionWhenCut() {
    String rev = "a".repeat(40);
    assertThat(FunctionNames.description("svc/a", rev)).isEqualTo("svc/a@" + rev);
    String longPath = "d/".repeat(200) + "end";
    String cut = FunctionNames.description(longPath, rev);
    assertThat(cut).hasSize(256).endsWith("/end@" + rev).startsWith("…");
  }
}
