package dev.accretion.server.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses an API write that a browser sent on behalf of another site. The first line of defence is
 * the bearer token: the dashboard sends it in the {@code Authorization} header from the tab's
 * {@code sessionStorage} and the service reads no cookie, so a form or script on another site can
 * only send a write without a token (401). This guard is the second: a write (any method but GET,
 * HEAD and OPTIONS) is refused with 403, whatever its token, when the browser says it comes from
 * elsewhere: {@code Sec-Fetch-Site} is {@code cross-site} or {@code same-site}, or {@code Origin}
 * names another host and port than the request's {@code Host} (or {@code X-Forwarded-Host}, for a
 * proxy that rewrites {@code Host}), or is {@code null} (a sandboxed or privacy-sensitive context).
 * Clients that are not browsers send neither header and are not affected. Stateless, thread-safe.
 */
public final class CrossSiteGuard {
  private CrossSiteGuard() {}

  /**
   * Checks one request.
   *
   * @throws ForbiddenResponse a write from another site
   */
  public static void check(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return;
    }
    String why = refusal(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), hosts(ctx));
    if (why != null) {
      throw new ForbiddenResponse(
          "a cross-site write is refused: "
              + why
              + "; write from the dashboard of this service, or from a client that is not a"
              + " browser");
    }
  }

  private static String[] hosts(Context ctx) {
    return new String[] {ctx.header("Host"), ctx.header("X-Forwarded-Host")};
  }

  /** Why a write with these headers is refused, or null when it is not. */
  static String refusal(String fetchSite, String origin, String... hosts) {
    if (fetchSite != null) {
      String site = fetchSite.strip().toLowerCase(Locale.ROOT);
      if (site.equals("cross-site") || site.equals("same-site")) {
        return "the browser sent it from another site (Sec-Fetch-Site: " + site + ")";
      }
    }
    if (origin == null) {
      return null;
    }
    String authority = authority(origin);
    if (authority == null) {
      return "its Origin is " + printable(origin);
    }
    for (String host : hosts) {
      if (host != null && sameAuthority(authority, host.split(",")[0].strip(), origin)) {
        return null;
      }
    }
    return "it comes from " + printable(origin) + ", not from this service's origin";
  }

  /** The {@code host[:port]} of an origin, lower case; null for "null" or a malformed one. */
  private static String authority(String origin) {
    try {
      URI u = new URI(origin.strip());
      if (u.getScheme() == null || u.getRawAuthority() == null || u.getHost() == null) {
        return null;
      }
      return u.getRawAuthority().toLowerCase(Locale.ROOT);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /** An origin's authority against a Host header, the scheme's default port being implied. */
  private static boolean sameAuthority(String authority, String host, String origin) {
    String h = host.toLowerCase(Locale.ROOT);
    if (authority.equals(h)) {
      return true;
    }
    String port = origin.strip().toLowerCase(Locale.ROOT).startsWith("https:") ? ":443" : ":80";
    return authority.equals(h + port) || (authority + port).equals(h);
  }

  private static String printable(String s) {
    String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return "'" + t.replaceAll("[^\\x20-\\x7E]", "?") + "'";
  }
}
