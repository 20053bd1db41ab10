package dev.accretion.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of the moto server that fills one gap of the emulator: Lambda answers
 * GetLayerVersion and GetFunction with {@code Content.Location} / {@code Code.Location}, a
 * presigned S3 URL of the zip, but moto 5 answers {@code "s3://"} for layers and an unreachable AWS
 * host for functions. Every request is forwarded to moto unchanged; in those two answers the
 * location is replaced by a URL on this proxy for the zip's {@code CodeSha256}, which the test has
 * {@linkplain #register registered} with the zip's real location (a presigned URL of moto's S3).
 * Reads of a location are forwarded there with their {@code Range} header, and the bytes sent back
 * are counted, so a test can prove how much of a zip was read.
 */
public final class LambdaContentProxy implements AutoCloseable {
  private static final Pattern LOCATION = Pattern.compile("\"Location\"\\s*:\\s*\"[^\"]*\"");
  private static final Pattern SHA = Pattern.compile("\"CodeSha256\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern LAYER_VERSION =
      Pattern.compile("/20\\d\\d-\\d\\d-\\d\\d/layers/.+/versions/\\d+");
  private static final Pattern FUNCTION =
      Pattern.compile("/20\\d\\d-\\d\\d-\\d\\d/functions/[^/]+");
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "host",
          "connection",
          "content-length",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection");

  private final URI moto;
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, URI> contents = new ConcurrentHashMap<>();
  private final AtomicLong contentBytes = new AtomicLong();
  private final AtomicInteger contentRequests = new AtomicInteger();

  /** Starts a proxy for the moto server at {@code moto}. */
  public LambdaContentProxy(URI moto) throws IOException {
    this.moto = moto;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "lambda-content-proxy");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint to give the AWS SDK ({@code AWS_ENDPOINT_URL}). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves {@code location} as the content of the zip whose base64 SHA-256 is {@code sha}. */
  public void register(String codeSha256, URI location) {
    contents.put(codeSha256, location);
  }

  /** Bytes of zip content sent to clients so far. */
  public long contentBytes() {
    return contentBytes.get();
  }

  /** Reads of zip content so far. */
  public int contentRequests() {
    return contentRequests.get();
  }

  /** Forgets the counts. */
  public void resetCounts() {
    contentBytes.set(0);
    contentRequests.set(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/__content/")) {
        content(exchange, URLDecoder.decode(path.substring(11), StandardCharsets.UTF_8));
        return;
      }
      forward(exchange, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void content(HttpExchange exchange, String sha) throws IOException, InterruptedException {
    URI target = contents.get(sha);
    if (target == null) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    contentRequests.incrementAndGet();
    HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null) {
      b.header("Range", range);
    }
    HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    r.headers()
        .firstValue("content-range")
        .ifPresent(v -> exchange.getResponseHeaders().add("Content-Range", v));
    long length = r.headers().firstValueAsLong("content-length").orElse(0);
    exchange.sendResponseHeaders(r.statusCode(), length == 0 ? -1 : length);
    try (InputStream in = r.body();
        OutputStream out = exchange.getResponseBody()) {
      byte[] buffer = new byte[64 << 10];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        contentBytes.addAndGet(n);
      }
    } catch (IOException e) {
      // the client closed the connection early
    }
  }

  private void forward(HttpExchange exchange, String path)
      throws IOException, InterruptedException {
    String query = exchange.getRequestURI().getRawQuery();
    URI target = moto.resolve(path + (query == null ? "" : "?" + query));
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(target)
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> b.header(name, v));
              }
            });
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    byte[] answer = r.body();
    boolean rewrite =
        exchange.getRequestMethod().equals("GET")
            && r.statusCode() == 200
            && (LAYER_VERSION.matcher(path).matches() || FUNCTION.matcher(path).matches());
    if (rewrite) {
      String text = new String(answer, StandardCharsets.UTF_8);
      Matcher sha = SHA.matcher(text);
      if (sha.find()) {
        String url =
            endpoint() + "/__content/" + URLEncoder.encode(sha.group(1), StandardCharsets.UTF_8);
        text =
            LOCATION
                .matcher(text)
                .replaceAll(Matcher.quoteReplacement("\"Location\": \"" + url + "\""));
        answer = text.getBytes(StandardCharsets.UTF_8);
      }
    }
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equals(":status")) {
                for (String v : values) {
                  exchange.getResponseHeaders().add(name, v);
                }
              }
            });
    exchange.sendResponseHeaders(r.statusCode(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
