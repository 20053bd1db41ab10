import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on the service: CLIENTS concurrent clients, each on its own keep-alive HTTP/1.1 connection
 * (a plain socket: the JDK HttpClient itself timed out connecting 200 clients at once on this
 * machine), each sending the given paths in turn for SECONDS with no pause; prints throughput,
 * p50/p99/max latency and errors. A warm-up of the same load runs first and is not counted (env
 * WARMUP seconds, default 5), so the JIT of both processes has warmed up.
 *
 * <p>Usage: java bench/ServeLoad.java BASE-URL TOKEN CLIENTS SECONDS PATH...
 */
public class ServeLoad {
  static final Map<String, Integer> KINDS = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    int clients = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    List<String> paths = List.of(args).subList(4, args.length);
    long warmup = Long.parseLong(System.getenv().getOrDefault("WARMUP", "5"));
    if (warmup > 0) {
      run(base, token, clients, warmup, paths, new ConcurrentLinkedQueue<>(), new AtomicLong());
    }
    ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    KINDS.clear();
    run(base, token, clients, seconds, paths, samples, errors);
    report(clients, seconds, samples, errors);
  }

  static void run(
      URI base,
      String token,
      int clients,
      long seconds,
      List<String> paths,
      ConcurrentLinkedQueue<long[]> samples,
      AtomicLong errors)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int offset = c;
      Thread t =
          Thread.ofPlatform()
              .stackSize(256 * 1024)
              .start(
                  () -> {
                    long[] mine = new long[1 << 18];
                    int n = 0;
                    Socket socket = null;
                    InputStream in = null;
                    for (int i = offset; System.nanoTime() < end; i++) {
                      String request =
                          "GET "
                              + paths.get(i % paths.size())
                              + " HTTP/1.1\r\nHost: "
                              + base.getHost()
                              + "\r\nAuthorization: Bearer "
                              + token
                              + "\r\nAccept: application/json\r\n\r\n";
                      long t0 = System.nanoTime();
                      try {
                        if (socket == null) {
                          socket = new Socket();
                          socket.setTcpNoDelay(true);
                          socket.setSoTimeout(30_000);
                          socket.connect(
                              new InetSocketAddress(base.getHost(), base.getPort()), 30_000);
                          in = new BufferedInputStream(socket.getInputStream(), 65536);
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(request.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        int status = readResponse(in);
                        if (status != 200) {
                          errors.incrementAndGet();
                          KINDS.merge("HTTP " + status, 1, Integer::sum);
                        }
                      } catch (IOException e) {
                        errors.incrementAndGet();
                        KINDS.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                        close(socket);
                        socket = null;
                      }
                      if (n < mine.length) {
                        mine[n++] = System.nanoTime() - t0;
                      }
                    }
                    close(socket);
                    samples.add(Arrays.copyOf(mine, n));
                  });
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing
      }
    }
  }

  /** Reads one response (headers, then a Content-Length or chunked body); returns the status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("connection closed");
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        long size = Long.parseLong(line(in).split(";")[0].trim(), 16);
        skip(in, size);
        line(in);
        if (size == 0) {
          break;
        }
      }
    } else if (length > 0) {
      skip(in, length);
    }
    return code;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long k = in.skip(left);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed");
        }
        k = 1;
      }
      left -= k;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        int len = b.length();
        return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  static void report(
      int clients, long seconds, ConcurrentLinkedQueue<long[]> samples, AtomicLong errors) {
    List<Long> all = new ArrayList<>();
    for (long[] s : samples) {
      for (long v : s) {
        all.add(v);
      }
    }
    java.util.Collections.sort(all);
    int n = all.size();
    System.out.printf(
        "clients %d, %d s: %d requests, %.0f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
            + " errors %d%n",
        clients,
        seconds,
        n,
        n / (double) seconds,
        n == 0 ? 0 : all.get(n / 2) / 1e6,
        n == 0 ? 0 : all.get(Math.min(n - 1, (int) (n * 0.99))) / 1e6,
        n == 0 ? 0 : all.get(n - 1) / 1e6,
        errors.get());
    if (!KINDS.isEmpty()) {
      System.out.println("errors by kind: " + new TreeMap<>(KINDS));
    }
  }
}
