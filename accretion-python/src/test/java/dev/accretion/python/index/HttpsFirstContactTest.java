package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.python.PackageName;
import dev.accretion.testkit.FirstAnswerHold;
import dev.accretion.testkit.HttpsFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages read at once from an https index wait for the first answer, so they share its connection
 * instead of each making a TLS handshake (core's {@code FirstContact}).
 */
class HttpsFirstContactTest {
  @TempDir Path dir;

  @Test
  void concurrentPagesFromAnHttpsIndex_sendNothingElseUntilTheFirstIsAnswered() throws Exception {
    Path root = dir.resolve("www");
    List<String> projects = List.of("p0", "p1", "p2", "p3", "p4", "p5");
    for (String p : projects) {
      Files.createDirectories(root.resolve("simple/" + p));
      Files.writeString(
          root.resolve("simple/" + p + "/index.html"),
          "<!DOCTYPE html><html><body><a href=\"/files/"
              + p
              + "-1.0-py3-none-any.whl\">"
              + p
              + "-1.0-py3-none-any.whl</a></body></html>\n");
    }
    FirstAnswerHold hold = new FirstAnswerHold(400);
    try (HttpsFileServer server = new HttpsFileServer(root, dir.resolve("tls"), "Accretion CA")) {
      server.beforeAnswer(hold);
      PipConfiguration pip =
          PipConfiguration.load(
              Map.of(
                  "PIP_CONFIG_FILE", "/dev/null",
                  "PIP_INDEX_URL", server.url("simple/"),
                  "PIP_CERT", server.caPem().toString()),
              Files.createDirectories(dir.resolve("home")));
      List<Future<List<ProjectPage>>> pages = new ArrayList<>();
      try (SimpleIndexClient client = SimpleIndexClient.builder().pipConfiguration(pip).build();
          ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String p : projects) {
          pages.add(threads.submit(() -> client.pages(PackageName.parse(p))));
        }
        for (int i = 0; i < projects.size(); i++) {
          assertThat(pages.get(i).get().get(0).files().get(0).filename())
              .isEqualTo(projects.get(i) + "-1.0-py3-none-any.whl");
        }
      }
    }
    assertThat(hold.arrived()).isEqualTo(projects.size());
    assertThat(hold.beforeFirstAnswer())
        .as("requests that arrived before the first was answered")
        .isZero();
  }
}
