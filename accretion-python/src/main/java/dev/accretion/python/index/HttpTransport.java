package dev.accretion.python.index;

import dev.accretion.core.BuilderVersion;
import dev.accretion.core.net.FirstContact;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;

/**
 * The HTTP side of the index client and the metadata fetcher: one {@link HttpClient} (HTTP/2 over
 * TLS, HTTP/1.1 in clear text), basic auth per host, redirects followed by hand (so credentials
 * never follow a redirect to another host), at most one retry with a short pause for a refused
 * connection or a 5xx answer, none for DNS failures and timeouts, and the on-disk page cache.
 * Thread-safe.
 */
final class HttpTransport implements AutoCloseable {
  static final int MAX_REDIRECTS = 10;
  static final long RETRY_PAUSE_MILLIS = 250;

  /** Who is being talked to, for messages: "index", "find-links location", "file host". */
  record Site(String role, URI location, String remedy) {
    String describe() {
      return role + " " + location;
    }
  }

  /** A response whose body the caller must close. */
  record Response(int status, HttpHeaders headers, URI url, InputStream body) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /** A page body, from the network or the cache. */
  record Page(byte[] body, String contentType, URI finalUrl, IndexListener.PageOrigin origin) {}

  /** Shared counters (see {@link SimpleIndexClient.Stats}). */
  static final class Counters {
    final AtomicLong pageRequests = new AtomicLong();
    final AtomicLong pageLoads = new AtomicLong();
    final AtomicLong httpRequests = new AtomicLong();
    final AtomicLong notModified = new AtomicLong();
    final AtomicLong cacheHits = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
  }

  // built on the first request: building one sets up the default TLS context (the trust store and
  // the JSSE classes), the costliest step of a cold start, which runs with only file:// indexes
  // or an unreachable one need not pay
  private volatile HttpClient client;
  private final Duration connectTimeout;
  private final Credentials credentials;
  private final HttpCache cache;
  private final Clock clock;
  private final Duration requestTimeout;
  private final Semaphore permits;
  private final Path caBundle;
  final Counters counters;

  /** One request opens the https connection the others then share (one TLS handshake). */
  private final FirstContact firstContact = new FirstContact(Duration.ofSeconds(5));

  /**
   * @param caBundle pip's {@code cert}: the PEM file https servers are checked against (read when
   *     the first https request is made), or null for the JDK's default trust
   */
  HttpTransport(
      Duration connectTimeout,
      Duration requestTimeout,
      int maxConcurrentRequests,
      Credentials credentials,
      HttpCache cache,
      Clock clock,
      Counters counters,
      Path caBundle) {
    this.caBundle = caBundle;
    this.connectTimeout = connectTimeout;
    this.credentials = credentials;
    this.cache = cache;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.permits = new Semaphore(maxConcurrentRequests);
    this.counters = counters;
  }

  Credentials credentials() {
    return credentials;
  }

  /** Whether the HTTP client (and with it the TLS context) has been built; for tests. */
  boolean clientBuilt() {
    return client != null;
  }

  private HttpClient client() throws IndexException {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_2)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .connectTimeout(connectTimeout);
          if (caBundle != null) {
            builder.sslContext(CaBundle.load(caBundle));
          }
          c = builder.build();
          client = c;
        }
      }
    }
    return c;
  }

  /**
   * GETs a page, through the cache when there is one.
   *
   * @return empty on 404 or 410
   * @throws IndexUnreachableException when the server cannot be reached or answers 5xx
   * @throws IndexException on other errors (401, 403, other statuses, a body over {@code maxBytes})
   */
  Optional<Page> getPage(URI url, String accept, Site site, long maxBytes) throws IndexException {
    HttpCache.Entry cached = cache == null ? null : cache.get(url, accept);
    if (cached != null && cached.isFresh(clock.instant())) {
      counters.cacheHits.incrementAndGet();
      return Optional.of(
          new Page(
              cached.body(),
              cached.contentType(),
              cached.finalUrl(),
              IndexListener.PageOrigin.CACHE));
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Accept", accept);
    headers.put("Accept-Encoding", "gzip");
    if (cached != null && cached.etag() != null) {
      headers.put("If-None-Match", cached.etag());
    }
    if (cached != null && cached.lastModified() != null) {
      headers.put("If-Modified-Since", cached.lastModified());
    }
    Response response = open(url, headers, site);
    try (InputStream body = response.body()) {
      int status = response.status();
      HttpCache.Directives directives =
          HttpCache.Directives.parse(
              response.header("Cache-Control").orElse(null), response.header("Age").orElse(null));
      if (status == 304 && cached != null) {
        counters.notModified.incrementAndGet();
        HttpCache.Entry refreshed =
            new HttpCache.Entry(
                url,
                cached.finalUrl(),
                cached.contentType(),
                response.header("ETag").orElse(cached.etag()),
                response.header("Last-Modified").orElse(cached.lastModified()),
                clock.instant(),
                directives.maxAgeSeconds() >= 0
                    ? directives.maxAgeSeconds()
                    : cached.maxAgeSeconds(),
                directives.noCache() || cached.noCache(),
                cached.body());
        store(refreshed, accept, directives);
        return Optional.of(
            new Page(
                cached.body(),
                cached.contentType(),
                cached.finalUrl(),
                IndexListener.PageOrigin.REVALIDATED));
      }
      if (status == 404 || status == 410) {
        if (cache != null) {
          cache.remove(url, accept);
        }
        return Optional.empty();
      }
      if (status != 200) {
        throw statusError(response, site);
      }
      boolean gzip =
          response
              .header("Content-Encoding")
              .map(v -> v.strip().equalsIgnoreCase("gzip"))
              .orElse(false);
      byte[] bytes;
      try {
        bytes =
            readLimited(gzip ? new GZIPInputStream(body) : body, maxBytes, response.url(), site);
      } catch (ZipException e) {
        throw new IndexException(
            response.url()
                + " ("
                + site.describe()
                + ") sent a damaged gzip body: "
                + e.getMessage(),
            e);
      }
      String contentType = response.header("Content-Type").orElse(null);
      if (cache != null) {
        HttpCache.Entry entry =
            new HttpCache.Entry(
                url,
                response.url(),
                contentType,
                response.header("ETag").orElse(null),
                response.header("Last-Modified").orElse(null),
                clock.instant(),
                directives.maxAgeSeconds(),
                directives.noCache(),
                bytes);
        store(entry, accept, directives);
      }
      return Optional.of(
          new Page(bytes, contentType, response.url(), IndexListener.PageOrigin.NETWORK));
    } catch (IOException e) {
      IndexUnreachableException failure =
          unreachable(site, url, "the connection broke while reading the answer (" + e + ")", e);
      // the host answered; a broken transfer says nothing about its other pages
      failure.serverAnswered = true;
      throw failure;
    }
  }

  private void store(HttpCache.Entry entry, String accept, HttpCache.Directives directives) {
    if (directives.noStore()) {
      cache.remove(entry.url(), accept);
      return;
    }
    if (!entry.canRevalidate() && entry.maxAgeSeconds() <= 0) {
      return;
    }
    try {
      cache.put(entry, accept);
    } catch (IOException e) {
      // A cache that cannot be written only costs a download next time.
    }
  }

  /**
   * Sends a GET (following redirects) and returns the final response, whose body the caller must
   * close. Statuses other than 5xx are returned as they are.
   *
   * @throws IndexUnreachableException when the server cannot be reached or answers 5xx twice
   */
  Response open(URI url, Map<String, String> headers, Site site) throws IndexException {
    URI current = url;
    for (int hop = 0; ; hop++) {
      Response response = sendWithRetry(current, headers, site);
      int status = response.status();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        closeQuietly(response.body());
        String location = response.header("Location").orElse(null);
        if (location == null) {
          throw new IndexException(
              "HTTP "
                  + status
                  + " from "
                  + current
                  + " without a Location header ("
                  + site.describe()
                  + ")");
        }
        if (hop >= MAX_REDIRECTS) {
          throw new IndexException(
              "more than "
                  + MAX_REDIRECTS
                  + " redirects from "
                  + url
                  + " ("
                  + site.describe()
                  + "); fix the URL");
        }
        current = current.resolve(SimplePageParser.cleanHref(location.strip()));
        continue;
      }
      return response;
    }
  }

  private Response sendWithRetry(URI url, Map<String, String> headers, Site site)
      throws IndexException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(requestTimeout).GET();
    if ("http".equalsIgnoreCase(url.getScheme())) {
      // no h2c upgrade dance on clear text: servers rarely support it and some choke on it
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    headers.forEach(builder::header);
    builder.header("User-Agent", "accretion/" + BuilderVersion.get());
    credentials
        .forUrl(url)
        .ifPresent(l -> builder.header("Authorization", l.authorizationHeader()));
    HttpRequest request = builder.build();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<InputStream> response;
      try {
        permits.acquire();
        try {
          counters.httpRequests.incrementAndGet();
          if (client == null) {
            // a host that doesn't resolve fails here, before the client (and TLS) is built; the
            // JVM caches the answer, so the client's own connect doesn't look it up again
            InetAddress.getByName(url.getHost());
          }
          FirstContact.Ticket ticket = firstContact.enter(url);
          try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
          } finally {
            ticket.close();
          }
        } finally {
          permits.release();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IndexException("interrupted while fetching " + url, e);
      } catch (IOException e) {
        boolean permanent = isDnsFailure(e) || e instanceof HttpTimeoutException;
        if (permanent || attempt >= 2) {
          throw unreachable(site, url, describe(url, e), e);
        }
        pause();
        continue;
      }
      int status = response.statusCode();
      if (status >= 500) {
        closeQuietly(response.body());
        if (attempt >= 2) {
          IndexUnreachableException failure =
              unreachable(site, url, "the server answered HTTP " + status, null);
          failure.serverAnswered = true;
          throw failure;
        }
        pause();
        continue;
      }
      return new Response(status, response.headers(), response.uri(), counting(response.body()));
    }
  }

  private void pause() throws IndexException {
    try {
      Thread.sleep(RETRY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted", e);
    }
  }

  private InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          counters.bytesReceived.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          counters.bytesReceived.addAndGet(n);
        }
        return n;
      }
    };
  }

  static byte[] readLimited(InputStream in, long maxBytes, URI url, Site site)
      throws IOException, IndexException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw new IndexException(
            url
                + " ("
                + site.describe()
                + ") is larger than "
                + maxBytes
                + " bytes; refusing to read it");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  IndexException statusError(Response response, Site site) {
    int status = response.status();
    String url = response.url().toString();
    if (status == 401) {
      return new IndexException(
          "HTTP 401 Unauthorized from "
              + url
              + " ("
              + site.describe()
              + "): it needs credentials; put them in the URL (https://user:password@host/...), "
              + "in ~/.netrc or in the file NETRC names");
    }
    if (status == 403) {
      return new IndexException(
          "HTTP 403 Forbidden from "
              + url
              + " ("
              + site.describe()
              + "): the credentials were refused or lack access; check them in the URL or netrc");
    }
    return new IndexException(
        "unexpected HTTP " + status + " from " + url + " (" + site.describe() + ")");
  }

  static IndexUnreachableException unreachable(Site site, URI url, String cause, Throwable e) {
    String message =
        site.describe()
            + " is unreachable: "
            + cause
            + (url.equals(site.location()) ? "" : " (fetching " + url + ")")
            + "; "
            + site.remedy();
    return new IndexUnreachableException(site.location(), message, e);
  }

  private String describe(URI url, IOException e) {
    String hostPort = url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    if (isDnsFailure(e)) {
      return "cannot resolve host " + url.getHost() + " (DNS lookup failed)";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "connecting to " + hostPort + " timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer from " + hostPort + " within " + requestTimeout.toSeconds() + "s";
    }
    if (e instanceof ConnectException) {
      return "cannot connect to " + hostPort + " (connection refused)";
    }
    if (isTlsFailure(e)) {
      return "the TLS handshake with "
          + hostPort
          + " failed ("
          + e.getMessage()
          + ")"
          + (caBundle == null
              ? "; if the server's certificate comes from a private CA, name a PEM bundle of it"
                  + " with cert in pip.conf, PIP_CERT or --cert"
              : "; the certificate is checked against the CA bundle " + caBundle + " only");
    }
    return "connection to " + hostPort + " failed (" + e + ")";
  }

  static boolean isTlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  static boolean isDnsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing more to read from it anyway
    }
  }

  @Override
  public void close() {
    HttpClient c = client;
    if (c != null) {
      c.shutdownNow();
    }
  }
}
