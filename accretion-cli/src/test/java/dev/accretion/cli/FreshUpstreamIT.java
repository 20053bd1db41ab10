package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream watcher, end to end: the test serves a PEP 503 index over HTTP (with ETags, so
 * conditional requests can be observed), {@code accretion serve --upstream-interval 2} builds a
 * layer from it into moto's three regions and then polls the locked package's page. An unchanged
 * page is answered 304 without a body; a release outside the listing's range, or with no wheel for
 * the target, queues nothing; a release that fits queues exactly one rebuild, which publishes one
 * new version in every region and says which event caused it. Events posted by an external feed do
 * the same.
 */
class FreshUpstreamIT {
  @TempDir Path dir;

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
  private static final String PAGE = "/simple/acme-up/";

  /** A request the index answered: path, If-None-Match sent, status, body bytes sent. */
  record Hit(String path, String ifNoneMatch, int status, int bytes) {}

  private final List<Hit> hits = new CopyOnWriteArrayList<>();

  private HttpServer index(Path root) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> serve(root, exchange));
    server.start();
    return server;
  }

  private void serve(Path root, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.substring(1)).normalize();
      if (path.endsWith("/")) {
        file = file.resolve("index.html");
      }
      String inm = exchange.getRequestHeaders().getFirst("If-None-Match");
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        hits.add(new Hit(path, inm, 404, 0));
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      String etag =
          "\""
              + HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body))
              + "\"";
      exchange.getResponseHeaders().set("ETag", etag);
      if (etag.equals(inm)) {
        hits.add(new Hit(path, inm, 304, 0));
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      exchange
          .getResponseHeaders()
          .set("Content-Type", path.endsWith("/") ? "text/html" : "application/octet-stream");
      hits.add(new Hit(path, inm, 200, body.length));
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }

  private String token(Path data, String scope) {
    CliRun r =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "token",
            "create",
            "--scope",
            scope,
            "--name",
            "t-" + scope,
            "--data-dir",
            data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  /** Conditional polls of the page the watcher sent since {@code from}. */
  private long polls(int from) {
    return hits.subList(from, hits.size()).stream()
        .filter(h -> h.path().equals(PAGE) && h.ifNoneMatch() != null)
        .count();
  }

  private void awaitPolls(int from, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (polls(from) < count) {
      assertThat(System.nanoTime()).as("the watcher polled " + hits).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static JsonNode json(ServiceProcess s, String path, String token) throws Exception {
    ServiceProcess.Response r = s.send("GET", path, token, (String) null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void watcher_conditionalPolls_irrelevantReleasesQueueNothing_aFittingReleaseRebuildsOnce()
      throws Exception {
    Path root = dir.resolve("index");
    SimpleIndexBuilder index = new SimpleIndexBuilder(root);
    index.add(WheelBuilder.wheel("acme-up", "1.0").file("acme_up/__init__.py", "V = 1\n"));
    HttpServer server = index(root);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
      Path data = dir.resolve("data");
      String write = token(data, "write");
      String read = token(data, "read");
      String layer = "fresh-up-" + Long.toHexString(System.nanoTime());
      try (ServiceProcess s =
          ServiceProcess.start(
              dir,
              "serve",
              List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "2"),
              Map.of("PIP_INDEX_URL", url))) {
        ServiceProcess.Response created =
            s.send(
                "POST",
                "/api/v1/layers",
                write,
                FreshScheduleIT.definition(layer, "acme-up<2\n", null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ServiceProcess.Response queued =
            s.send("POST", "/api/v1/layers/" + layer + "/builds", write, "");
        JsonNode first =
            s.awaitBuild(queued.json().get("id").asText(), write, Duration.ofMinutes(3));
        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(first.at("/result/cause").asText()).isEqualTo("request");
        assertThat(first.at("/result/outcome").asText()).isEqualTo("published");

        // the watcher polls the locked package's page; unchanged, it comes back without a body
        int start = hits.size();
        awaitPolls(start, 2);
        List<Hit> conditional =
            hits.subList(start, hits.size()).stream()
                .filter(h -> h.path().equals(PAGE) && h.ifNoneMatch() != null)
                .toList();
        assertThat(conditional).allSatisfy(h -> assertThat(h.status()).isEqualTo(304));
        assertThat(conditional).allSatisfy(h -> assertThat(h.bytes()).isZero());

        // out of the listing's range, and a wheel for another platform only: nothing queued
        index.add(WheelBuilder.wheel("acme-up", "2.0").file("acme_up/__init__.py", "V = 20\n"));
        index.add(
            WheelBuilder.wheel("acme-up", "1.5")
                .tag("cp312-cp312-win_amd64")
                .file("acme_up/__init__.py", "V = 15\n"));
        int changed = hits.size();
        awaitPolls(changed, 3);
        assertThat(
                hits.subList(changed, hits.size()).stream()
                    .filter(h -> h.path().equals(PAGE) && h.status() == 200))
            .as("the changed page was fetched again")
            .isNotEmpty();
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).isEmpty();
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(1);

        // a release that fits: one event, one rebuild, one new version everywhere
        index.add(WheelBuilder.wheel("acme-up", "1.2").file("acme_up/__init__.py", "V = 12\n"));
        int fits = hits.size();
        awaitPolls(fits, 2);
        JsonNode events = json(s, "/api/v1/events?layer=" + layer, read).get("events");
        for (int i = 0; i < 50 && events.size() == 1 && events.at("/0/build").isNull(); i++) {
          Thread.sleep(100); // the event is stored a moment before the build it queued
          events = json(s, "/api/v1/events?layer=" + layer, read).get("events");
        }
        assertThat(events).as(events.toString()).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("name").asText()).isEqualTo("acme-up");
        assertThat(event.get("version").asText()).isEqualTo("1.2");
        assertThat(event.get("source").asText()).isEqualTo("watcher");
        assertThat(event.get("text").asText()).isEqualTo("acme-up 1.2 released");
        String buildId = event.get("build").asText();
        JsonNode builds = json(s, "/api/v1/builds?layer=" + layer, read).get("builds");
        assertThat(builds).hasSize(2);
        JsonNode rebuilt = s.awaitBuild(buildId, read, Duration.ofMinutes(3));
        assertThat(rebuilt.get("status").asText()).as(rebuilt.toString()).isEqualTo("succeeded");
        assertThat(rebuilt.at("/result/cause").asText()).isEqualTo("upstream");
        assertThat(rebuilt.get("log").toString())
            .contains("caused by upstream event: acme-up 1.2 released");
        assertThat(rebuilt.at("/result/events/0/version").asText()).isEqualTo("1.2");
        assertThat(rebuilt.at("/result/changes/changed").toString())
            .contains("\"from\":\"1.0\"", "\"to\":\"1.2\"");
        for (JsonNode r : rebuilt.at("/result/layers/0/regions")) {
          assertThat(r.get("published").asBoolean()).isTrue();
          assertThat(r.get("version").asLong()).isEqualTo(2);
        }
        for (String region : REGIONS) {
          assertThat(
                  json(s, "/api/v1/layers/" + layer + "/versions?region=" + region, read)
                      .get("versions"))
              .as(region)
              .hasSize(2);
        }
        // later polls see nothing new
        awaitPolls(hits.size(), 2);
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).hasSize(1);
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(2);

        // an external feed: write scope; a release out of range queues nothing
        String body = "{\"ecosystem\":\"pypi\",\"name\":\"Acme_Up\",\"version\":\"1.3\"}";
        assertThat(s.send("POST", "/api/v1/events/upstream", null, body).status()).isEqualTo(401);
        assertThat(s.send("POST", "/api/v1/events/upstream", read, body).status()).isEqualTo(403);
        ServiceProcess.Response out =
            s.send(
                "POST",
                "/api/v1/events/upstream",
                write,
                "{\"ecosystem\":\"pypi\",\"name\":\"acme-up\",\"version\":\"3.0\"}");
        assertThat(out.status()).as(out.body()).isEqualTo(200);
        assertThat(out.json().get("events")).isEmpty();
        ServiceProcess.Response badField =
            s.send(
                "POST",
                "/api/v1/events/upstream",
                write,
                "{\"ecosystem\":\"pypi\",\"name\":\"acme-up\",\"versions\":\"3.0\"}");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.json().get("pointer").asText()).isEqualTo("/versions");
        ServiceProcess.Response noWheel =
            s.send(
                "POST",
                "/api/v1/events/upstream",
                write,
                "{\"ecosystem\":\"pypi\",\"name\":\"acme-up\",\"version\":\"1.5\"}");
        assertThat(noWheel.status()).as(noWheel.body()).isEqualTo(200);
        assertThat(noWheel.json().get("events")).as("1.5 has a Windows wheel only").isEmpty();
        ServiceProcess.Response posted = s.send("POST", "/api/v1/events/upstream", write, body);
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        JsonNode postedEvent = posted.json().at("/events/0");
        assertThat(postedEvent.get("layer").asText()).isEqualTo(layer);
        assertThat(postedEvent.get("source").asText()).isEqualTo("api");
        JsonNode viaFeed =
            s.awaitBuild(postedEvent.get("build").asText(), read, Duration.ofMinutes(3));
        assertThat(viaFeed.at("/result/cause").asText()).isEqualTo("upstream");
        // 1.3 is not on the index yet: the rebuild resolves 1.2 again, the same bytes
        assertThat(viaFeed.at("/result/outcome").asText()).isEqualTo("unchanged");
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).hasSize(2);
        ServiceProcess.Response again = s.send("POST", "/api/v1/events/upstream", write, body);
        assertThat(again.json().get("events")).as("seen before").isEmpty();
      }
    } finally {
      server.stop(0);
    }
  }
}
