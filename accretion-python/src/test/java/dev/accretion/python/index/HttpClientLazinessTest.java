package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP client, and with it the default TLS context (trust store, JSSE), is built only when a
 * request goes to an http(s) host that resolves: a cold {@code accretion lock} over {@code file://}
 * indexes, or with an unreachable default PyPI, doesn't pay for it.
 */
class HttpClientLazinessTest {
  @TempDir Path temp;

  @Test
  void fileIndex_neverBuildsTheHttpClient() throws Exception {
    Path page = temp.resolve("simple/demo/index.html");
    Files.createDirectories(page.getParent());
    Files.writeString(
        page, "<a href=\"../../files/demo-1.0-py3-none-any.whl\">demo-1.0-py3-none-any.whl</a>");
    String index = temp.resolve("simple").toUri().toString();
    try (SimpleIndexClient client = SimpleIndexClient.builder().addIndexUrl(index).build()) {
      assertThat(client.page(URI.create(index), PackageName.parse("demo"))).isPresent();
      assertThat(client.httpClientBuilt()).isFalse();
    }
  }

  @Test
  void unknownHost_isUnreachableBeforeAnyHttpClientIsBuilt() throws Exception {
    String index = "https://accretion-no-such-host.invalid/simple/";
    try (SimpleIndexClient client = SimpleIndexClient.builder().addIndexUrl(index).build()) {
      assertThatThrownBy(() -> client.page(URI.create(index), PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("cannot resolve host accretion-no-such-host.invalid");
      assertThat(client.httpClientBuilt()).isFalse();
    }
  }

  @Test
  void reachableHost_buildsTheClientOnTheFirstRequest() throws Exception {
    try (TestServer server = new TestServer()) {
      server.route(
          "/simple/demo/",
          r ->
              TestServer.Reply.of(200, "text/html", "<a href=\"demo-1.0-py3-none-any.whl\">x</a>"));
      String index = server.url("/simple").toString();
      try (SimpleIndexClient client = SimpleIndexClient.builder().addIndexUrl(index).build()) {
        assertThat(client.httpClientBuilt()).isFalse();
        assertThat(client.page(client.indexes().get(0), PackageName.parse("demo"))).isPresent();
        assertThat(client.httpClientBuilt()).isTrue();
      }
    }
  }
}
