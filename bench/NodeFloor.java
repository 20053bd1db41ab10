import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The floors under a cold Node.js build, for {@code bench/node-floor.sh} (run with the CLI's jar on
 * the class path: {@code java -cp accretion.jar:CLASSES NodeFloor MODE ...}).
 *
 * <ul>
 *   <li>{@code download URLS DIR}: a fresh JVM fetches every URL of the file URLS into DIR with the
 *       JDK's HTTP client (HTTP/2, 32 requests at once, as the nodejs builder does) and nothing
 *       else; prints the seconds from the first request to the last byte and the process's CPU
 *       seconds.
 *   <li>{@code warm RUNS PACKAGE_JSON WORK}: one JVM runs {@code accretion build} RUNS times in
 *       process, each with a new empty cache: from the second run on, a cold-cache build in a JVM
 *       whose classes are loaded and whose hot code is compiled (what a long-lived build server
 *       would give). Prints each run's wall and CPU seconds.
 * </ul>
 */
public final class NodeFloor {
  private NodeFloor() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "download" -> download(Path.of(args[1]), Path.of(args[2]));
      case "warm" -> warm(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]));
      default -> throw new IllegalArgumentException("mode: download or warm, not " + args[0]);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void download(Path urls, Path dir) throws Exception {
    List<String> list = Files.readAllLines(urls).stream().filter(s -> !s.isBlank()).toList();
    Files.createDirectories(dir);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    Semaphore inFlight = new Semaphore(32);
    long start = System.nanoTime();
    List<CompletableFuture<?>> all = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < list.size(); i++) {
      inFlight.acquire();
      Path out = dir.resolve(i + ".tgz");
      HttpRequest request = HttpRequest.newBuilder(URI.create(list.get(i))).build();
      all.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofFile(out))
              .whenComplete((r, e) -> inFlight.release())
              .thenAccept(
                  r -> {
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(r.uri() + ": HTTP " + r.statusCode());
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    for (int i = 0; i < list.size(); i++) {
      bytes += Files.size(dir.resolve(i + ".tgz"));
    }
    System.out.printf(
        Locale.ROOT,
        "download %d files %.1f MB in %.2f s, process cpu %.2f s%n",
        list.size(),
        bytes / 1e6,
        seconds,
        cpuNanos() / 1e9);
  }

  private static void warm(int runs, Path packageJson, Path work) throws Exception {
    Map<String, String> env = System.getenv();
    for (int i = 1; i <= runs; i++) {
      Path cache = work.resolve("cache-" + i);
      Path out = work.resolve("dist-" + i);
      StringWriter so = new StringWriter();
      StringWriter se = new StringWriter();
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      int rc =
          dev.accretion.cli.Main.run(
              new String[] {
                "build",
                packageJson.toString(),
                "--runtime",
                "nodejs22.x",
                "--arch",
                "x86_64",
                "--cache-dir",
                cache.toString(),
                "--output",
                out.toString(),
                "--json"
              },
              new PrintWriter(so),
              new PrintWriter(se),
              env);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (cpuNanos() - c0) / 1e9;
      if (rc != 0) {
        System.err.print(se);
        throw new IllegalStateException("build " + i + " exited " + rc);
      }
      System.out.printf(Locale.ROOT, "warm run %d: %.2f s wall, %.2f s cpu%n", i, wall, cpu);
    }
  }
}
