package dev.accretion.python.index;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the index client tests: routes by exact
 * path, logs every request, counts body bytes sent, serves files with or without Range support.
 */
final class TestServer implements AutoCloseable {
  record Request(String method, String path, Headers headers) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply of(int status, String contentType, String body) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
      return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0]);
    }

    Reply with(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body);
    }
  }

  interface Handler {
    Reply handle(Request request) throws IOException;
  }

  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]*)-([0-9]*)");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final Map<String, Handler> routes = new ConcurrentHashMap<>();
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong bytesSent = new AtomicLong();
  private final Map<String, AtomicLong> bytesSentTo = new ConcurrentHashMap<>();

  TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  TestServer route(String path, Handler handler) {
    routes.put(path, handler);
    return this;
  }

  long count(String path) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.path().equals(path)).count();
    }
  }

  /** Body bytes sent for requests to {@code path}. */
  long bytesSentTo(String path) {
    AtomicLong sent = bytesSentTo.get(path);
    return sent == null ? 0 : sent.get();
  }

  List<Request> requestsTo(String path) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.path().equals(path)).toList();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      String path = exchange.getRequestURI().getRawPath();
      Request request =
          new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders());
      requests.add(request);
      Handler handler = routes.get(path);
      Reply reply =
          handler == null ? Reply.of(404, "text/plain", "not found") : handler.handle(request);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      boolean noBody = reply.status() == 304 || reply.status() == 204 || reply.body().length == 0;
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
      if (!noBody) {
        // counted before writing, so that a client that has read the body sees it counted
        bytesSent.addAndGet(reply.body().length);
        bytesSentTo.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    } catch (RuntimeException | IOException e) {
      // a client that hangs up early (e.g. after a 200 to a range request) is fine
    }
  }

  /** Serves {@code data}, honouring single-range {@code Range} requests unless told not to. */
  static Handler file(byte[] data, boolean honourRange) {
    return ranged(
        data.length,
        (start, length) -> Arrays.copyOfRange(data, (int) start, (int) (start + length)),
        honourRange);
  }

  /** Serves a file from disk, reading only the requested ranges. */
  static Handler file(Path path, boolean honourRange) throws IOException {
    long size = Files.size(path);
    return ranged(
        size,
        (start, length) -> {
          try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
              // keep reading
            }
            return buffer.array();
          }
        },
        honourRange);
  }

  private interface Bytes {
    byte[] read(long start, long length) throws IOException;
  }

  private static Handler ranged(long size, Bytes bytes, boolean honourRange) {
    return request -> {
      String range = request.header("Range");
      if (!honourRange || range == null) {
        return new Reply(
            200, Map.of("Content-Type", "application/octet-stream"), bytes.read(0, size));
      }
      Matcher m = RANGE.matcher(range.strip());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        return Reply.status(416);
      }
      long start;
      long end;
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(m.group(1));
        end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      }
      if (start >= size || start > end) {
        return Reply.status(416).with("Content-Range", "bytes */" + size);
      }
      return new Reply(
          206,
          Map.of(
              "Content-Type",
              "application/octet-stream",
              "Content-Range",
              "bytes " + start + "-" + end + "/" + size),
          bytes.read(start, end - start + 1));
    };
  }

  /** A handler that demands basic auth with this user and password, else 401. */
  static Handler requireAuth(String user, String password, Handler inner) {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return request -> {
      if (!expected.equals(request.header("Authorization"))) {
        return Reply.of(401, "text/plain", "who are you")
            .with("WWW-Authenticate", "Basic realm=\"t\"");
      }
      return inner.handle(request);
    };
  }

  /** A loopback port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
