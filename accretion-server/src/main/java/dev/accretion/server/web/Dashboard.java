package dev.accretion.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web dashboard: {@code GET /} is the page, {@code GET /ui/{file}} its script and style sheet,
 * all read from this package's resources, nothing from elsewhere (no CDN, no third-party library:
 * the pages work offline). The page holds no data: its script reads {@code /api/v1} with the bearer
 * token the user enters, kept in the tab's {@code sessionStorage} and sent in the {@code
 * Authorization} header, never in a cookie, so another site cannot make a browser write with it
 * (and {@link CrossSiteGuard} refuses a write a browser says came from another site, token or not).
 * Everything the script shows is set as text ({@code textContent}), never parsed as HTML; the
 * Content-Security-Policy allows scripts, styles and requests to this origin only, and no inline
 * script, as a second line of defence. Thread-safe.
 */
public final class Dashboard {
  /** The files served, and their content types. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Dashboard() {}

  /**
   * Adds the dashboard's routes, and the {@link CrossSiteGuard} on every API write (after the API's
   * own authentication, when that is registered first).
   */
  public static void register(RoutesConfig routes) {
    routes.before("/api/*", CrossSiteGuard::check);
    routes.get("/", ctx -> serve(ctx, "index.html"));
    routes.get("/ui/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private static void serve(Context ctx, String file) {
    String type = FILES.get(file);
    if (type == null) {
      throw new NotFoundResponse(
          "no dashboard file '" + file.replaceAll("[^A-Za-z0-9._-]", "?") + "'");
    }
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(type).result(resource(file));
  }

  static byte[] resource(String file) {
    try (InputStream in = Dashboard.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + file + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
