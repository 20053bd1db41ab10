package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.python.listing.ListingFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonNamesTest {
  @TempDir Path temp;

  @Test
  void defaultName_fromPyprojectElseFolder() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("Some Service.v2"));
    Path pyproject = dir.resolve("pyproject.toml");
    Files.writeString(pyproject, "[project]\nname = \"My.Fancy_Lib\"\n");
    assertThat(PythonNames.defaultName(pyproject, ListingFormat.PYPROJECT))
        .isEqualTo("my-fancy-lib");
    Files.writeString(pyproject, "[tool.x]\n");
    assertThat(PythonNames.defaultName(pyproject, ListingFormat.PYPROJECT))
        .isEqualTo("some-service-v2");
    assertThat(PythonNames.defaultName(dir.resolve("requirements.txt"), ListingFormat.REQUIREMENTS))
        .isEqualTo("some-service-v2");
    assertThat(PythonNames.defaultName(Path.of("/requirements.txt"), ListingFormat.REQUIREMENTS))
        .isEqualTo("layer");
    assertThat(
            PythonNames.defaultName(
                temp.resolve("x".repeat(80) + "/r.txt"), ListingFormat.REQUIREMENTS))
        .hasSize(64);
  }
}
