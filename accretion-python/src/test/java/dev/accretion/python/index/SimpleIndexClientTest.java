package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimpleIndexClientTest {
  private static final String SHA = "0123456789abcdef".repeat(4);

  @TempDir Path temp;
  private TestServer server;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final IndexListener listener =
      new IndexListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      };

  @BeforeEach
  void start() throws Exception {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String demoHtml() {
    return """
        <!DOCTYPE html><html><body>
        <a href="/files/demo-1.0-py3-none-any.whl#sha256=%s" data-requires-python="&gt;=3.9" data-core-metadata="true">demo-1.0-py3-none-any.whl</a>
        <a href="../../files/demo-0.9.tar.gz" data-yanked="">demo-0.9.tar.gz</a>
        <a href="demo-0.8.tar.gz" data-yanked="bad build">demo-0.8.tar.gz</a>
        </body></html>
        """
        .formatted(SHA);
  }

  private SimpleIndexClient.Builder client(String... indexes) {
    SimpleIndexClient.Builder builder = SimpleIndexClient.builder().listener(listener);
    for (String index : indexes) {
      builder.addIndexUrl(index);
    }
    return builder;
  }

  @Test
  void page_readsHtmlPageOnceHoweverOftenAndConcurrentlyAsked() throws Exception {
    server.route("/simple/demo/", r -> TestServer.Reply.of(200, "text/html", demoHtml()));
    String index = server.url("/simple").toString();
    try (SimpleIndexClient client = client(index).build()) {
      URI indexUri = client.indexes().get(0);
      assertThat(indexUri.toString()).endsWith("/simple/");
      List<CompletableFuture<Optional<ProjectPage>>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(client.pageAsync(indexUri, PackageName.parse(i % 2 == 0 ? "Demo" : "demo")));
      }
      ProjectPage page = client.page(indexUri, PackageName.parse("DEMO")).orElseThrow();
      for (CompletableFuture<Optional<ProjectPage>> future : futures) {
        assertThat(future.join()).containsSame(page);
      }
      assertThat(page.source()).isEqualTo(server.url("/simple/demo/"));
      assertThat(page.files()).hasSize(3);
      IndexFile wheel = page.files().get(0);
      assertThat(wheel.url()).isEqualTo(server.url("/files/demo-1.0-py3-none-any.whl"));
      assertThat(wheel.requiresPython()).contains(">=3.9");
      assertThat(wheel.hashes()).containsEntry("sha256", SHA);
      assertThat(wheel.hasMetadataFile()).isTrue();
      assertThat(wheel.index()).isEqualTo(indexUri);
      assertThat(page.files().get(1).url()).isEqualTo(server.url("/files/demo-0.9.tar.gz"));
      assertThat(page.files().get(1).yanked()).isTrue();
      assertThat(page.files().get(1).yankedReason()).isEmpty();
      assertThat(page.files().get(2).url()).isEqualTo(server.url("/simple/demo/demo-0.8.tar.gz"));
      assertThat(page.files().get(2).yankedReason()).contains("bad build");
      assertThat(server.count("/simple/demo/")).isEqualTo(1);
      assertThat(client.stats().pageLoads()).isEqualTo(1);
      assertThat(client.stats().pageRequests()).isEqualTo(21);
      assertThat(client.stats().httpRequests()).isEqualTo(1);
    }
  }

  @Test
  void page_asksForJsonFirstAndReadsWhicheverComesBack() throws Exception {
    String json =
        """
        {"meta": {"api-version": "1.1"}, "name": "demo", "files": [
          {"filename": "demo-1.0-py3-none-any.whl", "url": "/files/demo-1.0-py3-none-any.whl",
           "hashes": {"sha256": "%s"}, "size": 321, "core-metadata": {"sha256": "%s"}}]}
        """
            .formatted(SHA, SHA);
    server.route(
        "/json/demo/",
        r ->
            r.header("Accept").startsWith(SimplePageParser.JSON_V1)
                ? TestServer.Reply.of(200, SimplePageParser.JSON_V1, json)
                : TestServer.Reply.of(406, "text/plain", "no"));
    server.route(
        "/html/demo/", r -> TestServer.Reply.of(200, SimplePageParser.HTML_V1, demoHtml()));
    try (SimpleIndexClient client =
        client(server.url("/json/").toString(), server.url("/html/").toString()).build()) {
      List<ProjectPage> pages = client.pages(PackageName.parse("demo"));
      assertThat(pages).hasSize(2);
      assertThat(pages.get(0).files().get(0).size()).hasValue(321);
      assertThat(pages.get(0).files().get(0).metadataHashes()).containsEntry("sha256", SHA);
      assertThat(pages.get(1).files()).hasSize(3);
      assertThat(server.requestsTo("/html/demo/").get(0).header("Accept"))
          .isEqualTo(SimpleIndexClient.PAGE_ACCEPT);
    }
  }

  @Test
  void page_requestsTheNormalizedNameAndTreats404AsAbsent() throws Exception {
    try (SimpleIndexClient client = client(server.url("/simple/").toString()).build()) {
      Optional<ProjectPage> page =
          client.page(client.indexes().get(0), PackageName.parse("Typing_Extensions"));
      assertThat(page).isEmpty();
      assertThat(server.count("/simple/typing-extensions/")).isEqualTo(1);
      assertThat(client.pages(PackageName.parse("typing.extensions"))).isEmpty();
      assertThat(server.count("/simple/typing-extensions/")).isEqualTo(1);
    }
  }

  @Test
  void page_followsRedirectsAndResolvesLinksAgainstTheFinalUrl() throws Exception {
    server.route(
        "/simple/demo/",
        r -> TestServer.Reply.status(301).with("Location", "/mirror/projects/demo/"));
    server.route(
        "/mirror/projects/demo/",
        r -> TestServer.Reply.of(200, "text/html", "<a href=\"demo-1.0.tar.gz\">x</a>"));
    try (SimpleIndexClient client = client(server.url("/simple/").toString()).build()) {
      ProjectPage page = client.pages(PackageName.parse("demo")).get(0);
      assertThat(page.source()).isEqualTo(server.url("/mirror/projects/demo/"));
      assertThat(page.files().get(0).url())
          .isEqualTo(server.url("/mirror/projects/demo/demo-1.0.tar.gz"));
    }
  }

  @Test
  void page_decodesGzipBodies() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(demoHtml().getBytes(StandardCharsets.UTF_8));
    }
    server.route(
        "/simple/demo/",
        r ->
            new TestServer.Reply(
                200,
                Map.of("Content-Type", "text/html", "Content-Encoding", "gzip"),
                zipped.toByteArray()));
    try (SimpleIndexClient client = client(server.url("/simple/").toString()).build()) {
      assertThat(client.pages(PackageName.parse("demo")).get(0).files()).hasSize(3);
      assertThat(server.requestsTo("/simple/demo/").get(0).header("Accept-Encoding"))
          .isEqualTo("gzip");
    }
  }

  @Test
  void page_malformedPageRaisesParseExceptionNamingTheUrl() throws Exception {
    server.route(
        "/simple/demo/",
        r -> TestServer.Reply.of(200, "text/html", "<html>\n<body>\n<a href=\"demo-1.0.tar.gz"));
    try (SimpleIndexClient client = client(server.url("/simple/").toString()).build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(ParseException.class)
          .hasMessageContaining(server.url("/simple/demo/").toString())
          .hasMessageContaining("line 3, column 9");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // cache

  @Test
  void cache_revalidatesWithETagAndLastModified() throws Exception {
    server.route(
        "/simple/demo/",
        r -> {
          if ("\"v1\"".equals(r.header("If-None-Match"))
              && "Mon, 01 Jan 2024 00:00:00 GMT".equals(r.header("If-Modified-Since"))) {
            return TestServer.Reply.status(304).with("ETag", "\"v1\"");
          }
          return TestServer.Reply.of(200, "text/html", demoHtml())
              .with("ETag", "\"v1\"")
              .with("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
        });
    Path cache = temp.resolve("cache");
    List<IndexListener.PageOrigin> origins = Collections.synchronizedList(new ArrayList<>());
    IndexListener recording =
        new IndexListener() {
          @Override
          public void pageLoaded(URI page, int files, PageOrigin origin) {
            origins.add(origin);
          }
        };
    ProjectPage first;
    try (SimpleIndexClient client =
        client(server.url("/simple/").toString()).cacheDir(cache).listener(recording).build()) {
      first = client.pages(PackageName.parse("demo")).get(0);
      assertThat(client.stats().notModified()).isZero();
    }
    try (SimpleIndexClient client =
        client(server.url("/simple/").toString()).cacheDir(cache).listener(recording).build()) {
      ProjectPage second = client.pages(PackageName.parse("demo")).get(0);
      assertThat(second).isEqualTo(first);
      assertThat(client.stats().notModified()).isEqualTo(1);
      assertThat(client.stats().httpRequests()).isEqualTo(1);
    }
    assertThat(server.count("/simple/demo/")).isEqualTo(2);
    assertThat(origins)
        .containsExactly(IndexListener.PageOrigin.NETWORK, IndexListener.PageOrigin.REVALIDATED);
    // the 304 carried no body
    assertThat(server.bytesSent.get())
        .isEqualTo(demoHtml().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void cache_servesFreshPagesWithoutRequestsUntilMaxAgeRunsOut() throws Exception {
    server.route(
        "/simple/demo/",
        r ->
            TestServer.Reply.of(200, "text/html", demoHtml()).with("Cache-Control", "max-age=600"));
    Path cache = temp.resolve("cache");
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    for (int run = 0; run < 3; run++) {
      try (SimpleIndexClient client =
          client(server.url("/simple/").toString())
              .cacheDir(cache)
              .clock(Clock.fixed(start.plusSeconds(run * 300L), ZoneOffset.UTC))
              .build()) {
        assertThat(client.pages(PackageName.parse("demo")).get(0).files()).hasSize(3);
        assertThat(client.stats().cacheHits()).isEqualTo(run == 1 ? 1 : 0);
      }
    }
    // run 0 fetched, run 1 (300 s later) was fresh, run 2 (600 s after the fetch) fetched again
    assertThat(server.count("/simple/demo/")).isEqualTo(2);
  }

  @Test
  void cache_neverStoresNoStorePages() throws Exception {
    server.route(
        "/simple/demo/",
        r ->
            TestServer.Reply.of(200, "text/html", demoHtml())
                .with("ETag", "\"v1\"")
                .with("Cache-Control", "no-store"));
    Path cache = temp.resolve("cache");
    for (int run = 0; run < 2; run++) {
      try (SimpleIndexClient client =
          client(server.url("/simple/").toString()).cacheDir(cache).build()) {
        client.pages(PackageName.parse("demo"));
      }
    }
    assertThat(server.requestsTo("/simple/demo/"))
        .allSatisfy(r -> assertThat(r.header("If-None-Match")).isNull())
        .hasSize(2);
  }

  // ---------------------------------------------------------------------------------------------
  // credentials

  @Test
  void auth_fromUrlUserInfoIsSentAndNeverShown() throws Exception {
    server.route(
        "/private/simple/demo/",
        TestServer.requireAuth(
            "alice", "s3 cret", r -> TestServer.Reply.of(200, "text/html", demoHtml())));
    String index =
        server.url("/private/simple/").toString().replace("http://", "http://alice:s3%20cret@");
    try (SimpleIndexClient client = client(index).build()) {
      assertThat(client.indexes().get(0).toString()).doesNotContain("alice").doesNotContain("cret");
      ProjectPage page = client.pages(PackageName.parse("demo")).get(0);
      assertThat(page.files()).hasSize(3);
      assertThat(page.source().toString()).doesNotContain("cret");
      assertThat(page.files()).allSatisfy(f -> assertThat(f.url().getUserInfo()).isNull());
    }
  }

  @Test
  void auth_fromNetrc() throws Exception {
    server.route(
        "/private/simple/demo/",
        TestServer.requireAuth(
            "bob", "pw", r -> TestServer.Reply.of(200, "text/html", demoHtml())));
    Path netrc = temp.resolve("netrc");
    Files.writeString(
        netrc,
        "# credentials\nmachine example.org login x password y\n\nmachine 127.0.0.1\n  login bob\n  password pw\n");
    try (SimpleIndexClient client =
        client(server.url("/private/simple/").toString())
            .environment(Map.of("NETRC", netrc.toString()), temp)
            .build()) {
      assertThat(client.pages(PackageName.parse("demo")).get(0).files()).hasSize(3);
    }
  }

  @Test
  void auth_missingCredentialsGive401ErrorSayingWhatToDo() throws Exception {
    server.route(
        "/private/simple/demo/",
        TestServer.requireAuth(
            "bob", "pw", r -> TestServer.Reply.of(200, "text/html", demoHtml())));
    try (SimpleIndexClient client =
        client(server.url("/private/simple/").toString())
            .environment(Map.of("NETRC", temp.resolve("none").toString()), temp)
            .build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexException.class)
          .isNotInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining(server.url("/private/simple/demo/").toString())
          .hasMessageContaining("netrc");
    }
    assertThat(server.requestsTo("/private/simple/demo/").get(0).header("Authorization")).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // failures

  @Test
  void page_5xxIsUnreachableAfterOneRetry() throws Exception {
    server.route("/simple/demo/", r -> TestServer.Reply.of(500, "text/plain", "boom"));
    try (SimpleIndexClient client = client(server.url("/simple/").toString()).build()) {
      URI index = client.indexes().get(0);
      assertThatThrownBy(() -> client.page(index, PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("index " + index + " is unreachable")
          .hasMessageContaining("HTTP 500")
          .hasMessageContaining("PIP_EXTRA_INDEX_URL")
          .satisfies(e -> assertThat(((IndexUnreachableException) e).location()).isEqualTo(index));
      assertThat(server.count("/simple/demo/")).isEqualTo(2);
      // the server answered, so other pages of the index are still tried
      client.page(index, PackageName.parse("other"));
      assertThat(server.count("/simple/other/")).isEqualTo(1);
    }
  }

  @Test
  void page_connectionRefusedIsUnreachableAndTheIndexIsNotTriedAgain() throws Exception {
    String index = "http://127.0.0.1:" + TestServer.closedPort() + "/simple/";
    try (SimpleIndexClient client = client(index).build()) {
      assertThatThrownBy(() -> client.page(URI.create(index), PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("index " + index + " is unreachable")
          .hasMessageContaining("connection refused");
      long requests = client.stats().httpRequests();
      assertThat(requests).isEqualTo(2);
      assertThatThrownBy(() -> client.page(URI.create(index), PackageName.parse("other")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining(index);
      assertThat(client.stats().httpRequests()).isEqualTo(requests);
    }
  }

  @Test
  void page_unknownHostIsUnreachableWithoutRetry() throws Exception {
    String index = "http://accretion-no-such-host.invalid/simple/";
    try (SimpleIndexClient client = client(index).build()) {
      assertThatThrownBy(() -> client.page(URI.create(index), PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("index " + index + " is unreachable")
          .hasMessageContaining("cannot resolve host accretion-no-such-host.invalid");
      assertThat(client.stats().httpRequests()).isEqualTo(1);
    }
  }

  @Test
  void pages_warnsAboutTheDownIndexOnceAndGoesOnWithTheOthers() throws Exception {
    server.route("/simple/demo/", r -> TestServer.Reply.of(200, "text/html", demoHtml()));
    server.route("/simple/other/", r -> TestServer.Reply.of(200, "text/html", demoHtml()));
    String down = "http://127.0.0.1:" + TestServer.closedPort() + "/simple/";
    try (SimpleIndexClient client = client(down, server.url("/simple/").toString()).build()) {
      List<ProjectPage> pages = client.pages(PackageName.parse("demo"));
      assertThat(pages)
          .extracting(ProjectPage::source)
          .containsExactly(server.url("/simple/demo/"));
      assertThat(client.pages(PackageName.parse("other"))).hasSize(1);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0))
          .contains("index " + down + " is unreachable")
          .contains("going on with the other indexes");
    }
  }

  @Test
  void pages_failsWhenNoIndexAnswers() throws Exception {
    String down = "http://127.0.0.1:" + TestServer.closedPort() + "/simple/";
    try (SimpleIndexClient client = client(down).build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("no index or find-links location could be reached for demo")
          .hasMessageContaining(down);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // find-links and file:// indexes

  @Test
  void pages_addsFindLinksFoldersAndPagesAndWarnsAboutMissingFolders() throws Exception {
    server.route("/simple/demo/", r -> TestServer.Reply.of(200, "text/html", demoHtml()));
    server.route(
        "/links.html",
        r ->
            TestServer.Reply.of(
                200,
                "text/html",
                "<a href=\"/dl/demo-2.0-py3-none-any.whl\">a</a><a href=\"/dl/other-1.0.tar.gz\">b</a>"
                    + "<a href=\"/dl/notes.txt\">c</a>"));
    Path folder = Files.createDirectories(temp.resolve("wheels"));
    for (String name :
        List.of(
            "demo-1.1-py3-none-any.whl",
            "Demo-1.0.tar.gz",
            "demo_extra-1.0-py3-none-any.whl",
            "README.txt")) {
      Files.writeString(folder.resolve(name), "x");
    }
    Files.createDirectories(folder.resolve("demo-sub.whl"));
    Path missing = temp.resolve("missing");
    try (SimpleIndexClient client =
        client(server.url("/simple/").toString())
            .workingDirectory(temp)
            .addFindLinks("wheels")
            .addFindLinks(missing.toString())
            .addFindLinks(server.url("/links.html").toString())
            .build()) {
      List<ProjectPage> pages = client.pages(PackageName.parse("demo"));
      assertThat(pages).hasSize(3);
      assertThat(pages.get(1).source()).isEqualTo(folder.toUri());
      assertThat(pages.get(1).files())
          .extracting(IndexFile::filename)
          .containsExactly("Demo-1.0.tar.gz", "demo-1.1-py3-none-any.whl");
      assertThat(pages.get(1).files().get(0).size()).hasValue(1);
      assertThat(pages.get(1).files().get(0).index()).isEqualTo(folder.toUri());
      assertThat(pages.get(2).files())
          .extracting(IndexFile::url)
          .containsExactly(server.url("/dl/demo-2.0-py3-none-any.whl"));
      assertThat(client.pages(PackageName.parse("demo-extra")).get(0).files())
          .extracting(IndexFile::filename)
          .containsExactly("demo_extra-1.0-py3-none-any.whl");
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("find-links folder " + missing + " does not exist");
      assertThat(server.count("/links.html")).isEqualTo(1);
    }
  }

  @Test
  void page_fileIndexReadsIndexHtmlOrListsTheFolder() throws Exception {
    Path root = temp.resolve("simple");
    Files.createDirectories(root.resolve("demo"));
    Files.writeString(
        root.resolve("demo/index.html"),
        "<a href=\"../../files/demo-1.0.tar.gz#sha256=" + SHA + "\">x</a>");
    Files.createDirectories(root.resolve("other"));
    Files.writeString(root.resolve("other/other-1.0-py3-none-any.whl"), "w");
    try (SimpleIndexClient client = client(root.toUri().toString()).build()) {
      URI index = client.indexes().get(0);
      ProjectPage demo = client.page(index, PackageName.parse("demo")).orElseThrow();
      assertThat(demo.files().get(0).url())
          .isEqualTo(temp.resolve("files/demo-1.0.tar.gz").toUri());
      ProjectPage other = client.page(index, PackageName.parse("Other")).orElseThrow();
      assertThat(other.files().get(0).url())
          .isEqualTo(root.resolve("other/other-1.0-py3-none-any.whl").toUri());
      assertThat(client.page(index, PackageName.parse("absent"))).isEmpty();
    }
  }

  @Test
  void page_fileIndexWhoseFolderIsMissingIsUnreachable() throws Exception {
    String index = temp.resolve("nowhere").toUri().toString();
    try (SimpleIndexClient client = client(index).build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("does not exist");
    }
  }

  @Test
  void build_rejectsUnsupportedIndexSchemes() {
    assertThatThrownBy(() -> client("ftp://example.org/simple").build())
        .isInstanceOf(IndexException.class)
        .hasMessageContaining("ftp://example.org/simple");
  }

  @Test
  void prefetch_loadsEveryPageOnceInParallel() throws Exception {
    List<PackageName> projects = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = "p" + i;
      projects.add(PackageName.parse(name));
      server.route(
          "/simple/" + name + "/",
          r -> {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return TestServer.Reply.of(
                200, "text/html", "<a href=\"" + name + "-1.0.tar.gz\">x</a>");
          });
    }
    try (SimpleIndexClient client =
        client(server.url("/simple/").toString()).requestTimeout(Duration.ofSeconds(30)).build()) {
      client.prefetch(projects);
      client.prefetch(projects);
      for (PackageName project : projects) {
        assertThat(client.pages(project).get(0).files()).hasSize(1);
      }
      assertThat(client.stats().pageLoads()).isEqualTo(40);
      assertThat(client.stats().httpRequests()).isEqualTo(40);
    }
    for (PackageName project : projects) {
      assertThat(server.count("/simple/" + project + "/")).isEqualTo(1);
    }
  }
}
