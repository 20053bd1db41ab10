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
 * the same. The same is shown for an npm registry (package documents served by the test, asked for
 * in npm's abbreviated form) and a Maven repository ({@code maven-metadata.xml} reached through a
 * settings.xml mirror), and the Python scenario runs on PostgreSQL as well as on the embedded H2.
 */
class FreshUpstreamIT {
  @TempDir Path dir;

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
  private static final String PAGE = "/simple/acme-up/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  /** A request the index answered: path, If-None-Match sent, status, body bytes sent, Accept. */
  record Hit(String path, String ifNoneMatch, int status, int bytes, String accept) {}

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
      } else if (Files.isDirectory(file)) {
        file = file.resolve("index.json"); // an npm package document
      }
      String inm = exchange.getRequestHeaders().getFirst("If-None-Match");
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        hits.add(new Hit(path, inm, 404, 0, accept));
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
        hits.add(new Hit(path, inm, 304, 0, accept));
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      String type =
          path.endsWith("/")
              ? "text/html"
              : file.getFileName().toString().equals("index.json")
                  ? "application/json"
                  : path.endsWith(".xml") ? "application/xml" : "application/octet-stream";
      exchange.getResponseHeaders().set("Content-Type", type);
      hits.add(new Hit(path, inm, 200, body.length, accept));
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }

  private String token(Path data, String scope, List<String> db) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "serve",
                "token",
                "create",
                "--scope",
                scope,
                "--name",
                "t-" + scope,
                "--data-dir",
                data.toString()));
    args.addAll(db);
    CliRun r = CliRun.run(ServiceProcess.env(dir), dir, args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  /** Conditional polls of the page the watcher sent since {@code from}. */
  private long polls(int from) {
    return polls(from, PAGE);
  }

  /** Conditional requests for {@code path} since {@code from}. */
  private long polls(int from, String path) {
    return hits.subList(from, hits.size()).stream()
        .filter(h -> h.path().equals(path) && h.ifNoneMatch() != null)
        .count();
  }

  private void awaitPolls(int from, long count) throws InterruptedException {
    awaitPolls(from, count, PAGE);
  }

  private void awaitPolls(int from, long count, String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (polls(from, path) < count) {
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
    python(List.of());
  }

  @Test
  void postgres_watcher_aFittingReleaseRebuildsOnce_irrelevantOnesQueueNothing() throws Exception {
    String db = "accretion_up_" + Long.toHexString(System.nanoTime());
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    try {
      python(List.of("--database", POSTGRES + db + "?user=postgres"));
    } finally {
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          java.sql.Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private void python(List<String> database) throws Exception {
    Path root = dir.resolve("index");
    SimpleIndexBuilder index = new SimpleIndexBuilder(root);
    index.add(WheelBuilder.wheel("acme-up", "1.0").file("acme_up/__init__.py", "V = 1\n"));
    HttpServer server = index(root);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
      Path data = dir.resolve("data");
      String write = token(data, "write", database);
      String read = token(data, "read", database);
      String layer = "fresh-up-" + Long.toHexString(System.nanoTime());
      List<String> args =
          new java.util.ArrayList<>(
              List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "2"));
      args.addAll(database);
      try (ServiceProcess s =
          ServiceProcess.start(dir, "serve", args, Map.of("PIP_INDEX_URL", url))) {
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

  // ---------------------------------------------------------------- npm

  /** An npm registry in a folder: {@code <name>/index.json} documents and their tarballs. */
  private static final class Npm {
    private final Path root;
    private final String url;
    private final Map<String, Map<String, Object>> versions = new java.util.TreeMap<>();

    Npm(Path root, String url) {
      this.root = root;
      this.url = url;
    }

    void publish(String name, String version, String latest) throws IOException {
      String file = name + "-" + version + ".tgz";
      byte[] tgz =
          tgz(
              Map.of(
                  "package/package.json",
                  "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}",
                  "package/index.js",
                  "module.exports = '" + version + "';\n"));
      Path tarball = root.resolve(name).resolve("-").resolve(file);
      Files.createDirectories(tarball.getParent());
      Files.write(tarball, tgz);
      Map<String, Object> dist = new java.util.LinkedHashMap<>();
      dist.put("tarball", url + name + "/-/" + file);
      dist.put(
          "integrity",
          "sha512-" + java.util.Base64.getEncoder().encodeToString(digest("SHA-512", tgz)));
      dist.put("shasum", HexFormat.of().formatHex(digest("SHA-1", tgz)));
      versions.put(version, Map.of("name", name, "version", version, "dist", dist));
      Map<String, Object> doc = new java.util.LinkedHashMap<>();
      doc.put("name", name);
      doc.put("dist-tags", Map.of("latest", latest));
      doc.put("versions", versions);
      Files.writeString(
          root.resolve(name).resolve("index.json"), ServiceProcess.JSON.writeValueAsString(doc));
    }
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A gzipped ustar archive of these regular files (mode 0644). */
  private static byte[] tgz(Map<String, String> files) throws IOException {
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
      byte[] data = f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] h = new byte[512];
      byte[] name = f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      System.arraycopy(name, 0, h, 0, name.length);
      field(h, 100, 8, 0644);
      field(h, 108, 8, 0);
      field(h, 116, 8, 0);
      field(h, 124, 12, data.length);
      field(h, 136, 12, 0);
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      h[156] = '0';
      System.arraycopy(
          "ustar\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, 257, 6);
      h[263] = '0';
      h[264] = '0';
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      field(h, 148, 7, sum);
      tar.write(h);
      tar.write(data);
      tar.write(new byte[(512 - data.length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(tar.toByteArray());
    }
    return out.toByteArray();
  }

  /** An octal number field of a tar header, NUL-terminated. */
  private static void field(byte[] h, int offset, int length, long value) {
    String text = String.format("%0" + (length - 1) + "o", value);
    System.arraycopy(
        text.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, offset, length - 1);
    h[offset + length - 1] = 0;
  }

  private static String layerDefinition(
      String name, String filename, String content, String runtime) throws Exception {
    return ServiceProcess.JSON.writeValueAsString(
        Map.of(
            "name",
            name,
            "listing",
            Map.of("filename", filename, "content", content),
            "targets",
            List.of(Map.of("runtime", runtime, "arch", "x86_64")),
            "regions",
            REGIONS));
  }

  /** The layer's events, once the newest has the build it queued. */
  private static JsonNode events(ServiceProcess s, String layer, String read) throws Exception {
    JsonNode events = json(s, "/api/v1/events?layer=" + layer, read).get("events");
    for (int i = 0; i < 50 && !events.isEmpty() && events.at("/0/build").isNull(); i++) {
      Thread.sleep(100); // the event is stored a moment before the build it queued
      events = json(s, "/api/v1/events?layer=" + layer, read).get("events");
    }
    return events;
  }

  /** Builds a new layer and waits for its first build, which must publish. */
  private static void firstBuild(ServiceProcess s, String write, String layer, String definition)
      throws Exception {
    ServiceProcess.Response created = s.send("POST", "/api/v1/layers", write, definition);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ServiceProcess.Response queued =
        s.send("POST", "/api/v1/layers/" + layer + "/builds", write, "");
    JsonNode first = s.awaitBuild(queued.json().get("id").asText(), write, Duration.ofMinutes(3));
    assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("succeeded");
    assertThat(first.at("/result/outcome").asText()).isEqualTo("published");
  }

  /** The watcher's polls of an unchanged document since {@code from}: all 304, no body. */
  private void assertUnchangedPollsHaveNoBody(int from, String path) {
    List<Hit> conditional =
        hits.subList(from, hits.size()).stream()
            .filter(h -> h.path().equals(path) && h.ifNoneMatch() != null)
            .toList();
    assertThat(conditional).hasSizeGreaterThanOrEqualTo(2);
    assertThat(conditional).allSatisfy(h -> assertThat(h.status()).isEqualTo(304));
    assertThat(conditional).allSatisfy(h -> assertThat(h.bytes()).isZero());
  }

  /** One event for the release, one rebuild caused by it, one new version in every region. */
  private static void assertOneRebuild(
      ServiceProcess s, String layer, String read, String name, String from, String to)
      throws Exception {
    JsonNode events = events(s, layer, read);
    assertThat(events).as(events.toString()).hasSize(1);
    JsonNode event = events.get(0);
    assertThat(event.get("name").asText()).isEqualTo(name);
    assertThat(event.get("version").asText()).isEqualTo(to);
    assertThat(event.get("source").asText()).isEqualTo("watcher");
    assertThat(event.get("text").asText()).isEqualTo(name + " " + to + " released");
    assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(2);
    JsonNode rebuilt = s.awaitBuild(event.get("build").asText(), read, Duration.ofMinutes(3));
    assertThat(rebuilt.get("status").asText()).as(rebuilt.toString()).isEqualTo("succeeded");
    assertThat(rebuilt.at("/result/cause").asText()).isEqualTo("upstream");
    assertThat(rebuilt.get("log").toString())
        .contains("caused by upstream event: " + name + " " + to + " released");
    assertThat(rebuilt.at("/result/outcome").asText())
        .as(rebuilt.toString())
        .isEqualTo("published");
    assertThat(rebuilt.at("/result/changes/changed").toString())
        .contains("\"from\":\"" + from + "\"", "\"to\":\"" + to + "\"");
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
  }

  private static JsonNode post(ServiceProcess s, String write, String body, int status)
      throws Exception {
    ServiceProcess.Response r = s.send("POST", "/api/v1/events/upstream", write, body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(status);
    return r.json().get("events");
  }

  @Test
  void npm_watcher_conditionalDocumentPolls_outOfRangeQueuesNothing_inRangeRebuildsOnce()
      throws Exception {
    Path root = dir.resolve("registry");
    Files.createDirectories(root);
    HttpServer server = index(root);
    try {
      String registry = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
      Npm npm = new Npm(root, registry);
      npm.publish("acme-np", "1.0.0", "1.0.0");
      Path data = dir.resolve("data");
      String write = token(data, "write", List.of());
      String read = token(data, "read", List.of());
      String layer = "fresh-np-" + Long.toHexString(System.nanoTime());
      String doc = "/acme-np";
      try (ServiceProcess s =
          ServiceProcess.start(
              dir,
              "serve",
              List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "2"),
              Map.of("npm_config_registry", registry))) {
        firstBuild(
            s,
            write,
            layer,
            layerDefinition(
                layer,
                "package.json",
                "{\"name\":\"fn\",\"version\":\"1.0.0\",\"dependencies\":{\"acme-np\":\"^1.0.0\"}}",
                "nodejs20.x"));

        // the package document, asked for in the abbreviated form, unchanged: 304 without a body
        int start = hits.size();
        awaitPolls(start, 2, doc);
        assertUnchangedPollsHaveNoBody(start, doc);
        assertThat(
                hits.subList(start, hits.size()).stream()
                    .filter(h -> h.path().equals(doc))
                    .map(Hit::accept))
            .allSatisfy(a -> assertThat(a).startsWith("application/vnd.npm.install-v1+json"));

        // 2.0.0 is outside ^1.0.0: the changed document is read, nothing is queued
        npm.publish("acme-np", "2.0.0", "2.0.0");
        int changed = hits.size();
        awaitPolls(changed, 3, doc);
        assertThat(
                hits.subList(changed, hits.size()).stream()
                    .filter(h -> h.path().equals(doc) && h.status() == 200))
            .as("the changed document was fetched again")
            .isNotEmpty();
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).isEmpty();
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(1);

        // 1.1.0 fits: one event, one rebuild, one new version everywhere
        npm.publish("acme-np", "1.1.0", "2.0.0");
        awaitPolls(hits.size(), 2, doc);
        assertOneRebuild(s, layer, read, "acme-np", "1.0.0", "1.1.0");
        awaitPolls(hits.size(), 2, doc);
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).hasSize(1);
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(2);

        // an external feed: judged the same way
        assertThat(
                post(
                    s,
                    write,
                    "{\"ecosystem\":\"npm\",\"name\":\"acme-np\",\"version\":\"3.0.0\"}",
                    200))
            .as("outside ^1.0.0")
            .isEmpty();
        assertThat(
                post(
                    s,
                    write,
                    "{\"ecosystem\":\"npm\",\"name\":\"acme-np\",\"version\":\"1.0.5\"}",
                    200))
            .as("older than the locked 1.1.0")
            .isEmpty();
        assertThat(
                post(
                    s,
                    write,
                    "{\"ecosystem\":\"npm\",\"name\":\"acme-np\",\"version\":\"1.2.0-beta.1\"}",
                    200))
            .as("a prerelease ^1.0.0 does not take")
            .isEmpty();
        JsonNode posted =
            post(
                s,
                write,
                "{\"ecosystem\":\"npm\",\"name\":\"acme-np\",\"version\":\"1.2.0\"}",
                202);
        assertThat(posted.at("/0/source").asText()).isEqualTo("api");
        JsonNode viaFeed =
            s.awaitBuild(posted.at("/0/build").asText(), read, Duration.ofMinutes(3));
        assertThat(viaFeed.at("/result/cause").asText()).isEqualTo("upstream");
        // 1.2.0 is not on the registry: the rebuild picks 1.1.0 again, the same bytes
        assertThat(viaFeed.at("/result/outcome").asText()).isEqualTo("unchanged");
      }
    } finally {
      server.stop(0);
    }
  }

  // ---------------------------------------------------------------- Maven

  /** A Maven repository in a folder, with SHA-1 files beside everything. */
  private static final class Maven {
    private final Path root;
    private final Map<String, List<String>> versions = new java.util.TreeMap<>();

    Maven(Path root) {
      this.root = root;
    }

    void publish(String group, String artifact, String version) throws IOException {
      Path dir = root.resolve(group.replace('.', '/')).resolve(artifact);
      Path v = dir.resolve(version);
      Files.createDirectories(v);
      write(
          v.resolve(artifact + "-" + version + ".pom"),
          ("<project><modelVersion>4.0.0</modelVersion><groupId>"
                  + group
                  + "</groupId><artifactId>"
                  + artifact
                  + "</artifactId><version>"
                  + version
                  + "</version></project>\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
      try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(jar)) {
        z.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
        z.write("Manifest-Version: 1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        z.closeEntry();
        z.putNextEntry(new java.util.zip.ZipEntry("acme/" + artifact + ".txt"));
        z.write(version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        z.closeEntry();
      }
      write(v.resolve(artifact + "-" + version + ".jar"), jar.toByteArray());
      List<String> all =
          versions.computeIfAbsent(group + ":" + artifact, k -> new java.util.ArrayList<>());
      all.add(version);
      StringBuilder x = new StringBuilder();
      x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata><groupId>")
          .append(group)
          .append("</groupId><artifactId>")
          .append(artifact)
          .append("</artifactId><versioning><latest>")
          .append(version)
          .append("</latest><release>")
          .append(version)
          .append("</release><versions>");
      for (String each : all) {
        x.append("<version>").append(each).append("</version>");
      }
      x.append("</versions><lastUpdated>20260101000000</lastUpdated></versioning></metadata>\n");
      write(
          dir.resolve("maven-metadata.xml"),
          x.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
      Files.write(file, bytes);
      Files.writeString(
          file.resolveSibling(file.getFileName() + ".sha1"),
          HexFormat.of().formatHex(digest("SHA-1", bytes)));
    }
  }

  @Test
  void maven_watcher_rangeRebuildsOnce_outOfRangeAndExactPinsQueueNothing() throws Exception {
    Path root = dir.resolve("repo");
    Maven repo = new Maven(root.resolve("maven2"));
    repo.publish("com.acme", "acme-mv", "1.0");
    repo.publish("com.acme", "acme-pin", "1.0");
    HttpServer server = index(root);
    try {
      String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/";
      Path home = dir.resolve("home");
      Files.createDirectories(home.resolve(".m2"));
      Files.writeString(
          home.resolve(".m2/settings.xml"),
          "<settings><mirrors><mirror><id>fixture</id><mirrorOf>*</mirrorOf><url>"
              + mirror
              + "</url></mirror></mirrors></settings>\n");
      Path data = dir.resolve("data");
      String write = token(data, "write", List.of());
      String read = token(data, "read", List.of());
      String layer = "fresh-mv-" + Long.toHexString(System.nanoTime());
      String meta = "/maven2/com/acme/acme-mv/maven-metadata.xml";
      String pinMeta = "/maven2/com/acme/acme-pin/maven-metadata.xml";
      try (ServiceProcess s =
          ServiceProcess.start(
              dir,
              "serve",
              List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "2"),
              Map.of("HOME", home.toString()))) {
        firstBuild(
            s,
            write,
            layer,
            layerDefinition(
                layer,
                "layer.coordinates",
                "com.acme:acme-mv:[1.0,2.0)\ncom.acme:acme-pin:1.0\n",
                "java21"));

        // the ranged coordinate's metadata, unchanged: 304 without a body; the pin is not polled
        int start = hits.size();
        awaitPolls(start, 2, meta);
        assertUnchangedPollsHaveNoBody(start, meta);
        assertThat(hits.subList(start, hits.size()).stream().filter(h -> h.path().equals(pinMeta)))
            .as("an exact version never moves: not polled")
            .isEmpty();

        // 2.0 is outside [1.0,2.0), and the pinned artifact's 1.1 changes nothing
        repo.publish("com.acme", "acme-mv", "2.0");
        repo.publish("com.acme", "acme-pin", "1.1");
        int changed = hits.size();
        awaitPolls(changed, 3, meta);
        assertThat(
                hits.subList(changed, hits.size()).stream()
                    .filter(h -> h.path().equals(meta) && h.status() == 200))
            .as("the changed metadata was fetched again")
            .isNotEmpty();
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).isEmpty();
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(1);

        // 1.1 fits the range: one event, one rebuild, one new version everywhere
        repo.publish("com.acme", "acme-mv", "1.1");
        awaitPolls(hits.size(), 2, meta);
        assertOneRebuild(s, layer, read, "com.acme:acme-mv", "1.0", "1.1");
        awaitPolls(hits.size(), 2, meta);
        assertThat(json(s, "/api/v1/events?layer=" + layer, read).get("events")).hasSize(1);
        assertThat(json(s, "/api/v1/builds?layer=" + layer, read).get("builds")).hasSize(2);

        // an external feed: judged the same way
        assertThat(
                post(
                    s,
                    write,
                    "{\"ecosystem\":\"maven\",\"name\":\"com.acme:acme-pin\",\"version\":\"1.2\"}",
                    200))
            .as("an exact pin")
            .isEmpty();
        assertThat(
                post(
                    s,
                    write,
                    "{\"ecosystem\":\"maven\",\"name\":\"com.acme:acme-mv\",\"version\":\"2.1\"}",
                    200))
            .as("outside the range")
            .isEmpty();
        JsonNode posted =
            post(
                s,
                write,
                "{\"ecosystem\":\"maven\",\"name\":\"com.acme:acme-mv\",\"version\":\"1.5\"}",
                202);
        assertThat(posted.at("/0/name").asText()).isEqualTo("com.acme:acme-mv");
        JsonNode viaFeed =
            s.awaitBuild(posted.at("/0/build").asText(), read, Duration.ofMinutes(3));
        assertThat(viaFeed.at("/result/outcome").asText()).isEqualTo("unchanged");
      }
    } finally {
      server.stop(0);
    }
  }
}
