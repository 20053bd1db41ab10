package dev.accretion.python.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import org.junit.jupiter.api.Test;

class TagTest {
  @Test
  void parseTagSet_expandsCompressedSetsInOrder() throws ParseException {
    assertThat(Tag.parseTagSet("py2.py3-none-any"))
        .containsExactly(new Tag("py2", "none", "any"), new Tag("py3", "none", "any"));
    assertThat(Tag.parseTagSet("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"))
        .extracting(Tag::toString)
        .containsExactly("cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64");
    assertThat(Tag.parseTagSet("py2.py3-none.abi3-any.linux_x86_64")).hasSize(8);
  }

  @Test
  void parseTagSet_lowerCasesAsPackagingDoes() throws ParseException {
    assertThat(Tag.parseTagSet("PY3-None-ANY")).containsExactly(new Tag("py3", "none", "any"));
    assertThat(new Tag("CP311", "Abi3", "Manylinux1_X86_64"))
        .hasToString("cp311-abi3-manylinux1_x86_64");
  }

  @Test
  void parseTagSet_rejectsWrongPartCountQuotingThePosition() {
    assertThatThrownBy(() -> Tag.parseTagSet("py3-none"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "invalid tag 'py3-none' at position 8: expected three parts python-abi-platform"
                + " separated by '-', found 2");
    assertThatThrownBy(() -> Tag.parseTagSet("py3-none-any-x"))
        .hasMessageContaining("at position 12");
  }

  @Test
  void parseTagSet_rejectsEmptyParts() {
    assertThatThrownBy(() -> Tag.parseTagSet("py3--any"))
        .hasMessage("invalid tag 'py3--any' at position 4: empty abi tag");
    assertThatThrownBy(() -> Tag.parseTagSet("py2.-none-any"))
        .hasMessage("invalid tag 'py2.-none-any' at position 4: empty python tag");
    assertThatThrownBy(() -> Tag.parseTagSet("py3-none-any."))
        .hasMessage("invalid tag 'py3-none-any.' at position 13: empty platform tag");
  }

  @Test
  void parse_acceptsOneTagOnly() throws ParseException {
    assertThat(Tag.parse("py3-none-any")).isEqualTo(new Tag("py3", "none", "any"));
    assertThatThrownBy(() -> Tag.parse("py2.py3-none-any"))
        .hasMessageContaining("a compressed tag set, not a single tag");
    assertThatThrownBy(() -> new Tag("py3", "", "any"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Tag("py3", "no-ne", "any"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
