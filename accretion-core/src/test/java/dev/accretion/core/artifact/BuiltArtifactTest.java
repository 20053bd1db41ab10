package dev.accretion.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltArtifactTest {
  @TempDir Path dir;

  private Path zip(String name, String manifest) throws Exception {
    Path zip = dir.resolve(name);
    Files.write(
        zip, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    if (manifest != null) {
      Files.writeString(BuiltArtifact.manifestPath(zip), manifest);
    }
    return zip;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void read_takesTargetsFromTheManifestAndComputesTheDigest() throws Exception {
    String manifest =
        "{\"packages\":[{\"name\":\"requests\",\"version\":\"2.32.3\"}],"
            + "\"runtimes\":[\"python3.12\",\"python3.13\"],\"architectures\":[\"x86_64\"]}";
    Path zip = zip("deps-python3.12-x86_64.zip", manifest);

    BuiltArtifact a = BuiltArtifact.read(zip);

    assertThat(BuiltArtifact.manifestPath(zip).getFileName().toString())
        .isEqualTo("deps-python3.12-x86_64.json");
    assertThat(a.sha256Hex()).isEqualTo(sha256(zip));
    assertThat(a.runtimes()).containsExactly("python3.12", "python3.13");
    assertThat(a.architectures()).containsExactly("x86_64");
    assertThat(new String(a.manifestJson(), StandardCharsets.UTF_8)).isEqualTo(manifest);
    assertThat(a.contentDigest()).isEmpty();
  }

  @Test
  void read_usesTheArtifactSectionAndTargetObjects() throws Exception {
    String sha = "cd".repeat(32);
    Path zip =
        zip(
            "x.zip",
            "{\"packages\":[],\"artifact\":{\"sha256\":\""
                + sha
                + "\",\"contentDigest\":\"sha256:ef\"},"
                + "\"targets\":[{\"runtime\":\"python3.11\",\"architecture\":\"arm64\"},"
                + "{\"runtime\":\"python3.12\",\"architecture\":\"arm64\"}]}");

    BuiltArtifact a = BuiltArtifact.read(zip);

    assertThat(a.sha256Hex()).isEqualTo(sha);
    assertThat(a.contentDigest()).isEqualTo("sha256:ef");
    assertThat(a.runtimes()).containsExactly("python3.11", "python3.12");
    assertThat(a.architectures()).containsExactly("arm64");
  }

  @Test
  void read_refusesMissingZipManifestOrTargets() throws Exception {
    assertThatThrownBy(() -> BuiltArtifact.read(dir.resolve("nope.zip")))
        .hasMessageContaining("does not exist; build the layer first");
    Path noManifest = zip("a.zip", null);
    assertThatThrownBy(() -> BuiltArtifact.read(noManifest))
        .hasMessageContaining("has no readable manifest beside it")
        .hasMessageContaining("a.json");
    Path noTargets = zip("b.zip", "{\"packages\":[]}");
    assertThatThrownBy(() -> BuiltArtifact.read(noTargets))
        .hasMessageContaining("does not say which runtimes and architectures");
    Path noPackages = zip("c.zip", "{\"runtimes\":[\"python3.12\"]}");
    assertThatThrownBy(() -> BuiltArtifact.read(noPackages))
        .hasMessageContaining("has no \"packages\" array");
  }

  @Test
  void restrictTo_keepsOnlyServedTargets() throws Exception {
    Path zip =
        zip(
            "d.zip",
            "{\"packages\":[],\"runtimes\":[\"python3.12\",\"python3.13\"],"
                + "\"architectures\":[\"x86_64\"]}");
    BuiltArtifact a = BuiltArtifact.read(zip);

    assertThat(a.restrictTo(List.of("python3.13"), List.of()).runtimes())
        .containsExactly("python3.13");
    assertThat(a.restrictTo(null, null)).isEqualTo(a);
    assertThatThrownBy(() -> a.restrictTo(List.of("python3.11"), List.of("arm64")))
        .hasMessageContaining("d.zip was built for python3.12, python3.13 on x86_64")
        .hasMessageContaining("it does not serve runtime python3.11")
        .hasMessageContaining("it does not serve architecture arm64");
  }

  @Test
  void read_takesAccretionsManifestsOfSchemaV1AndV2() throws Exception {
    String sha = "ef".repeat(32);
    String common =
        "\"artifact\" : {\"sha256\" : \""
            + sha
            + "\", \"codeSha256\" : \"7+8=\", \"contentDigest\" : \"cd\","
            + " \"zippedBytes\" : 10, \"unzippedBytes\" : 20},"
            + " \"budget\" : {\"budgetBytes\" : 262144000},"
            + " \"files\" : {\"sbom\" : \"l.cdx.json\", \"locks\" : [\"l.pylock.toml\"]},"
            + " \"targets\" : {\"runtimes\" : [\"python3.12\"], \"architectures\" : [\"arm64\"]},"
            + " \"notes\" : [\"n\"], \"warnings\" : [],";
    String v1 =
        "{\"schema\" : \"accretion/layer-manifest/v1\", "
            + common
            + " \"packages\" : [{\"name\" : \"six\", \"version\" : \"1.16.0\","
            + " \"requiresPython\" : null, \"unzippedBytes\" : 7, \"files\" : 2}]}";
    String v2 =
        v1.replace("/v1", "/v2")
            .replace(
                "\"requiresPython\" : null,",
                "\"ecosystem\" : \"pypi\", \"purl\" : \"pkg:pypi/six@1.16.0\",");
    for (String manifest : new String[] {v1, v2}) {
      BuiltArtifact a = BuiltArtifact.read(zip("l.zip", manifest));
      assertThat(a.sha256Hex()).isEqualTo(sha);
      assertThat(a.codeSha256()).isEqualTo("7+8=");
      assertThat(a.unzippedBytes()).isEqualTo(20);
      assertThat(a.budgetBytes()).isEqualTo(262144000);
      assertThat(a.sbom()).isEqualTo(dir.resolve("l.cdx.json"));
      assertThat(a.locks()).containsExactly(dir.resolve("l.pylock.toml"));
      assertThat(a.packages())
          .containsExactly(new BuiltArtifact.PackageSize("six", "1.16.0", 7, 2));
      assertThat(a.notes()).containsExactly("n");
    }
  }
}
