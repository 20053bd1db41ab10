import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running service: CLIENTS concurrent clients (virtual threads), each in a loop reading
 * the given paths in turn for SECONDS; prints throughput, p50/p99/max latency and errors.
 * Usage: java bench/ServeLoad.java BASE-URL TOKEN CLIENTS SECONDS PATH... (env WARMUP: seconds of
 * the same load first, not counted, default 5, so the JIT of both processes has warmed up)
 */
public class ServeLoad {
  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    int clients = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    List<String> paths = List.of(args).subList(4, args.length);
    HttpClient http =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    long warmup = Long.parseLong(System.getenv().getOrDefault("WARMUP", "5"));
    if (warmup > 0) {
      run(http, base, token, clients, warmup, paths, new ConcurrentLinkedQueue<>(), new AtomicLong());
    }
    ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    run(http, base, token, clients, seconds, paths, samples, errors);
    report(clients, seconds, samples, errors);
  }

  static void run(
      HttpClient http,
      URI base,
      String token,
      int clients,
      long seconds,
      List<String> paths,
      ConcurrentLinkedQueue<long[]> samples,
      AtomicLong errors) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int offset = c;
        pool.submit(
            () -> {
              long[] mine = new long[1 << 20];
              int n = 0;
              for (int i = offset; System.nanoTime() < end; i++) {
                HttpRequest r =
                    HttpRequest.newBuilder(base.resolve(paths.get(i % paths.size())))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build();
                long t0 = System.nanoTime();
                try {
                  HttpResponse<byte[]> res = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
                  if (res.statusCode() != 200) {
                    errors.incrementAndGet();
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                }
                if (n < mine.length) {
                  mine[n++] = System.nanoTime() - t0;
                }
              }
              samples.add(java.util.Arrays.copyOf(mine, n));
              return null;
            });
      }
    }
  }

  static void report(
      int clients, long seconds, ConcurrentLinkedQueue<long[]> samples, AtomicLong errors) {
    List<Long> all = new ArrayList<>();
    for (long[] s : samples) {
      for (long v : s) {
        all.add(v);
      }
    }
    Collections.sort(all);
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
  }
}
