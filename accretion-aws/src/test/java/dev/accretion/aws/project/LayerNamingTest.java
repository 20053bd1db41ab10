package dev.accretion.aws.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.aws.Notifications;
import dev.accretion.aws.Sharing;
import dev.accretion.core.artifact.BuiltArtifact;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNamingTest {
  private static ProjectFile.LayerConfig layer(List<String> runtimes, List<String> archs) {
    return new ProjectFile.LayerConfig(
        "deps",
        null,
        List.of(),
        runtimes,
        archs,
        List.of(),
        Sharing.privateOnly(),
        null,
        "",
        null,
        null,
        Notifications.none(),
        List.of(),
        Path.of("accretion.toml"),
        3);
  }

  private static BuiltArtifact zip(String name, List<String> runtimes, List<String> archs) {
    return BuiltArtifact.of(
        Path.of(name), "ab".repeat(32), "", "{\"packages\":[]}".getBytes(), runtimes, archs);
  }

  @Test
  void oneZipForSeveralRuntimes_isOneLayerListingThemAll() throws Exception {
    BuiltArtifact z = zip("deps.zip", List.of("python3.12", "python3.13"), List.of("x86_64"));

    List<LayerNaming.Planned> plan =
        LayerNaming.plan(layer(List.of("python3.12", "python3.13"), List.of("x86_64")), List.of(z));

    assertThat(plan)
        .containsExactly(
            new LayerNaming.Planned(
                "deps", z, List.of("python3.12", "python3.13"), List.of("x86_64")));
  }

  @Test
  void bothArchitectures_splitByArchitectureEvenForOneZip() throws Exception {
    BuiltArtifact z = zip("deps.zip", List.of("python3.12"), List.of("x86_64", "arm64"));

    List<LayerNaming.Planned> plan =
        LayerNaming.plan(layer(List.of("python3.12"), List.of("x86_64", "arm64")), List.of(z));

    assertThat(plan)
        .extracting(LayerNaming.Planned::layerName, LayerNaming.Planned::architectures)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("deps-x86_64", List.of("x86_64")),
            org.assertj.core.groups.Tuple.tuple("deps-arm64", List.of("arm64")));
  }

  @Test
  void zipsThatDifferByRuntime_areNamedAfterTheirLowestRuntime() throws Exception {
    BuiltArtifact a = zip("a.zip", List.of("python3.12", "python3.13"), List.of("arm64"));
    BuiltArtifact b = zip("b.zip", List.of("python3.11"), List.of("arm64"));
    BuiltArtifact c =
        zip("c.zip", List.of("python3.11", "python3.12", "python3.13"), List.of("x86_64"));

    List<LayerNaming.Planned> plan =
        LayerNaming.plan(
            layer(List.of("python3.11", "python3.12", "python3.13"), List.of("x86_64", "arm64")),
            List.of(a, b, c));

    assertThat(plan)
        .extracting(LayerNaming.Planned::layerName, LayerNaming.Planned::runtimes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "deps-x86_64", List.of("python3.11", "python3.12", "python3.13")),
            org.assertj.core.groups.Tuple.tuple("deps-python311-arm64", List.of("python3.11")),
            org.assertj.core.groups.Tuple.tuple(
                "deps-python312-arm64", List.of("python3.12", "python3.13")));
  }

  @Test
  void runtimesBeyondTheLayersAreLeftOut() throws Exception {
    BuiltArtifact z = zip("z.zip", List.of("python3.12", "python3.13"), List.of("x86_64"));

    assertThat(LayerNaming.plan(layer(List.of("python3.13"), List.of("x86_64")), List.of(z)))
        .extracting(LayerNaming.Planned::runtimes)
        .containsExactly(List.of("python3.13"));
  }

  @Test
  void uncoveredOrDoublyCoveredTargetsAreErrorsNamingTheLayerLine() {
    BuiltArtifact a = zip("a.zip", List.of("python3.12"), List.of("x86_64"));
    BuiltArtifact b = zip("b.zip", List.of("python3.12"), List.of("x86_64"));
    BuiltArtifact other = zip("o.zip", List.of("nodejs22.x"), List.of("x86_64"));

    assertThatThrownBy(
            () ->
                LayerNaming.plan(
                    layer(List.of("python3.12", "python3.13"), List.of("x86_64")), List.of(a)))
        .hasMessageContaining("accretion.toml:3: layers.deps: no zip serves python3.13 on x86_64");
    assertThatThrownBy(
            () -> LayerNaming.plan(layer(List.of("python3.12"), List.of("x86_64")), List.of(a, b)))
        .hasMessageContaining("a.zip and b.zip both serve python3.12 on x86_64");
    assertThatThrownBy(
            () ->
                LayerNaming.plan(
                    layer(List.of("python3.12"), List.of("x86_64")), List.of(a, other)))
        .hasMessageContaining("o.zip serves nodejs22.x on x86_64, none of the layer's targets");
  }

  @Test
  void runtimeSuffix_dropsTheDot() {
    assertThat(LayerNaming.runtimeSuffix("python3.12")).isEqualTo("python312");
  }
}
