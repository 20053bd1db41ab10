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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of moto that refuses every request signed for one region (HTTP
 * 403, as AWS answers a missing permission) and forwards the rest. The region is read from the
 * SigV4 credential scope of the Authorization header.
 */
final class RegionFailingProxy implements AutoCloseable {
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/");
  // headers java.net.http does not let a caller set
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI target;
  private final String failingRegion;
  private final AtomicInteger refused = new AtomicInteger();

  RegionFailingProxy(URI target, String failingRegion) throws IOException {
    this.target = target;
    this.failingRegion = failingRegion;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      Matcher m = SCOPE.matcher(auth == null ? "" : auth);
      if (m.find() && m.group(1).equals(failingRegion)) {
        refused.incrementAndGet();
        byte[] error =
            ("<Error><Code>AccessDenied</Code><Message>Access Denied in "
                    + failingRegion
                    + "</Message></Error>")
                .getBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
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
        if (!RESTRICTED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
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
                if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))
                    && !k.equals(":status")) {
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
