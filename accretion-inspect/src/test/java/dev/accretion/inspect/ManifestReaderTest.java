package dev.accretion.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void v1_isPythons_withPurlsComputed() throws Exception {
    LayerManifest m =
        ManifestReader.parse(
            "accretion/deps/manifest.json",
            mapper.readTree(
                """
                {"schema": "accretion/layer-manifest/v1",
                 "builder": {"name": "accretion", "version": "0.1.0"}, "layer": "deps",
                 "targets": {"runtimes": ["python3.12"], "architectures": ["x86_64"]},
                 "packages": [{"name": "Typing_Extensions", "version": "4.12.2",
                               "requiresPython": null}]}
                """));
    assertThat(m.builder()).isEqualTo("python");
    assertThat(m.builderVersion()).isEqualTo("0.1.0");
    assertThat(m.packages())
        .containsExactly(
            new LayerManifest.Package(
                "pypi", "Typing_Extensions", "4.12.2", "pkg:pypi/typing-extensions@4.12.2"));
  }

  @Test
  void v2_keepsEcosystemAndPurl() throws Exception {
    LayerManifest m =
        ManifestReader.parse(
            "accretion/web/manifest.json",
            mapper.readTree(
                """
                {"schema": "accretion/layer-manifest/v2",
                 "builder": {"name": "accretion", "version": "0.2.0", "id": "nodejs"},
                 "layer": "web", "targets": {"runtimes": ["nodejs20.x"], "architectures": []},
                 "packages": [{"name": "@smithy/types", "version": "4.1.0", "ecosystem": "npm",
                               "purl": "pkg:npm/%40smithy/types@4.1.0"}]}
                """));
    assertThat(m.builder()).isEqualTo("nodejs");
    assertThat(m.packages().get(0).purl()).isEqualTo("pkg:npm/%40smithy/types@4.1.0");
    assertThat(m.runtimes()).containsExactly("nodejs20.x");
  }

  @Test
  void otherSchema_isRefused() throws Exception {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "accretion/x/manifest.json", mapper.readTree("{\"schema\": \"other/v9\"}")))
        .hasMessageContaining("other/v9");
  }

  @Test
  void purls() {
    assertThat(Purls.of("maven", "com.google.guava:guava", "33.4.0-jre"))
        .isEqualTo("pkg:maven/com.google.guava/guava@33.4.0-jre");
    assertThat(Purls.of("npm", "left-pad", "1.3.0")).isEqualTo("pkg:npm/left-pad@1.3.0");
    assertThat(Purls.of("pypi", "Zope.Interface", "7.0+local"))
        .isEqualTo("pkg:pypi/zope-interface@7.0%2Blocal");
    assertThat(Purls.of("generic", "tool", "")).isEqualTo("pkg:generic/tool");
  }
}
