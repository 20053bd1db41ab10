package dev.accretion.node.registry;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.net.FirstContact;
import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.json.JsonText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads an npm registry over HTTP(S): packuments (a package's metadata), single version documents
 * and tarballs, with the credentials and CAs of the {@link NpmConfig}. Credentials are sent only to
 * the URLs npm would send them to and are dropped on a redirect to another host. Packuments are
 * kept in a folder of the builder's cache for five minutes (npm's registry sends {@code
 * max-age=300}) and revalidated with their ETag after that, or every time with npm's {@code
 * prefer-online} setting; version documents are kept (a published version does not change).
 * Thread-safe.
 */
public final class RegistryClient implements AutoCloseable {
  /**
   * The Accept header that asks for a packument's abbreviated form ("corgi", {@code
   * application/vnd.npm.install-v1+json}), as npm sends it for installing.
   */
  public static final String ABBREVIATED_ACCEPT =
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

  private static final String CORGI = ABBREVIATED_ACCEPT;
  private static final Duration FRESH = Duration.ofMinutes(5);
  private static final int RETRIES = 2;
  static final Duration FIRST_CONTACT_WAIT = Duration.ofSeconds(5);

  private final NpmConfig config;
  private final Path cacheDir;
  private final Map<String, Object> memory = new ConcurrentHashMap<>();
  private volatile HttpClient http;

  /** One request opens the https connection the others then share (one TLS handshake). */
  private final FirstContact firstContact = new FirstContact(FIRST_CONTACT_WAIT);

  /**
   * @param cacheDir the folder for cached metadata (created when first needed); null for none
   */
  public RegistryClient(NpmConfig config, Path cacheDir) {
    this.config = config;
    this.cacheDir = cacheDir;
  }

  public NpmConfig config() {
    return config;
  }

  private HttpClient http() throws AccretionException {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) {
          HttpClient.Builder b =
              HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .connectTimeout(Duration.ofSeconds(30))
                  .executor(Executors.newVirtualThreadPerTaskExecutor());
          List<String> pems = config.caPems();
          if (!pems.isEmpty()) {
            b.sslContext(sslContext(pems));
          }
          http = b.build();
        }
        h = http;
      }
    }
    return h;
  }

  private static SSLContext sslContext(List<String> pems) throws AccretionException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      int i = 0;
      for (String pem : pems) {
        for (Certificate c :
            cf.generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
          store.setCertificateEntry("ca-" + i++, c);
        }
      }
      if (i == 0) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "the npm ca/cafile settings hold no PEM certificate",
            "name a file of -----BEGIN CERTIFICATE----- blocks in cafile",
            null);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "the npm ca/cafile settings could not be read as PEM certificates: " + e.getMessage(),
          "name a file of -----BEGIN CERTIFICATE----- blocks in cafile",
          e);
    }
  }

  /** The URL of a package's packument on its registry ({@code @scope%2fname}). */
  public String packumentUrl(String name) {
    return config.registryFor(name) + escapeName(name);
  }

  /** npm's escaping of a name in a registry path: the scope's slash as {@code %2f}. */
  public static String escapeName(String name) {
    if (name.startsWith("@")) {
      int slash = name.indexOf('/');
      return "@"
          + URLEncoder.encode(name.substring(1, slash), StandardCharsets.UTF_8)
          + "%2f"
          + URLEncoder.encode(name.substring(slash + 1), StandardCharsets.UTF_8);
    }
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /**
   * A package's packument (the abbreviated form where the registry offers it).
   *
   * @throws AccretionException {@link FailureKind#NOT_FOUND} when the registry has no such package,
   *     {@link FailureKind#UNREACHABLE} when it cannot be read
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> packument(String name) throws AccretionException {
    String url = packumentUrl(name);
    Object cached = memory.get(url);
    if (cached instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    synchronized (memory.computeIfAbsent("lock:" + url, k -> new Object())) {
      cached = memory.get(url);
      if (cached instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      Map<String, Object> doc = fetchJson(url, config.registryFor(name), CORGI, name, true);
      memory.put(url, doc);
      return doc;
    }
  }

  /** One published version's document ({@code <registry>/<name>/<version>}), or null if absent. */
  public Map<String, Object> versionDocument(String name, String version)
      throws AccretionException {
    String url =
        config.registryFor(name)
            + escapeName(name)
            + "/"
            + URLEncoder.encode(version, StandardCharsets.UTF_8);
    try {
      return fetchJson(
          url, config.registryFor(name), "application/json", name + "@" + version, false);
    } catch (AccretionException e) {
      if (e.kind() == FailureKind.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private Map<String, Object> fetchJson(
      String url, String registry, String accept, String what, boolean revalidate)
      throws AccretionException {
    Path file = null;
    Path meta = null;
    String etag = null;
    if (cacheDir != null) {
      String key = sha256(accept + "\n" + url);
      file = cacheDir.resolve(key.substring(0, 2)).resolve(key + ".json");
      meta = cacheDir.resolve(key.substring(0, 2)).resolve(key + ".etag");
      try {
        if (Files.isRegularFile(file)) {
          boolean fresh =
              !revalidate
                  || !config.preferOnline()
                      && Files.getLastModifiedTime(file)
                          .toInstant()
                          .plus(FRESH)
                          .isAfter(java.time.Instant.now());
          if (fresh) {
            return JsonText.parseObject(Files.readString(file));
          }
          if (Files.isRegularFile(meta)) {
            etag = Files.readString(meta).strip();
          }
        }
      } catch (IOException | JsonText.SyntaxError e) {
        etag = null; // a damaged cache entry is fetched again
      }
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(120));
    if (etag != null && !etag.isEmpty()) {
      req.header("If-None-Match", etag);
    }
    HttpResponse<byte[]> response =
        sendAuthenticated(req, url, registry, HttpResponse.BodyHandlers.ofByteArray(), what);
    try {
      if (response.statusCode() == 304 && file != null) {
        Files.setLastModifiedTime(
            file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        return JsonText.parseObject(Files.readString(file));
      }
      String text = new String(response.body(), StandardCharsets.UTF_8);
      Map<String, Object> doc = JsonText.parseObject(text);
      if (file != null) {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".json");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String tag = response.headers().firstValue("etag").orElse("");
        Path tmpMeta = Files.createTempFile(meta.getParent(), ".tmp", ".etag");
        Files.writeString(tmpMeta, tag);
        Files.move(
            tmpMeta, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return doc;
    } catch (JsonText.SyntaxError e) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          "the registry's answer for " + what + " (" + url + ") is not JSON: " + e.getMessage(),
          "check the registry setting (npm config get registry)",
          null);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "could not write the registry cache under " + cacheDir + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Streams a tarball to {@code out}.
   *
   * @param registry the registry the package comes from (for npm's same-host credential rule)
   */
  public void download(
      String url, String registry, OutputStream out, LongConsumer progress, String what)
      throws AccretionException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10));
    HttpResponse<InputStream> response =
        sendAuthenticated(req, url, registry, HttpResponse.BodyHandlers.ofInputStream(), what);
    try (InputStream in = response.body()) {
      byte[] buf = new byte[1 << 16];
      long done = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        done += n;
        progress.accept(done);
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          "download of " + what + " from " + url + " broke off: " + e.getMessage(),
          e);
    }
  }

  private <T> HttpResponse<T> sendAuthenticated(
      HttpRequest.Builder req,
      String url,
      String registry,
      HttpResponse.BodyHandler<T> handler,
      String what)
      throws AccretionException {
    String current = url;
    String originalHost = URI.create(url).getHost();
    for (int redirects = 0; redirects < 10; redirects++) {
      HttpRequest.Builder b = req.copy().uri(URI.create(current));
      if (sameHost(current, originalHost)) {
        config.authorization(current, registry).ifPresent(a -> b.setHeader("Authorization", a));
      }
      HttpResponse<T> r = sendWithRetries(b.build(), current, handler, what);
      int code = r.statusCode();
      if (code >= 300 && code < 400 && code != 304) {
        String location = r.headers().firstValue("location").orElse(null);
        discard(r);
        if (location == null) {
          throw unreachable(what, current, "redirect without a Location");
        }
        current = URI.create(current).resolve(location).toString();
        continue;
      }
      if (code == 200 || code == 304) {
        return r;
      }
      discard(r);
      if (code == 404) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            what + " is not on the registry (" + current + " answered 404)",
            "check the name and version, and for a private package its scope's registry (@scope:registry in .npmrc)",
            null);
      }
      if (code == 401 || code == 403) {
        throw new AccretionException(
            FailureKind.UNREACHABLE,
            "the registry refused " + what + " (" + current + " answered " + code + ")",
            "set a token for it in .npmrc: //"
                + URI.create(current).getAuthority()
                + "/:_authToken=${NPM_TOKEN}",
            null);
      }
      throw unreachable(what, current, "HTTP " + code);
    }
    throw unreachable(what, url, "too many redirects");
  }

  private static boolean sameHost(String url, String host) {
    String h = URI.create(url).getHost();
    return h != null && h.equalsIgnoreCase(host);
  }

  private <T> HttpResponse<T> sendWithRetries(
      HttpRequest request, String url, HttpResponse.BodyHandler<T> handler, String what)
      throws AccretionException {
    IOException last = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      try {
        HttpResponse<T> r;
        FirstContact.Ticket ticket = firstContact.enter(request.uri());
        try {
          r = http().send(request, handler);
        } finally {
          ticket.close();
        }
        if (r.statusCode() >= 500 && attempt < RETRIES) {
          discard(r);
          sleep(attempt);
          continue;
        }
        return r;
      } catch (SSLHandshakeException e) {
        throw new AccretionException(
            FailureKind.UNREACHABLE,
            "TLS handshake with "
                + URI.create(url).getHost()
                + " failed for "
                + what
                + ": "
                + e.getMessage(),
            "if the registry uses a private CA, name it in .npmrc (cafile=/path/to/ca.pem)",
            e);
      } catch (ConnectException | HttpTimeoutException e) {
        last = e;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AccretionException(FailureKind.FAILED, "interrupted while fetching " + what, e);
      }
      sleep(attempt);
    }
    throw new AccretionException(
        FailureKind.UNREACHABLE,
        "could not reach " + url + " for " + what + ": " + (last == null ? "" : last.toString()),
        "check the network and the registry setting (.npmrc, NPM_CONFIG_REGISTRY)",
        last);
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(200L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void discard(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  private static AccretionException unreachable(String what, String url, String why) {
    return new AccretionException(
        FailureKind.UNREACHABLE,
        "could not read " + what + " from " + url + ": " + why,
        "check the registry setting (.npmrc, NPM_CONFIG_REGISTRY) and try again",
        null);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    HttpClient h = http;
    if (h != null) {
      h.close();
    }
  }
}
