package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A webhook that can't be reached: one line naming the URL and the cause, never a bare class. */
class WebhookSenderTest {
  private final WebhookSender sender = new WebhookSender(Duration.ofMillis(1));

  @Test
  void refusedConnection_saysConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/hook");

    String failure = sender.send(new Webhook(url, null), "{}");

    assertThat(failure)
        .isEqualTo(
            "webhook "
                + url
                + " failed after 4 attempts: connection refused; the layer was published, the"
                + " webhook was not told")
        .doesNotContain("java.")
        .doesNotContain("\n");
  }

  @Test
  void unknownHost_namesTheHost() {
    URI url = URI.create("https://hooks.accretion-test.invalid/hook");

    String failure = sender.send(new Webhook(url, null), "{}");

    assertThat(failure)
        .startsWith("webhook " + url + " failed after 4 attempts: unknown host")
        .doesNotContain("java.")
        .doesNotContain("\n");
  }
}
