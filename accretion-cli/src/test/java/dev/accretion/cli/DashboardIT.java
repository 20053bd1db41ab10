package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.accretion.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven through its chromedriver,
 * against {@code accretion serve} (its own JVM) on moto and the machine's pip indexes. Two builds
 * give a layer two versions; the browser enters a read token, opens the layers list and the layer,
 * sees the size chart with the 250 MB limit, searches the package table, opens the diff, is refused
 * a rebuild with the read token, enters a write token, rebuilds, and follows the log to {@code
 * succeeded}. A layer whose description is HTML, and a layer path that is HTML, show as text and
 * run nothing. The import button records versions published outside the service (by the CLI, and
 * one by another tool, which is skipped) with a write token only; a read token's click, and writes
 * another site makes the browser send, are refused and record nothing. Screenshots go to {@code
 * target/dashboard-screenshots/}.
 */
class DashboardIT {
  @TempDir Path dir;

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final String PROBE =
      "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

  private String token(Path data, String scope, String name) {
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
            name,
            "--data-dir",
            data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  private static String definition(String name, String requirements, String description)
      throws Exception {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("name", name);
    d.put("listing", Map.of("filename", "requirements.txt", "content", requirements));
    d.put("targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")));
    d.put("regions", REGIONS);
    if (description != null) {
      d.put("description", description);
    }
    return ServiceProcess.JSON.writeValueAsString(d);
  }

  private static JsonNode build(ServiceProcess s, String write, String layer) throws Exception {
    ServiceProcess.Response q = s.send("POST", "/api/v1/layers/" + layer + "/builds", write, "");
    assertThat(q.status()).as(q.body()).isEqualTo(202);
    JsonNode b = s.awaitBuild(q.json().get("id").asText(), write, Duration.ofMinutes(5));
    assertThat(b.get("status").asText()).as(b.toString()).isEqualTo("succeeded");
    return b;
  }

  private static WebDriver chromium() {
    assertThat(CHROMIUM)
        .as("Debian's chromium is needed: apt-get install chromium chromium-driver")
        .isExecutable();
    assertThat(CHROMEDRIVER)
        .as("Debian's chromedriver is needed: apt-get install chromium-driver")
        .isExecutable();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1700");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** Polls until {@code check} holds; a page being re-rendered counts as not yet. */
  private static void await(String what, Duration timeout, Supplier<Boolean> check)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    WebDriverException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(check.get())) {
          return;
        }
      } catch (WebDriverException e) {
        last = e; // stale or not yet there
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the dashboard did not show " + what, last);
  }

  private static void shot(WebDriver driver, String name) throws Exception {
    Files.createDirectories(SHOTS);
    Files.write(
        SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  private static String text(WebDriver driver, String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private static int count(WebDriver driver, String css) {
    return driver.findElements(By.cssSelector(css)).size();
  }

  private static void noScriptRan(WebDriver driver) {
    Object xss = ((JavascriptExecutor) driver).executeScript("return window.__xss;");
    assertThat(xss).as("a probe's script ran").isNull();
    assertThat(count(driver, "main img, main script")).as("probe markup became elements").isZero();
  }

  /** The versions the service recorded for a layer in a region (what the dashboard shows). */
  private static int recorded(ServiceProcess s, String token, String layer, String region)
      throws Exception {
    ServiceProcess.Response r =
        s.send(
            "GET", "/api/v1/layers/" + layer + "/versions?region=" + region, token, (String) null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("versions").size();
  }

  /** A version published with the plain Lambda API, as another tool would: no Accretion marker. */
  private static long publishWithoutAccretion(String layer, String region) throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("python/other_tool.py"));
      z.write("X = 1\n".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    try (LambdaClient lambda =
        LambdaClient.builder()
            .endpointOverride(MotoServer.endpoint())
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .build()) {
      return lambda
          .publishLayerVersion(
              r ->
                  r.layerName(layer)
                      .description("made by another tool")
                      .compatibleRuntimesWithStrings("python3.12")
                      .content(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray()))))
          .version();
    }
  }

  /** A page on another origin ({@code localhost}, the service being on 127.0.0.1). */
  private static HttpServer otherSite(String html) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        x -> {
          x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    return server;
  }

  @Test
  void importButton_writeTokenRecordsOutsideVersions_readTokenAndCrossSiteRecordNothing()
      throws Exception {
    Path data = dir.resolve("data");
    String read = token(data, "read", "dashboard");
    String write = token(data, "write", "ci");
    String layer = "imported-" + Long.toHexString(System.nanoTime());
    List<String> args = List.of("--data-dir", data.toString(), "--jobs", "1");
    try (ServiceProcess s = ServiceProcess.start(dir, "serve", args)) {
      assertThat(
              s.send(
                      "POST",
                      "/api/v1/layers",
                      write,
                      definition(layer, "idna\n", "published by the CLI"))
                  .status())
          .isEqualTo(201);
      String base = s.base.toString();
      WebDriver driver = chromium();
      HttpServer evil = null;
      try {
        // the layer as the service knows it: nothing published yet (this records the listing)
        driver.get(base + "/#/layers/" + layer);
        await("the token form", Duration.ofSeconds(30), () -> count(driver, "#token-input") == 1);
        driver.findElement(By.id("token-input")).sendKeys(read);
        driver.findElement(By.id("token-save")).click();
        await(
            "the layer without versions",
            Duration.ofSeconds(60),
            () -> count(driver, "#import") == 1 && count(driver, "#versions-empty") == 1);

        // published outside the service: by the CLI in both regions, and by another tool
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("requirements.txt"), "idna\n");
        Files.writeString(
            project.resolve("accretion.toml"),
            "[layers."
                + layer
                + "]\nlisting = \"requirements.txt\"\nruntimes = [\"python3.12\"]\n"
                + "architectures = [\"x86_64\"]\nregions = [\"us-east-1\", \"eu-west-1\"]\n");
        CliRun published = CliRun.run(ServiceProcess.env(dir), project, "publish", "--json");
        assertThat(published.code()).as(published.toString()).isZero();
        assertThat(publishWithoutAccretion(layer, "us-east-1")).isEqualTo(2);
        for (String region : REGIONS) {
          assertThat(recorded(s, read, layer, region)).as("recorded before import").isZero();
        }

        // a read token's click is refused and records nothing
        driver.findElement(By.id("import")).click();
        await(
            "the write-token request",
            Duration.ofSeconds(30),
            () ->
                text(driver, "#import-msg").contains("Importing needs a write token")
                    && count(driver, "#import-msg #token-input") == 1);
        assertThat(text(driver, "#import-msg")).contains("a write token is needed");
        shot(driver, "10-import-refused");
        for (String region : REGIONS) {
          assertThat(recorded(s, read, layer, region)).as("recorded after a read click").isZero();
        }

        // the user enters the write token; then another site tries to import through the browser
        driver.findElement(By.cssSelector("#import-msg #token-input")).sendKeys(write);
        driver.findElement(By.cssSelector("#import-msg #token-save")).click();
        await(
            "the layer page with the write token",
            Duration.ofSeconds(30),
            () -> count(driver, "#import") == 1 && count(driver, "#import-msg #token-input") == 0);
        String target = base + "/api/v1/layers/" + layer + "/import";
        evil =
            otherSite(
                "<!doctype html><html><head><title>elsewhere</title></head><body>"
                    + "<form id=\"f\" method=\"post\" enctype=\"text/plain\" action=\""
                    + target
                    + "\"><input name=\"a\" value=\"b\"></form>"
                    + "<script>window.tried = fetch('"
                    + target
                    + "', {method: 'POST', headers: {Authorization: 'Bearer "
                    + write
                    + "'}}).then(r => 'answered ' + r.status, e => 'blocked');"
                    + "window.triedNoCors = fetch('"
                    + target
                    + "', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                    + " body: 'x'}).then(r => 'sent', e => 'blocked');</script>"
                    + "</body></html>");
        driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        // a script of another site cannot send the token (no CORS: the preflight is refused)
        assertThat(js.executeAsyncScript("window.tried.then(arguments[arguments.length - 1]);"))
            .isEqualTo("blocked");
        // it can send a write without one, which is refused (401)
        assertThat(
                js.executeAsyncScript("window.triedNoCors.then(arguments[arguments.length - 1]);"))
            .isEqualTo("sent");
        // and a form it submits carries no token either
        js.executeScript("document.getElementById('f').submit();");
        await(
            "the refused form post",
            Duration.ofSeconds(30),
            () -> driver.getPageSource().contains("a bearer token is required"));
        shot(driver, "11-import-cross-site");
        // even with the write token, a write a browser sent from another origin is refused
        HttpClient http = HttpClient.newHttpClient();
        for (Map<String, String> headers :
            List.of(
                Map.of("Origin", "http://localhost:" + evil.getAddress().getPort()),
                Map.of("Origin", "null"),
                Map.of("Origin", base, "Sec-Fetch-Site", "cross-site"))) {
          HttpRequest.Builder r =
              HttpRequest.newBuilder(URI.create(target))
                  .header("Authorization", "Bearer " + write)
                  .POST(HttpRequest.BodyPublishers.noBody());
          headers.forEach(r::header);
          HttpResponse<String> refused = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
          assertThat(refused.statusCode()).as(headers + ": " + refused.body()).isEqualTo(403);
          assertThat(refused.headers().firstValue("content-type").orElse(""))
              .startsWith("application/problem+json");
          assertThat(refused.body()).contains("cross-site write is refused");
        }
        for (String region : REGIONS) {
          assertThat(recorded(s, read, layer, region))
              .as("recorded after the cross-site writes")
              .isZero();
        }

        // back on the dashboard (the tab still holds the write token): import
        driver.get(base + "/#/layers/" + layer);
        await("the import button", Duration.ofSeconds(30), () -> count(driver, "#import") == 1);
        assertThat(count(driver, "#token-input")).isZero();
        driver.findElement(By.id("import")).click();
        await(
            "the import's result and the imported versions",
            Duration.ofSeconds(60),
            () ->
                count(driver, "#import-result tbody tr") == 2
                    && count(driver, "#versions tbody tr") == 1
                    && count(driver, "#size-chart rect.bar") == 1);
        assertThat(text(driver, "#import-summary"))
            .contains("us-east-1: 1 imported, 1 skipped", "eu-west-1: 1 imported, 0 skipped");
        assertThat(text(driver, "#import-result tr[data-region='eu-west-1'] td.recorded"))
            .isEqualTo(layer + " v1");
        assertThat(text(driver, "#versions tbody")).startsWith(layer + " v1");
        noScriptRan(driver);
        shot(driver, "12-import");
      } finally {
        driver.quit();
        if (evil != null) {
          evil.stop(0);
        }
      }
      for (String region : REGIONS) {
        assertThat(recorded(s, read, layer, region)).as("recorded after import").isEqualTo(1);
      }
    }
  }

  @Test
  void publicRead_showsLayersWithoutToken_butRebuildAsksForOne() throws Exception {
    Path data = dir.resolve("data");
    String write = token(data, "write", "ci");
    String layer = "open-" + Long.toHexString(System.nanoTime());
    List<String> args = List.of("--data-dir", data.toString(), "--public-read");
    try (ServiceProcess s = ServiceProcess.start(dir, "serve", args)) {
      assertThat(
              s.send("POST", "/api/v1/layers", write, definition(layer, "idna\n", "open layer"))
                  .status())
          .isEqualTo(201);
      WebDriver driver = chromium();
      try {
        driver.get(s.base + "/");
        String row = "tr[data-layer='" + layer + "']";
        await(
            "the layer without a token",
            Duration.ofSeconds(60),
            () ->
                text(driver, row + " td.description").equals("open layer")
                    && text(driver, row + " td.last-build").equals("never built"));
        assertThat(count(driver, "#token-input")).isZero();
        driver.findElement(By.cssSelector(row + " a.layer-link")).click();
        await("the layer page", Duration.ofSeconds(30), () -> count(driver, "#rebuild") == 1);
        await(
            "no versions yet", Duration.ofSeconds(30), () -> count(driver, "#versions-empty") == 1);
        driver.findElement(By.id("rebuild")).click();
        await(
            "the token request",
            Duration.ofSeconds(30),
            () ->
                text(driver, "#rebuild-msg").contains("needs a write token")
                    && count(driver, "#rebuild-msg #token-input") == 1);
        shot(driver, "09-public-read");
      } finally {
        driver.quit();
      }
      ServiceProcess.Response builds =
          s.send("GET", "/api/v1/builds?layer=" + layer, null, (String) null);
      assertThat(builds.json().get("builds")).as("a build was queued without a token").isEmpty();
    }
  }

  @Test
  void dashboard_layersLayerChartPackagesDiffRebuild_andHtmlShowsAsText() throws Exception {
    Path data = dir.resolve("data");
    String read = token(data, "read", "dashboard");
    String write = token(data, "write", "ci");
    String layer = "dash-" + Long.toHexString(System.nanoTime());
    String probeLayer = "xss-probe-" + Long.toHexString(System.nanoTime());
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString(), "--jobs", "1"));
    try (ServiceProcess s = ServiceProcess.start(dir, "serve", args)) {
      // two versions of one layer, and a layer whose description is HTML
      assertThat(
              s.send("POST", "/api/v1/layers", write, definition(layer, "idna\n", null)).status())
          .isEqualTo(201);
      build(s, write, layer);
      assertThat(
              s.send(
                      "PUT",
                      "/api/v1/layers/" + layer,
                      write,
                      definition(layer, "idna\nsix\n", "web dependencies"))
                  .status())
          .isEqualTo(200);
      JsonNode second = build(s, write, layer);
      assertThat(second.at("/result/layers/0/regions/0/version").asLong()).isEqualTo(2);
      assertThat(
              s.send("POST", "/api/v1/layers", write, definition(probeLayer, "idna\n", PROBE))
                  .status())
          .isEqualTo(201);

      // the page itself: this origin only, no framing, no sniffing; unknown files are problems
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(s.base.resolve("/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      assertThat(page.headers().firstValue("content-security-policy").orElse(""))
          .contains("script-src 'self'", "frame-ancestors 'none'");
      assertThat(page.body()).contains("/ui/app.js").doesNotContain("http://", "https://");
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(s.base.resolve("/ui/secrets.txt")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);

      WebDriver driver = chromium();
      try {
        String base = s.base.toString();
        // layers list: a read token first
        driver.get(base + "/");
        await("the token form", Duration.ofSeconds(30), () -> count(driver, "#token-input") == 1);
        driver.findElement(By.id("token-input")).sendKeys(read);
        driver.findElement(By.id("token-save")).click();
        String row = "tr[data-layer='" + layer + "']";
        await(
            "the layer's latest version per region and its last build",
            Duration.ofSeconds(60),
            () ->
                text(driver, row + " td.versions").contains("us-east-1: v2")
                    && text(driver, row + " td.versions").contains("eu-west-1: v2")
                    && text(driver, row + " td.last-build").contains("succeeded"));
        assertThat(text(driver, "tr[data-layer='" + probeLayer + "'] td.description"))
            .isEqualTo(PROBE);
        noScriptRan(driver);
        shot(driver, "01-layers");

        // a layer path that is HTML shows as text
        ((JavascriptExecutor) driver)
            .executeScript("location.hash = '#/layers/<img src=x onerror=window.__xss=3>';");
        await(
            "the refused layer name",
            Duration.ofSeconds(10),
            () -> count(driver, "#layer-missing") == 1);
        assertThat(text(driver, "#layer-name")).isEqualTo("<img src=x onerror=window.__xss=3>");
        noScriptRan(driver);
        shot(driver, "02-xss-probe");

        // the layer: versions per region, size chart against the limit
        driver.get(base + "/#/");
        await(
            "the layer link",
            Duration.ofSeconds(30),
            () -> count(driver, row + " a.layer-link") == 1);
        driver.findElement(By.cssSelector(row + " a.layer-link")).click();
        await(
            "the size chart with two versions",
            Duration.ofSeconds(60),
            () -> count(driver, "#size-chart rect.bar") == 2 && count(driver, "#size-limit") == 1);
        assertThat(text(driver, "#versions")).contains("v1", "v2");
        for (WebElement bar : driver.findElements(By.cssSelector("#size-chart rect.bar"))) {
          assertThat(Long.parseLong(bar.getDomAttribute("data-bytes"))).isPositive();
        }
        assertThat(text(driver, "#layer-description")).isEqualTo("web dependencies");
        assertThat(text(driver, "#sharing")).contains("nobody");
        shot(driver, "03-layer");

        // the package table of the newest version, searched
        await(
            "the package table",
            Duration.ofSeconds(30),
            () -> count(driver, "#packages tbody tr") == 2);
        driver.findElement(By.id("pkg-search")).sendKeys("six");
        await(
            "the search result",
            Duration.ofSeconds(10),
            () -> count(driver, "#packages tbody tr") == 1);
        assertThat(text(driver, "#packages tbody")).startsWith("six ");
        assertThat(text(driver, "#pkg-count")).isEqualTo("1 of 2 packages");
        driver.findElement(By.id("pkg-search")).sendKeys("-not-there");
        await("no hit", Duration.ofSeconds(10), () -> count(driver, "#packages tbody tr") == 0);
        shot(driver, "04-packages");

        // the diff v1 → v2
        driver.findElement(By.id("diff-open")).click();
        await("the diff", Duration.ofSeconds(60), () -> count(driver, "#diff tr.added") == 1);
        assertThat(text(driver, "#diff tr.added")).contains("six");
        assertThat(count(driver, "#diff tr.removed")).isZero();
        assertThat(text(driver, "#diff-title")).isEqualTo(layer + " v1 → v2");
        shot(driver, "05-diff");

        // rebuild: refused with the read token, then done with a write token
        driver.get(base + "/#/layers/" + layer);
        await("the rebuild button", Duration.ofSeconds(30), () -> count(driver, "#rebuild") == 1);
        driver.findElement(By.id("rebuild")).click();
        await(
            "the write-token request",
            Duration.ofSeconds(30),
            () -> text(driver, "#rebuild-msg").contains("needs a write token"));
        driver.findElement(By.cssSelector("#rebuild-msg #token-input")).sendKeys(write);
        driver.findElement(By.cssSelector("#rebuild-msg #token-save")).click();
        await(
            "the layer page again",
            Duration.ofSeconds(30),
            () ->
                count(driver, "#rebuild") == 1 && count(driver, "#rebuild-msg #token-input") == 0);
        driver.findElement(By.id("rebuild")).click();
        await(
            "the build page",
            Duration.ofSeconds(30),
            () ->
                driver.getCurrentUrl().contains("#/builds/")
                    && count(driver, "#build-status") == 1);
        await(
            "the build's log reaching succeeded",
            Duration.ofMinutes(5),
            () -> text(driver, "#build-status").equals("succeeded"));
        assertThat(text(driver, "#build-log")).isNotBlank().doesNotContain("(nothing yet)");
        assertThat(text(driver, "#build-result")).contains("unchanged", "v2");
        shot(driver, "06-build");

        // sharing: a bad value is refused with the field named; a good one is stored, and the
        // next build grants it on the current version
        driver.get(base + "/#/layers/" + layer);
        await("the settings", Duration.ofSeconds(30), () -> count(driver, "#settings-edit") == 1);
        driver.findElement(By.cssSelector("#settings-edit summary")).click();
        WebElement sharing = driver.findElement(By.id("sharing-input"));
        sharing.clear();
        sharing.sendKeys("<b>not-an-account</b>");
        driver.findElement(By.id("settings-save")).click();
        await(
            "the refused sharing",
            Duration.ofSeconds(30),
            () -> text(driver, "#settings-msg").contains("<b>not-an-account</b>"));
        noScriptRan(driver);
        assertThat(count(driver, "#settings-msg b")).isZero();
        sharing.clear();
        sharing.sendKeys("123456789012");
        driver.findElement(By.id("settings-save")).click();
        await(
            "the stored sharing",
            Duration.ofSeconds(30),
            () -> text(driver, "#sharing").equals("123456789012"));
        assertThat(
                s.send("GET", "/api/v1/layers/" + layer, read, (String) null)
                    .json()
                    .at("/definition/sharing/0")
                    .asText())
            .isEqualTo("123456789012");
        build(s, write, layer);
        driver.navigate().refresh();
        await(
            "the grant on the current version",
            Duration.ofSeconds(60),
            () -> text(driver, "#grants").contains("On v2 in us-east-1: 123456789012"));
        shot(driver, "07-settings");

        // events: the list, or its empty state
        driver.get(base + "/#/events");
        await(
            "the events",
            Duration.ofSeconds(30),
            () -> count(driver, "#events-empty") + count(driver, "#events") == 1);
        shot(driver, "08-events");
        noScriptRan(driver);
      } finally {
        driver.quit();
      }
    }
  }
}
