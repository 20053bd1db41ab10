package dev.accretion.node.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.node.config.NpmConfig;
import dev.accretion.testkit.FirstAnswerHold;
import dev.accretion.testkit.HttpsFileServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests to an https registry wait for the first one's answer, so that they can share its
 * connection instead of each making a TLS handshake of its own (the JDK's client opens one
 * connection per request until its first HTTP/2 connection to the host exists).
 */
class FirstContactTest {
  @TempDir Path tmp;

  @Test
  void concurrentHttpsDownloads_sendNothingElseUntilTheFirstIsAnswered() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("x/-"));
    byte[] tgz = new byte[8192];
    new Random(7).nextBytes(tgz);
    Files.write(root.resolve("x/-/x-1.0.0.tgz"), tgz);
    FirstAnswerHold hold = new FirstAnswerHold(400);
    try (HttpsFileServer server =
        new HttpsFileServer(root, tmp.resolve("tls"), "Accretion first contact CA")) {
      server.beforeAnswer(hold);
      Path project = tmp.resolve("project");
      Files.createDirectories(project);
      Files.writeString(project.resolve(".npmrc"), "cafile=" + server.caPem() + "\n");
      NpmConfig config = NpmConfig.load(Map.of(), tmp.resolve("home"), project, Map.of());
      String url = server.url("x/-/x-1.0.0.tgz");
      List<Future<byte[]>> downloads = new ArrayList<>();
      try (RegistryClient client = new RegistryClient(config, null);
          ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 8; i++) {
          downloads.add(
              threads.submit(
                  () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    client.download(url, server.url(""), out, done -> {}, "x@1.0.0");
                    return out.toByteArray();
                  }));
        }
        for (Future<byte[]> d : downloads) {
          assertThat(d.get()).isEqualTo(tgz);
        }
      }
    }
    assertThat(hold.arrived()).isEqualTo(8);
    assertThat(hold.beforeFirstAnswer())
        .as("requests that arrived before the first was answered")
        .isZero();
  }
}
