package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LayerCatalog#locate}: a project layer's name and a target → its Lambda layer. */
class LocateLayerIT {
  private static final String REGION = "eu-central-1";

  @TempDir Path dir;

  private void publish(LayerPublisher p, String name, List<String> runtimes, String arch)
      throws Exception {
    TestLayers.Artifact a = TestLayers.build(dir, name, Map.of("pkg", name));
    PublishRequest base = TestLayers.request(name, a, List.of(REGION));
    PublishRequest r =
        new PublishRequest(
            name,
            base.zip(),
            base.sha256Hex(),
            base.contentDigest(),
            runtimes,
            List.of(arch),
            base.description(),
            base.licenseInfo(),
            base.regions(),
            base.sharing(),
            null,
            base.manifestJson(),
            "/test/" + name + "/{runtime}/{arch}",
            null);
    assertThat(p.publish(r, PublishListener.NONE).ok()).isTrue();
  }

  private static AccretionException failure(ThrowingRunnable r) {
    try {
      r.run();
    } catch (AccretionException e) {
      return e;
    }
    throw new AssertionError("no failure");
  }

  interface ThrowingRunnable {
    void run() throws AccretionException;
  }

  @Test
  void locate_choosesByTarget_asksWhenAmbiguous_andPrefersTheNewestSplit() throws Exception {
    String layer = TestLayers.uniqueName("loc");
    try (LayerPublisher p = new LayerPublisher(MotoServer.settings());
        LayerCatalog catalog = new LayerCatalog(MotoServer.settings(), null)) {
      // an unrelated layer whose name starts the same is never taken for one of them
      publish(p, layer + "-v2", List.of("python3.12"), "arm64");
      for (String runtime : List.of("python3.12", "python3.13")) {
        for (String arch : List.of("x86_64", "arm64")) {
          publish(p, LambdaLayerNames.derive(layer, runtime, arch), List.of(runtime), arch);
        }
      }

      assertThat(catalog.layersOf(layer, REGION)).hasSize(4);
      assertThat(
              catalog.locate(LayerQuery.of(layer, "python3.13", "arm64"), REGION).lambdaLayerName())
          .isEqualTo(layer + "-python313-arm64");
      assertThat(catalog.arn(LayerQuery.of(layer, "python3.12", "x86_64"), REGION))
          .endsWith(":layer:" + layer + "-python312-x86_64:1");
      // the Lambda layer's own name works as well
      assertThat(
              catalog.locate(LayerQuery.of(layer + "-python312-arm64"), REGION).latest().version())
          .isEqualTo(1);

      AccretionException ambiguous =
          failure(() -> catalog.locate(LayerQuery.of(layer, null, "arm64"), REGION));
      assertThat(ambiguous.kind()).isEqualTo(FailureKind.USAGE);
      assertThat(ambiguous.advice()).isEqualTo("choose one with --runtime");
      AccretionException none =
          failure(() -> catalog.locate(LayerQuery.of(layer, "python3.11", null), REGION));
      assertThat(none.kind()).isEqualTo(FailureKind.NOT_FOUND);
      AccretionException unpublished =
          failure(() -> catalog.locate(LayerQuery.of(layer + "x"), REGION));
      assertThat(unpublished.kind()).isEqualTo(FailureKind.NOT_FOUND);
      assertThat(unpublished.problem()).contains("has no versions in " + REGION);

      // one zip per architecture now: the newer Lambda layer serves the target
      publish(
          p,
          LambdaLayerNames.derive(layer, null, "arm64"),
          List.of("python3.12", "python3.13"),
          "arm64");
      assertThat(
              catalog.locate(LayerQuery.of(layer, "python3.13", "arm64"), REGION).lambdaLayerName())
          .isEqualTo(layer + "-arm64");
      assertThat(catalog.locateAll(LayerQuery.of(layer), REGION)).hasSize(5);
      assertThat(catalog.list(List.of(REGION), LayerQuery.of(layer, null, "x86_64")))
          .extracting(ManagedLayer::layerName)
          .containsExactly(layer + "-python312-x86_64", layer + "-python313-x86_64");
    }
    assertThatThrownBy(() -> LayerQuery.of("bad/name"))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
  }
}
