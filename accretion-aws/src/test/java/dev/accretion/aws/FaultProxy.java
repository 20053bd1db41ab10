package dev.accretion.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 proxy on loopback between the SDK (endpoint override) and moto, scriptable per
 * request: forward, forward and then reset the client connection (the service committed, the client
 * never hears), forward and then hang (client timeout), reset before forwarding, or answer with a
 * canned error. Rules match on method, path, and the region and service of the SigV4 credential
 * scope; each has a count of uses. Every request is recorded.
 */
final class FaultProxy implements AutoCloseable {
  /** What the proxy saw of one request. */
  record Seen(String method, String path, String region, String service, String action) {
    boolean isPublish() {
      return service.equals("lambda")
          && method.equals("POST")
          && path.matches(".*/layers/[^/]+/versions/?");
    }
  }

  /** What to do with a matching request. */
  sealed interface Action {}

  record Forward() implements Action {}

  record ForwardThenReset() implements Action {}

  record ForwardThenHang(long millis) implements Action {}

  record ResetBeforeForwarding() implements Action {}

  /** Waits, then forwards: network latency to a distant region. */
  record Delay(long millis) implements Action {}

  /** Forwards (the service commits), then answers the client with an error instead. */
  record ForwardThenRespond(Respond response) implements Action {}

  /** Runs a side effect, then forwards (to simulate something else happening first). */
  record BeforeForwarding(Runnable hook) implements Action {}

  record Respond(int status, Map<String, String> headers, String body) implements Action {}

  /** Runs a side effect, then applies another action. */
  record Then(Runnable hook, Action then) implements Action {}

  /**
   * Forwards (the service commits), then counts {@code forwarded} down and never answers: the
   * client hangs until it is killed or gives up, as a publisher killed right after its request
   * reached the service.
   */
  record ForwardThenSignalAndHang(CountDownLatch forwarded) implements Action {}

  /**
   * Holds each matching request until {@code parties} of them are held at once, then forwards them
   * all: proof that that many requests are in flight together, without measuring time. If the gate
   * has not opened after {@code limitMillis} (the requests come one after another), it is marked
   * {@linkplain #timedOut() timed out} and the waiting requests go on, so the test fails on that
   * mark and not on a hang.
   */
  static final class Gate implements Action {
    private final CountDownLatch arrivals;
    private final long limitMillis;
    private final AtomicInteger maxWaiting = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean timedOut;

    Gate(int parties, long limitMillis) {
      this.arrivals = new CountDownLatch(parties);
      this.limitMillis = limitMillis;
    }

    void pass() throws InterruptedException {
      maxWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
      arrivals.countDown();
      if (!arrivals.await(limitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        timedOut = true;
      }
      waiting.decrementAndGet();
    }

    /** Whether the gate gave up waiting for all parties. */
    boolean timedOut() {
      return timedOut;
    }

    /** Whether all parties arrived. */
    boolean opened() {
      return arrivals.getCount() == 0;
    }

    /** The most requests held at the same time. */
    int maxInFlight() {
      return maxWaiting.get();
    }
  }

  static Respond lambdaError(int status, String type, String message) {
    return new Respond(
        status,
        Map.of("x-amzn-ErrorType", type, "Content-Type", "application/json"),
        "{\"Type\":\"User\",\"message\":\"" + message + "\"}");
  }

  private record Rule(Predicate<Seen> when, AtomicInteger remaining, Action action) {}

  private static final Pattern SCOPE =
      Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request");

  private final URI target;
  private final ServerSocket server;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger faults = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  FaultProxy(URI target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Adds a rule used {@code times} times (Integer.MAX_VALUE: always). First match wins. */
  FaultProxy when(Predicate<Seen> when, int times, Action action) {
    rules.add(new Rule(when, new AtomicInteger(times), action));
    return this;
  }

  /** How many requests a rule was applied to. */
  int faultsInjected() {
    return faults.get();
  }

  void clearRules() {
    rules.clear();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  long count(Predicate<Seen> p) {
    return seen.stream().filter(p).count();
  }

  static Predicate<Seen> publishIn(String region) {
    return s -> s.isPublish() && s.region().equals(region);
  }

  static Predicate<Seen> anyPublish() {
    return Seen::isPublish;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        Request req = readRequest(in, out);
        if (req == null) {
          return;
        }
        Seen s = describe(req);
        seen.add(s);
        Action action = new Forward();
        for (Rule r : rules) {
          if (r.when.test(s) && r.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            action = r.action;
            faults.incrementAndGet();
            break;
          }
        }
        if (!apply(action, req, client, out)) {
          return;
        }
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client went away; nothing to do
    }
  }

  /** Applies an action; false when the connection is finished. */
  private boolean apply(Action action, Request req, Socket client, OutputStream out)
      throws IOException, InterruptedException {
    switch (action) {
      case Forward f -> out.write(forward(req));
      case Delay d -> {
        Thread.sleep(d.millis());
        out.write(forward(req));
      }
      case BeforeForwarding b -> {
        b.hook().run();
        out.write(forward(req));
      }
      case Then t -> {
        t.hook().run();
        return apply(t.then(), req, client, out);
      }
      case Gate g -> {
        g.pass();
        out.write(forward(req));
      }
      case ForwardThenReset f -> {
        forward(req);
        reset(client);
        return false;
      }
      case ForwardThenHang h -> {
        forward(req);
        Thread.sleep(h.millis());
        reset(client);
        return false;
      }
      case ForwardThenSignalAndHang h -> {
        forward(req);
        h.forwarded().countDown();
        // hang until the client goes away (it reads nothing more from us)
        while (client.getInputStream().read() >= 0) {
          // discard
        }
        return false;
      }
      case ResetBeforeForwarding r -> {
        reset(client);
        return false;
      }
      case Respond r -> out.write(response(r));
      case ForwardThenRespond r -> {
        forward(req);
        out.write(response(r.response()));
      }
    }
    out.flush();
    return true;
  }

  private static void reset(Socket client) throws IOException {
    client.setSoLinger(true, 0); // close with RST, like a dropped connection
    client.close();
  }

  private static byte[] response(Respond r) {
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\n");
    r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private record Request(String line, Map<String, String> headers, byte[] rawHead, byte[] body) {}

  private Seen describe(Request req) {
    String[] parts = req.line().split(" ");
    String auth = req.headers().getOrDefault("authorization", "");
    Matcher m = SCOPE.matcher(auth);
    String region = m.find() ? m.group(1) : "";
    String service = m.find(0) ? m.group(2) : "";
    String action = req.headers().getOrDefault("x-amz-target", "");
    return new Seen(parts[0], parts.length > 1 ? parts[1] : "", region, service, action);
  }

  /** Sends the request to moto on a fresh connection and returns moto's full response. */
  private byte[] forward(Request req) throws IOException {
    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
      OutputStream up = upstream.getOutputStream();
      StringBuilder head = new StringBuilder(req.line()).append("\r\n");
      req.headers()
          .forEach(
              (k, v) -> {
                if (!k.equals("connection")) {
                  head.append(k).append(": ").append(v).append("\r\n");
                }
              });
      head.append("connection: close\r\n\r\n");
      up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      up.write(req.body());
      up.flush();
      InputStream down = upstream.getInputStream();
      // Read the whole response (moto closes after it), then re-frame it with Content-Length.
      byte[] all = down.readAllBytes();
      return reframe(all);
    }
  }

  private static byte[] reframe(byte[] raw) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException("malformed upstream response");
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    boolean chunked =
        headers.entrySet().stream()
            .anyMatch(
                e ->
                    e.getKey().equalsIgnoreCase("transfer-encoding")
                        && e.getValue().toLowerCase(Locale.ROOT).contains("chunked"));
    if (chunked) {
      body = dechunk(new java.io.ByteArrayInputStream(body));
    }
    String contentLength = null;
    for (var e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase("content-length")) {
        contentLength = e.getValue();
      }
    }
    if (contentLength != null && Integer.parseInt(contentLength) < body.length) {
      body = java.util.Arrays.copyOf(body, Integer.parseInt(contentLength));
    }
    StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
    for (var e : headers.entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.equals("transfer-encoding") || k.equals("connection") || k.equals("content-length")) {
        continue;
      }
      out.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    boolean isHead = false;
    // responses to HEAD keep the upstream Content-Length and have no body
    if (contentLength != null && body.length == 0) {
      out.append("Content-Length: ").append(contentLength).append("\r\n");
      isHead = true;
    }
    if (!isHead) {
      out.append("Content-Length: ").append(body.length).append("\r\n");
    }
    out.append("\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Request readRequest(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    int b;
    while (state < 4) {
      b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state =
          switch (state) {
            case 0, 2 -> b == '\r' ? state + 1 : 0;
            case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
            default -> 0;
          };
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    if (headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue")) {
      // answer for the upstream, which then gets the whole request at once
      headers.remove("expect");
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body;
    if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
      body = dechunk(in);
      headers.remove("transfer-encoding");
      headers.put("content-length", Integer.toString(body.length));
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = new byte[0];
    }
    return new Request(lines[0], headers, head.toByteArray(), body);
  }

  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        // trailers until an empty line
        while (!readLine(in).isEmpty()) {
          // skip
        }
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }

  /** For assertions: a short description of what was seen. */
  List<String> summary() {
    List<String> out = new ArrayList<>();
    for (Seen s : seen) {
      out.add(s.service() + " " + s.region() + " " + s.method() + " " + s.path());
    }
    return out;
  }
}
