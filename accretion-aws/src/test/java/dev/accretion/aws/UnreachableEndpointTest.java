package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint nobody listens on: the messages say the endpoint can't be reached, name it and what
 * to check, and give no credentials advice (nothing reached AWS).
 */
class UnreachableEndpointTest {
  @TempDir Path dir;

  private static URI closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  private PublishRequest request(String bucketPattern) throws Exception {
    TestLayers.Artifact a = TestLayers.build(dir, "down", Map.of("idna", "3.10"));
    PublishRequest r = TestLayers.request("down", a, List.of("us-east-1"));
    return new PublishRequest(
        r.layerName(),
        r.zip(),
        r.sha256Hex(),
        r.contentDigest(),
        r.compatibleRuntimes(),
        r.compatibleArchitectures(),
        r.description(),
        r.licenseInfo(),
        r.regions(),
        r.sharing(),
        bucketPattern,
        r.manifestJson(),
        null,
        r.notifications());
  }

  @Test
  void accountLookup_namesTheEndpointAndTheVariableThatChoseIt() throws Exception {
    URI down = closedPort();
    AwsSettings settings =
        AwsSettings.fromEnvironment(
                Map.of(
                    "AWS_ENDPOINT_URL", down.toString(),
                    "AWS_ACCESS_KEY_ID", "testing",
                    "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_EC2_METADATA_DISABLED", "true",
                    "HOME", dir.toString()),
                dir)
            .withRetryBaseDelay(Duration.ofMillis(1));
    try (LayerPublisher publisher = new LayerPublisher(settings)) {
      assertThatThrownBy(
              () ->
                  publisher.publish(request("accretion-{account}-{region}"), PublishListener.NONE))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.AWS);
                assertThat(e.problem())
                    .isEqualTo(
                        "cannot reach the AWS endpoint "
                            + down
                            + " (sts:GetCallerIdentity in us-east-1, to name the staging bucket):"
                            + " connection refused");
                assertThat(e.advice()).contains("check AWS_ENDPOINT_URL");
                assertThat(e.getMessage()).doesNotContain("credentials");
              });
    }
  }

  @Test
  void regionFailure_saysTheEndpointCannotBeReachedInsteadOfAccessAdvice() throws Exception {
    URI down = closedPort();
    AwsSettings settings =
        AwsSettings.emulator(down, "testing", "testing").withRetryBaseDelay(Duration.ofMillis(1));
    try (LayerPublisher publisher = new LayerPublisher(settings)) {
      PublishResult result = publisher.publish(request("my-bucket-{region}"), PublishListener.NONE);

      assertThat(result.ok()).isFalse();
      assertThat(result.region("us-east-1").error())
          .contains("could not write the manifest to s3://my-bucket-us-east-1 in us-east-1")
          .contains("the endpoint " + down + " cannot be reached: connection refused")
          .contains("check --endpoint-url")
          .doesNotContain("credentials");
    }
  }

  @Test
  void catalog_namesTheEndpoint() throws Exception {
    URI down = closedPort();
    AwsSettings settings =
        AwsSettings.emulator(down, "testing", "testing").withRetryBaseDelay(Duration.ofMillis(1));
    try (LayerCatalog catalog = new LayerCatalog(settings, null)) {
      assertThatThrownBy(() -> catalog.locate(LayerQuery.of("deps"), "eu-west-1"))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.AWS);
                assertThat(e.problem())
                    .contains("the endpoint " + down + " cannot be reached (connection refused)");
                assertThat(e.advice()).contains("--endpoint-url");
              });
      assertThatThrownBy(() -> catalog.list(List.of("eu-west-1")))
          .hasMessageContaining("cannot be reached (connection refused)")
          .hasMessageNotContaining("credentials");
    }
  }
}
