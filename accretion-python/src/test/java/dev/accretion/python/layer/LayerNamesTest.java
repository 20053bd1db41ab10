package dev.accretion.python.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.python.listing.ListingFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerNamesTest {
  @TempDir Path temp;

  @Test
  void artifactBase_namesOneTargetOrEverySharedOne() throws Exception {
    assertThat(LayerNames.artifactBase("x", FixtureIndex.targets("python3.11/x86_64")))
        .isEqualTo("x-python3.11-x86_64");
    assertThat(
            LayerNames.artifactBase(
                "x", FixtureIndex.targets("python3.13/x86_64", "python3.12/x86_64")))
        .isEqualTo("x-python3.12+python3.13-x86_64");
    assertThat(
            LayerNames.artifactBase(
                "x",
                FixtureIndex.targets(
                    "python3.12/arm64",
                    "python3.13/x86_64",
                    "python3.12/x86_64",
                    "python3.13/arm64")))
        .isEqualTo("x-python3.12+python3.13-x86_64+arm64");
    assertThat(
            LayerNames.artifactBase(
                "x", FixtureIndex.targets("python3.13/arm64", "python3.12/x86_64")))
        .isEqualTo("x-python3.12-x86_64+python3.13-arm64");
  }

  @Test
  void defaultName_fromPyprojectElseFolder() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("Some Service.v2"));
    Path pyproject = dir.resolve("pyproject.toml");
    Files.writeString(pyproject, "[project]\nname = \"My.Fancy_Lib\"\n");
    assertThat(LayerNames.defaultName(pyproject, ListingFormat.PYPROJECT))
        .isEqualTo("my-fancy-lib");
    Files.writeString(pyproject, "[tool.x]\n");
    assertThat(LayerNames.defaultName(pyproject, ListingFormat.PYPROJECT))
        .isEqualTo("some-service-v2");
    assertThat(LayerNames.defaultName(dir.resolve("requirements.txt"), ListingFormat.REQUIREMENTS))
        .isEqualTo("some-service-v2");
    assertThat(LayerNames.defaultName(Path.of("/requirements.txt"), ListingFormat.REQUIREMENTS))
        .isEqualTo("layer");
    assertThat(LayerNames.sanitize("x".repeat(80))).hasSize(64);
  }

  @Test
  void isValid_followsLambdaLayerNames() {
    assertThat(LayerNames.isValid("my_layer-1")).isTrue();
    assertThat(LayerNames.isValid("my layer")).isFalse();
    assertThat(LayerNames.isValid("")).isFalse();
    assertThat(LayerNames.isValid("a".repeat(65))).isFalse();
    assertThat(LayerNames.manifestPath("my_layer")).isEqualTo("accretion/my_layer/manifest.json");
  }
}
