package dev.accretion.python.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Formats detected from file names; every PEP 751 lock name is a pylock listing (issue 17). */
class ListingFormatTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "pylock.toml",
        "pylock.dev.toml",
        "pylock.web-python312-arm64.toml",
        "pylock.python311-x86_64.toml",
        "PYLOCK.Prod.TOML"
      })
  void detect_everyPep751Name_isPylock(String name) throws Exception {
    assertThat(ListingFormat.detect(Path.of("/project/dist").resolve(name)))
        .isEqualTo(ListingFormat.PYLOCK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"web-python3.12-x86_64.pylock.toml", "pylock", "mylock.toml"})
  void detect_namesThatAreNotPep751_areNotPylock(String name) {
    assertThatThrownBy(() -> ListingFormat.detect(Path.of("/project").resolve(name)))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("can't tell the format of")
        .hasMessageContaining("--format");
  }
}
