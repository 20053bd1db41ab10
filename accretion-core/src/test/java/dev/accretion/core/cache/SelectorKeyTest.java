package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SelectorKeyTest {

  @Test
  void build_matchesGoldenDigestOfTheDocumentedEncoding() {
    // Computed with Python's hashlib from the encoding in SelectorKey's javadoc:
    // sha256(b"accretion-selector-key/1\0" + for each field: >I len(name), name, >Q len(value),
    // value).
    SelectorKey key =
        SelectorKey.builder()
            .add("listing", "requests==2.32.3\n")
            .add("target", "python3.11-x86_64 é")
            .add("builder", "0.1.0")
            .add("empty", "")
            .build();

    assertThat(key.sha256())
        .isEqualTo("096ffc5d991c69b8dd404719fec9d897f349fe17cc691a49e18460e6f6b35663");
  }

  @Test
  void build_withoutFieldsHashesOnlyTheTag() {
    assertThat(SelectorKey.builder().build().sha256())
        .isEqualTo("da8617ac1252f3608e20af2b34ccac0af3a053d994d3656f48368b2d20689d67");
  }

  @Test
  void build_isDeterministicAndRepeatable() {
    SelectorKey.Builder builder = SelectorKey.builder().add("a", "1").add("b", "2");

    SelectorKey first = builder.build();
    SelectorKey second = builder.build();
    SelectorKey fresh = SelectorKey.builder().add("a", "1").add("b", "2").build();

    assertThat(first).isEqualTo(second).isEqualTo(fresh);
  }

  @Test
  void build_fieldOrderIsPartOfTheKey() {
    SelectorKey ab = SelectorKey.builder().add("a", "1").add("b", "2").build();
    SelectorKey ba = SelectorKey.builder().add("b", "2").add("a", "1").build();

    assertThat(ab).isNotEqualTo(ba);
  }

  @Test
  void build_lengthPrefixesKeepShiftedBoundariesApart() {
    SelectorKey one = SelectorKey.builder().add("a", "bc").build();
    SelectorKey two = SelectorKey.builder().add("ab", "c").build();
    SelectorKey three = SelectorKey.builder().add("a", "b").add("c", "").build();

    assertThat(one).isNotEqualTo(two);
    assertThat(one).isNotEqualTo(three);
  }

  @Test
  void build_textAndItsUtf8BytesGiveTheSameKey() {
    SelectorKey text = SelectorKey.builder().add("listing", "numpy\nrequests é").build();
    SelectorKey bytes =
        SelectorKey.builder()
            .add("listing", "numpy\nrequests é".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThat(text).isEqualTo(bytes);
  }

  @Test
  void add_rejectsEmptyName() {
    assertThatThrownBy(() -> SelectorKey.builder().add("", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }

  @Test
  void of_normalizesUppercaseAndRejectsMalformedDigests() {
    String hex = "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789";

    assertThat(SelectorKey.of(hex).sha256()).isEqualTo(hex.toLowerCase(java.util.Locale.ROOT));
    assertThatThrownBy(() -> SelectorKey.of("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"abc\"");
    assertThatThrownBy(() -> SelectorKey.of("g".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
