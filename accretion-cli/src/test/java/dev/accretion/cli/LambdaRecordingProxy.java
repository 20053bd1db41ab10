package dev.accretion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of moto that records every request (region from the SigV4 scope,
 * method, path, body), so a test can count the Lambda calls a sync made and read the zips it sent;
 * and that can refuse every request signed for one region (HTTP 403, as AWS answers a missing
 * permission).
 *
 * <p>It can also play what moto does not: moto 5 answers {@code LastUpdateStatus: Successful} (and
 * {@code State: Active}) at once after every change. With {@link #settleAfter(int)} each
 * CreateFunction, UpdateFunctionCode and UpdateFunctionConfiguration leaves the function busy for
 * the next n GetFunctionConfiguration answers ({@code InProgress}, {@code Pending} after a create),
 * and a change call while it is busy is refused with 409 ResourceConflictException, as Lambda does.
 * And with {@link #meet(int)} the first n GetFunction requests are held until n of them are in
 * flight at once (a rendezvous: it proves calls overlap without measuring any time).
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
  private volatile int settleAfter;
  private final Map<String, Integer> busy = new HashMap<>();
  private final Set<String> pending = new java.util.HashSet<>();
  private final List<String> events = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private CountDownLatch meeting;
  private int meetingSeats;
  private final List<String> met = new ArrayList<>();

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

  /**
   * From now on, every change call leaves its function busy for the next {@code polls}
   * GetFunctionConfiguration answers (0: moto's own answers). Clears the events.
   */
  synchronized void settleAfter(int polls) {
    settleAfter = polls;
    busy.clear();
    pending.clear();
    events.clear();
  }

  /**
   * What the busy play saw, in order: {@code "change <region> <name> <code|configuration|create>"},
   * {@code "poll <region> <name> <InProgress|Successful>"}, {@code "conflict <region> <name>"}.
   */
  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /**
   * Hold the next {@code parties} GetFunction requests until all of them are in flight together
   * (each waits at most 60 s, then goes on: {@link #met()} then says who came).
   */
  synchronized void meet(int parties) {
    meeting = new CountDownLatch(parties);
    meetingSeats = parties;
    met.clear();
    maxInFlight.set(0);
  }

  /** The regions of the GetFunction requests that were held, once all {@code parties} came. */
  synchronized List<String> met() {
    return meeting != null && meeting.getCount() == 0 ? List.copyOf(met) : List.of();
  }

  /** The most requests in flight at once since the last {@link #meet(int)}. */
  int maxInFlight() {
    return maxInFlight.get();
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
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      forward(exchange);
    } finally {
      if (!answered.remove(exchange)) {
        inFlight.decrementAndGet(); // no answer was sent
      }
    }
  }

  // the requests counted out of flight: a request leaves the count before its answer is sent,
  // since the client may send its next one as soon as it has the answer (before this thread
  // returns from the exchange), which must not count as one more at once
  private final java.util.Set<HttpExchange> answered =
      java.util.Collections.newSetFromMap(new java.util.concurrent.ConcurrentHashMap<>());

  private void respond(HttpExchange exchange, int status, long length) throws IOException {
    if (answered.add(exchange)) {
      inFlight.decrementAndGet();
    }
    exchange.sendResponseHeaders(status, length);
  }

  /** The function a Lambda path names ({@code /2015-03-31/functions/<name>/...}), or null. */
  private static String functionOf(String path) {
    String[] parts = path.split("/");
    return parts.length >= 4 && parts[2].equals("functions") ? parts[3] : null;
  }

  private void forward(HttpExchange exchange) throws IOException {
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
        respond(exchange, 403, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(error);
        }
        return;
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String function = functionOf(path);
      boolean getFunction = method.equals("GET") && function != null && path.split("/").length == 4;
      boolean poll = method.equals("GET") && function != null && path.endsWith("/configuration");
      String change =
          method.equals("PUT") && function != null && path.endsWith("/code")
              ? "code"
              : method.equals("PUT") && function != null && path.endsWith("/configuration")
                  ? "configuration"
                  : method.equals("POST") && path.endsWith("/functions") ? "create" : null;
      if (change != null && change.equals("create")) {
        try {
          function = new ObjectMapper().readTree(body).get("FunctionName").asText();
        } catch (RuntimeException e) {
          function = "?";
        }
      }
      if (getFunction) {
        CountDownLatch latch;
        synchronized (this) {
          latch = meetingSeats > 0 ? meeting : null;
          if (latch != null) {
            meetingSeats--;
            met.add(region);
          }
        }
        if (latch != null) {
          latch.countDown();
          try {
            latch.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      String key = region + " " + function;
      if (change != null && settleAfter > 0) {
        synchronized (this) {
          if (busy.getOrDefault(key, 0) > 0) {
            events.add("conflict " + key);
            byte[] error =
                ("{\"Type\":\"User\",\"message\":\"The operation cannot be performed at this"
                        + " time. An update is in progress for resource: "
                        + function
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceConflictException");
            respond(exchange, 409, error.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(error);
            }
            return;
          }
        }
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
      if (settleAfter > 0 && response.statusCode() / 100 == 2) {
        synchronized (this) {
          if (change != null) {
            busy.put(key, settleAfter);
            if (change.equals("create")) {
              pending.add(key);
            }
            events.add("change " + key + " " + change);
          } else if (poll) {
            int left = busy.getOrDefault(key, 0);
            ObjectNode c = (ObjectNode) new ObjectMapper().readTree(bytes);
            if (left > 0) {
              busy.put(key, left - 1);
              c.put("LastUpdateStatus", "InProgress");
              if (pending.contains(key)) {
                // after a create Lambda says Pending until the function is ready
                c.put("State", "Pending");
              }
            } else {
              pending.remove(key);
            }
            events.add("poll " + key + " " + c.path("LastUpdateStatus").asText());
            bytes = new ObjectMapper().writeValueAsBytes(c);
          }
        }
      }
      boolean noBody = exchange.getRequestMethod().equals("HEAD") || bytes.length == 0;
      respond(exchange, response.statusCode(), noBody ? -1 : bytes.length);
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
