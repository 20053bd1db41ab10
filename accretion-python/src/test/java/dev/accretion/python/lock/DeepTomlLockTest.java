package dev.accretion.python.lock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TOML nested 100,000 deep in each lock format ends in an error naming the file and line. */
class DeepTomlLockTest {
  @ParameterizedTest
  @CsvSource({"pylock.toml, PYLOCK", "uv.lock, UV_LOCK", "poetry.lock, POETRY_LOCK"})
  void read_deepNesting_isAnErrorWithFileAndLine(String name, ListingFormat format) {
    String text =
        "version = 1\n\n[[package]]\nname = \"x\"\nextra = "
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + "\n";
    Path file = Path.of("/project").resolve(name);
    assertThatThrownBy(() -> LockReaders.read(file, text, format, Map.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(file + ":5:")
        .hasMessageContaining("nest more than 100 deep");
  }
}
