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
    return layer(runtimes, archs, null);
  }

  private static ProjectFile.LayerConfig layer(
      List<String> runtimes, List<String> archs, String ssmParameter) {
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
        ssmParameter,
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

  private static List<BuiltArtifact> fourZips() {
    return List.of(
        zip("a.zip", List.of("python3.12"), List.of("x86_64")),
        zip("b.zip", List.of("python3.13"), List.of("x86_64")),
        zip("c.zip", List.of("python3.12"), List.of("arm64")),
        zip("d.zip", List.of("python3.13"), List.of("arm64")));
  }

  @Test
  void ssmParameterWithoutPlaceholders_isRefusedWhenTwoLambdaLayersWouldWriteIt() {
    List<String> runtimes = List.of("python3.12", "python3.13");
    assertThatThrownBy(
            () ->
                LayerNaming.plan(
                    layer(runtimes, List.of("x86_64", "arm64"), "/layers/deps/arn"), fourZips()))
        .isInstanceOfSatisfying(
            dev.accretion.core.AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(dev.accretion.core.FailureKind.BAD_INPUT);
              assertThat(e.problem())
                  .startsWith("accretion.toml:3: layers.deps: ssm-parameter '/layers/deps/arn'")
                  .contains("deps-python312-x86_64 and deps-python313-x86_64");
              assertThat(e.advice())
                  .contains("{runtime} and {arch}")
                  .contains("/layers/deps/{runtime}/{arch}/arn");
            });
    // {arch} alone is not enough when the zips also differ by runtime
    assertThatThrownBy(
            () ->
                LayerNaming.plan(
                    layer(runtimes, List.of("x86_64", "arm64"), "/layers/deps/{arch}/arn"),
                    fourZips()))
        .hasMessageContaining("put {runtime} in the name");
  }

  @Test
  void ssmParameterWithPlaceholders_orOneLambdaLayer_isAccepted() throws Exception {
    List<String> runtimes = List.of("python3.12", "python3.13");
    assertThat(
            LayerNaming.plan(
                layer(runtimes, List.of("x86_64", "arm64"), "/layers/deps/{runtime}/{arch}/arn"),
                fourZips()))
        .hasSize(4);
    // one zip for both runtimes on each architecture: {arch} tells the two Lambda layers apart
    BuiltArtifact x86 = zip("x.zip", runtimes, List.of("x86_64"));
    BuiltArtifact arm = zip("y.zip", runtimes, List.of("arm64"));
    assertThat(
            LayerNaming.plan(
                layer(runtimes, List.of("x86_64", "arm64"), "/layers/deps/{arch}/arn"),
                List.of(x86, arm)))
        .hasSize(2);
    // one Lambda layer: a plain name is its own
    assertThat(
            LayerNaming.plan(layer(runtimes, List.of("x86_64"), "/layers/deps/arn"), List.of(x86)))
        .hasSize(1);
  }
}
