package dev.accretion.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as served, and guards on their text: nothing is ever parsed as HTML from
 * the script, nothing is loaded from another origin, and no script is inline (the CSP forbids it).
 */
class DashboardTest {
  private static String text(String file) {
    return new String(Dashboard.resource(file), StandardCharsets.UTF_8);
  }

  @Test
  void script_neverParsesHtml_orEvaluatesText() {
    String js = text("app.js");
    for (String sink :
        List.of(
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "DOMParser",
            "createContextualFragment",
            "srcdoc")) {
      assertThat(js).as(sink).doesNotContain(sink);
    }
    assertThat(js).contains("textContent", "createTextNode");
  }

  @Test
  void files_loadNothingFromElsewhere_andHaveNoInlineScript() {
    Pattern url = Pattern.compile("(https?:)?//[A-Za-z0-9.-]+");
    for (String file : List.of("index.html", "app.js", "app.css")) {
      String t = text(file);
      Matcher m = url.matcher(t);
      while (m.find()) {
        // the SVG namespace is a name, not a request
        assertThat(m.group()).as(file).isIn("http://www.w3.org", "//www.w3.org");
      }
      assertThat(t).as(file).doesNotContain("@import");
    }
    String html = text("index.html");
    Matcher script = Pattern.compile("<script([^>]*)>").matcher(html);
    int scripts = 0;
    while (script.find()) {
      scripts++;
      assertThat(script.group(1)).contains("src=\"/ui/app.js\"");
    }
    assertThat(scripts).isEqualTo(1);
    assertThat(html).doesNotContainPattern("\\son[a-z]+=");
  }

  @Test
  void served_withPolicyHeaders_andOnlyItsOwnFiles() throws Exception {
    Javalin app =
        Javalin.create(
            c -> {
              c.jetty.host = "127.0.0.1";
              c.jetty.port = 0;
              c.startup.showJavalinBanner = false;
              Dashboard.register(c.routes);
            });
    app.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + app.port());
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(base.resolve("/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      assertThat(page.headers().firstValue("content-security-policy").orElse(""))
          .isEqualTo(Dashboard.CSP)
          .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'");
      assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      HttpResponse<String> js =
          http.send(
              HttpRequest.newBuilder(base.resolve("/ui/app.js")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
      assertThat(js.body()).isEqualTo(text("app.js"));
      for (String other :
          List.of("/ui/Dashboard.class", "/ui/package-info.class", "/ui/..%2FApi.class")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve(other)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(other).isEqualTo(404);
        assertThat(r.body()).as(other).doesNotContain("CAFEBABE");
      }
    } finally {
      app.stop();
    }
  }
}
