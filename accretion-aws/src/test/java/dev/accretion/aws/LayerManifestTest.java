package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LayerManifestTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_readsPackagesAndKeepsTheRestOpaque() throws Exception {
    String json =
        "{\"target\":{\"x\":1},\"packages\":[{\"name\":\"six\",\"version\":\"1.16.0\",\"tags\":[]}]}";
    LayerManifest m = LayerManifest.parse(utf8(json), "test");

    assertThat(m.packages()).containsExactly(new PackageVersion("six", "1.16.0"));
    assertThat(m.json()).isEqualTo(json);
  }

  @Test
  void parse_rejectsMissingPackagesArray() {
    assertThatThrownBy(() -> LayerManifest.parse(utf8("{\"packages\":{}}"), "m.json"))
        .hasMessageContaining("manifest m.json has no \"packages\" array");
  }

  @Test
  void parse_rejectsAPackageWithoutVersion() {
    assertThatThrownBy(
            () -> LayerManifest.parse(utf8("{\"packages\":[{\"name\":\"six\"}]}"), "m.json"))
        .hasMessageContaining("packages[0] needs string \"name\" and \"version\"");
  }

  @Test
  void parse_rejectsInvalidJson() {
    assertThatThrownBy(() -> LayerManifest.parse(utf8("{"), "m.json"))
        .hasMessageContaining("manifest m.json is not valid JSON");
  }
}
