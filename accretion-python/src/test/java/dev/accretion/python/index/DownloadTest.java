package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SimpleIndexClient#download}: local files, HTTP with credentials and redirects, errors. */
class DownloadTest {
  @TempDir Path temp;

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static IndexFile file(URI url, URI index) {
    String path = url.getPath();
    return new IndexFile(
        path.substring(path.lastIndexOf('/') + 1),
        url,
        Map.of(),
        Optional.empty(),
        false,
        Optional.empty(),
        false,
        Map.of(),
        OptionalLong.empty(),
        index);
  }

  private SimpleIndexClient client(String index) throws Exception {
    return SimpleIndexClient.builder()
        .addIndexUrl(index)
        .environment(Map.of("NETRC", temp.resolve("none").toString()), temp)
        .build();
  }

  @Test
  void download_readsLocalFilesAndReportsProgress() throws Exception {
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    Path wheel = Files.write(temp.resolve("demo-1.0-py3-none-any.whl"), content);
    List<Long> progress = Collections.synchronizedList(new ArrayList<>());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SimpleIndexClient client = client(temp.toUri().toString())) {
      long n = client.download(file(wheel.toUri(), temp.toUri()), out, progress::add);
      assertThat(n).isEqualTo(content.length);
    }
    assertThat(out.toByteArray()).isEqualTo(content);
    assertThat(progress).isNotEmpty().isSorted().endsWith((long) content.length);

    Path gone = temp.resolve("gone-1.0-py3-none-any.whl");
    try (SimpleIndexClient client = client(temp.toUri().toString())) {
      assertThatThrownBy(() -> client.download(file(gone.toUri(), temp.toUri()), out, null))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("gone-1.0-py3-none-any.whl is listed by")
          .hasMessageContaining("does not exist");
    }
  }

  @Test
  void download_sendsTheIndexCredentialsToItsHostAndFollowsRedirects() throws Exception {
    byte[] content = "wheel bytes".getBytes();
    server.route(
        "/files/demo-1.0-py3-none-any.whl",
        TestServer.requireAuth(
            "bob",
            "pw",
            r -> TestServer.Reply.status(302).with("Location", "/real/demo-1.0-py3-none-any.whl")));
    server.route(
        "/real/demo-1.0-py3-none-any.whl",
        TestServer.requireAuth(
            "bob",
            "pw",
            r -> new TestServer.Reply(200, Map.of("Content-Type", "application/zip"), content)));
    URI index = server.url("/simple/");
    String withCredentials = index.toString().replace("http://", "http://bob:pw@");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SimpleIndexClient client = client(withCredentials)) {
      client.download(file(server.url("/files/demo-1.0-py3-none-any.whl"), index), out, null);
    }
    assertThat(out.toByteArray()).isEqualTo(content);
    assertThat(server.requestsTo("/real/demo-1.0-py3-none-any.whl").get(0).header("Authorization"))
        .isNotNull();
  }

  @Test
  void download_notFoundAndRefusedCredentialsSayWhatFailed() throws Exception {
    server.route("/files/a-1.0-py3-none-any.whl", r -> TestServer.Reply.status(404));
    server.route("/files/b-1.0-py3-none-any.whl", r -> TestServer.Reply.status(403));
    URI index = server.url("/simple/");
    try (SimpleIndexClient client = client(index.toString())) {
      assertThatThrownBy(
              () ->
                  client.download(
                      file(server.url("/files/a-1.0-py3-none-any.whl"), index),
                      new ByteArrayOutputStream(),
                      null))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("a-1.0-py3-none-any.whl is listed by")
          .hasMessageContaining("HTTP 404");
      assertThatThrownBy(
              () ->
                  client.download(
                      file(server.url("/files/b-1.0-py3-none-any.whl"), index),
                      new ByteArrayOutputStream(),
                      null))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("HTTP 403");
    }
  }
}
