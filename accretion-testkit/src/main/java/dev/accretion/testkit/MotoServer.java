package dev.accretion.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The moto server (the AWS emulator) integration tests talk to: {@code
 * ACCRETION_TEST_MOTO_ENDPOINT} when set (CI starts one), else one started here once per test JVM
 * with {@code python3.11 -m moto.server} on a free loopback port and stopped when the JVM exits.
 * Never skips: if moto cannot start, every test using it fails with the reason.
 *
 * <p>moto accepts any credentials; the account is always {@value #ACCOUNT}. Tests sharing one
 * server must use unique layer names (see each module's helpers).
 */
public final class MotoServer {
  /** Dummy credentials moto accepts. */
  public static final String ACCESS_KEY = "testing";

  /** Dummy credentials moto accepts. */
  public static final String SECRET_KEY = "testing";

  /** moto's account id. */
  public static final String ACCOUNT = "123456789012";

  private static URI endpoint;
  private static Process process;

  private MotoServer() {}

  /** The endpoint, starting moto on first use. */
  public static synchronized URI endpoint() {
    if (endpoint == null) {
      String given = System.getenv("ACCRETION_TEST_MOTO_ENDPOINT");
      endpoint = given != null && !given.isBlank() ? URI.create(given.strip()) : start();
      waitUntilAnswering(endpoint, Duration.ofSeconds(60));
    }
    return endpoint;
  }

  /**
   * A process environment that reaches moto through the standard AWS variables only ({@code
   * AWS_ENDPOINT_URL}, dummy keys, {@code AWS_REGION}), with no profile files and the instance
   * metadata service disabled, so nothing leaves the loopback.
   *
   * @param dir a folder for the (absent) AWS config files
   * @param region the default region, or null for none
   */
  public static Map<String, String> environment(Path dir, String region) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    if (region != null) {
      env.put("AWS_REGION", region);
    }
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    env.put("HOME", dir.toString());
    return env;
  }

  private static URI start() {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port for moto", e);
    }
    Path log;
    try {
      log = Files.createTempFile("moto-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  Python.of("3.11").executable().toString(),
                  "-m",
                  "moto.server",
                  "-H",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start moto server (python3.11 -m moto.server)", e);
    }
    Process p = process;
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    URI uri = URI.create("http://127.0.0.1:" + port);
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "moto server exited with " + p.exitValue() + "; its output: " + read(log));
      }
      if (answers(uri)) {
        return uri;
      }
      sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError("moto server did not answer within 60 s; its output: " + read(log));
  }

  private static void waitUntilAnswering(URI uri, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (answers(uri)) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError("moto server at " + uri + " does not answer");
  }

  private static boolean answers(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(5000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
