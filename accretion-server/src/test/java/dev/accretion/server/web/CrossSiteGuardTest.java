package dev.accretion.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A write a browser says came from another site is refused before its handler runs; reads, writes
 * from this origin and writes from clients that are not browsers pass.
 */
class CrossSiteGuardTest {
  @Test
  void refusal_otherOriginOrSite_refused_sameOriginAndNoHeaders_pass() {
    assertThat(CrossSiteGuard.refusal(null, null, "127.0.0.1:8080")).isNull();
    assertThat(CrossSiteGuard.refusal("same-origin", "http://127.0.0.1:8080", "127.0.0.1:8080"))
        .isNull();
    assertThat(CrossSiteGuard.refusal("none", null, "127.0.0.1:8080")).isNull();
    // default ports are implied on either side; a proxy's X-Forwarded-Host counts
    assertThat(CrossSiteGuard.refusal(null, "https://accretion.example", "accretion.example:443"))
        .isNull();
    assertThat(CrossSiteGuard.refusal(null, "http://accretion.example:80", "accretion.example"))
        .isNull();
    assertThat(
            CrossSiteGuard.refusal(
                null, "https://accretion.example", "10.0.0.5:8080", "accretion.example"))
        .isNull();
    assertThat(CrossSiteGuard.refusal("cross-site", null, "127.0.0.1:8080"))
        .contains("Sec-Fetch-Site: cross-site");
    assertThat(CrossSiteGuard.refusal("same-site", "http://127.0.0.1:8080", "127.0.0.1:8080"))
        .contains("same-site");
    assertThat(CrossSiteGuard.refusal(null, "http://evil.example", "127.0.0.1:8080"))
        .contains("'http://evil.example'");
    assertThat(CrossSiteGuard.refusal(null, "http://127.0.0.1:9999", "127.0.0.1:8080")).isNotNull();
    assertThat(CrossSiteGuard.refusal(null, "null", "127.0.0.1:8080")).contains("'null'");
    assertThat(CrossSiteGuard.refusal(null, "http://a\u0000<b>", "127.0.0.1:8080"))
        .doesNotContain("\u0000");
  }

  @Test
  void served_crossSiteWriteRefusedBeforeItsHandler() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    Javalin app =
        Javalin.create(
            c -> {
              c.jetty.host = "127.0.0.1";
              c.jetty.port = 0;
              c.startup.showJavalinBanner = false;
              Dashboard.register(c.routes);
              c.routes.post(
                  "/api/v1/thing", ctx -> ctx.result("written " + writes.incrementAndGet()));
              c.routes.get("/api/v1/thing", ctx -> ctx.result("read"));
            });
    app.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI thing = URI.create("http://127.0.0.1:" + app.port() + "/api/v1/thing");
      String self = "http://127.0.0.1:" + app.port();
      HttpResponse<String> other =
          http.send(
              HttpRequest.newBuilder(thing)
                  .header("Origin", "http://localhost:1234")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(other.body()).contains("cross-site write is refused");
      HttpResponse<String> site =
          http.send(
              HttpRequest.newBuilder(thing)
                  .header("Origin", self)
                  .header("Sec-Fetch-Site", "cross-site")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(site.statusCode()).isEqualTo(403);
      assertThat(writes).hasValue(0);
      HttpResponse<String> read =
          http.send(
              HttpRequest.newBuilder(thing).header("Origin", "http://localhost:1234").build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(read.body()).isEqualTo("read");
      HttpResponse<String> same =
          http.send(
              HttpRequest.newBuilder(thing)
                  .header("Origin", self)
                  .header("Sec-Fetch-Site", "same-origin")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(same.body()).isEqualTo("written 1");
      HttpResponse<String> client =
          http.send(
              HttpRequest.newBuilder(thing).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(client.body()).isEqualTo("written 2");
    } finally {
      app.stop();
    }
  }
}
