package dev.accretion.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of moto that records every request (region from the SigV4 scope,
 * method, path, body), so a test can count the Lambda calls a sync made and read the zips it sent;
 * and that can refuse every request signed for one region (HTTP 403, as AWS answers a missing
 * permission).
 */
final class LambdaRecordingProxy implements AutoCloseable {
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/");
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  /** One request as it reached the proxy. */
  record Call(String region, String method, String path, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI target;
  private final List<Call> calls = new ArrayList<>();
  private volatile String failingRegion;

  LambdaRecordingProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Refuse every request signed for {@code region} from now on (null: none). */
  void failRegion(String region) {
    failingRegion = region;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized void clear() {
    calls.clear();
  }

  /** CreateFunction, UpdateFunctionCode and UpdateFunctionConfiguration calls, in order. */
  List<Call> changes() {
    return calls().stream()
        .filter(
            c ->
                c.method().equals("POST") && c.path().endsWith("/functions")
                    || c.method().equals("PUT")
                        && (c.path().endsWith("/code") || c.path().endsWith("/configuration")))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      Matcher m = SCOPE.matcher(auth == null ? "" : auth);
      String region = m.find() ? m.group(1) : "";
      synchronized (this) {
        calls.add(
            new Call(
                region, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
      }
      if (region.equals(failingRegion)) {
        byte[] error =
            ("{\"Type\":\"User\",\"message\":\"Access denied in " + region + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "AccessDeniedException");
        exchange.sendResponseHeaders(403, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(error);
        }
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
        if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
          for (String v : h.getValue()) {
            forward.header(h.getKey(), v);
          }
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      response
          .headers()
          .map()
          .forEach(
              (k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT)) && !k.equals(":status")) {
                  vs.forEach(v -> exchange.getResponseHeaders().add(k, v));
                }
              });
      byte[] bytes = response.body();
      boolean noBody = exchange.getRequestMethod().equals("HEAD") || bytes.length == 0;
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : bytes.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
