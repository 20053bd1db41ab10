package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.accretion.testkit.Python;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks on a publish: signed POSTs, retried with backoff, failures reported but not fatal. */
class WebhookIT {
  private static final String SECRET = "s3cr3t-webhook-key";

  @TempDir Path dir;
  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private final AtomicInteger brokenCalls = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // answers 500 once, then accepts
    server.createContext(
        "/flaky",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          int call = flakyCalls.incrementAndGet();
          if (call == 1) {
            ex.sendResponseHeaders(500, -1);
          } else {
            bodies.add(body);
            signatures.add(ex.getRequestHeaders().getFirst("X-Accretion-Signature"));
            ex.sendResponseHeaders(204, -1);
          }
          ex.close();
        });
    server.createContext(
        "/broken",
        ex -> {
          ex.getRequestBody().readAllBytes();
          brokenCalls.incrementAndGet();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void publish_postsSignedJsonRetriesAndReportsAFailingWebhookWithoutFailing() throws Exception {
    String layer = TestLayers.uniqueName("hook");
    TestLayers.Artifact a = TestLayers.build(dir, layer, Map.of("click", "8.1.7"));
    PublishRequest base = TestLayers.request(layer, a, List.of("eu-north-1"));
    PublishRequest request =
        new PublishRequest(
            base.layerName(),
            base.zip(),
            base.sha256Hex(),
            base.contentDigest(),
            base.compatibleRuntimes(),
            base.compatibleArchitectures(),
            base.description(),
            base.licenseInfo(),
            base.regions(),
            base.sharing(),
            null,
            base.manifestJson(),
            null,
            new Notifications(
                false,
                List.of(new Webhook(url("/flaky"), SECRET), new Webhook(url("/broken"), null))));

    PublishResult result;
    try (LayerPublisher publisher = new LayerPublisher(MotoServer.settings())) {
      result = publisher.publish(request, PublishListener.NONE);
    }

    assertThat(result.ok()).isTrue();
    assertThat(result.region("eu-north-1").published()).isTrue();
    assertThat(flakyCalls.get()).isEqualTo(2);
    assertThat(brokenCalls.get()).isEqualTo(WebhookSender.MAX_ATTEMPTS);
    assertThat(result.notificationFailures())
        .singleElement()
        .asString()
        .contains(url("/broken").toString())
        .contains("HTTP 503");

    assertThat(bodies).hasSize(1);
    String json = new String(bodies.get(0), StandardCharsets.UTF_8);
    LayerPublishedEvent event = LayerPublishedEvent.parse(json);
    assertThat(event.layer()).isEqualTo(layer);
    assertThat(event.versions()).singleElement().satisfies(v -> assertThat(v.isNew()).isTrue());
    assertThat(event.diff().added()).containsExactly(new PackageVersion("click", "8.1.7"));

    // The signature, checked with Python's hmac module as an independent implementation.
    String expected =
        Python.of("3.11")
            .script(
                "import hmac, hashlib, sys\n"
                    + "body = sys.stdin.buffer.read()\n"
                    + "print('sha256=' + hmac.new(b'"
                    + SECRET
                    + "', body, hashlib.sha256).hexdigest())\n",
                json)
            .strip();
    assertThat(signatures.get(0)).isEqualTo(expected);

    // Unchanged republish: no new version, no webhook call.
    try (LayerPublisher publisher = new LayerPublisher(MotoServer.settings())) {
      PublishResult again = publisher.publish(request, PublishListener.NONE);
      assertThat(again.region("eu-north-1").published()).isFalse();
    }
    assertThat(flakyCalls.get()).isEqualTo(2);
  }
}
