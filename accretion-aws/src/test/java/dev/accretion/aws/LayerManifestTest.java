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

  /** A layer built before the layer pipeline (schema v1) and one built after (v2). */
  static final String V1 =
      "{\n  \"builder\" : {\"name\" : \"accretion\", \"version\" : \"0.1.0\"},\n"
          + "  \"layout\" : \"python\",\n  \"packages\" : [ {\n"
          + "    \"file\" : \"six-1.16.0-py2.py3-none-any.whl\", \"files\" : 5,\n"
          + "    \"license\" : \"MIT\", \"licenseIsExpression\" : false,\n"
          + "    \"name\" : \"six\", \"requiresPython\" : null, \"sha256\" : \"ab\",\n"
          + "    \"tags\" : [ \"py2-none-any\" ], \"unzippedBytes\" : 1000, \"version\" : \"1.16.0\"\n"
          + "  } ],\n  \"schema\" : \"accretion/layer-manifest/v1\"\n}\n";

  static final String V2 =
      V1.replace("accretion/layer-manifest/v1", "accretion/layer-manifest/v2")
          .replace(
              "\"requiresPython\" : null,",
              "\"ecosystem\" : \"pypi\", \"purl\" : \"pkg:pypi/six@1.16.0\",")
          .replace("\"version\" : \"0.1.0\"}", "\"version\" : \"0.2.0\", \"id\" : \"python\"}");

  @Test
  void parse_readsManifestsOfBothSchemas() throws Exception {
    for (String json : new String[] {V1, V2}) {
      LayerManifest m = LayerManifest.parse(utf8(json), "m.json");
      assertThat(m.packages()).containsExactly(new PackageVersion("six", "1.16.0"));
    }
    // diff reads a v1 version against a v2 one: same packages, nothing changed
    PackageDiff diff =
        PackageDiff.between(
            LayerManifest.parse(utf8(V1), "v1").packages(),
            LayerManifest.parse(utf8(V2), "v2").packages());
    assertThat(diff.added()).isEmpty();
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.changed()).isEmpty();
  }
}
