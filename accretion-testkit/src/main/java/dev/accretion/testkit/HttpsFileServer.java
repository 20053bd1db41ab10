package dev.accretion.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real https server on 127.0.0.1 (ephemeral port) that serves the files of a folder, with a
 * certificate from a private CA the JDK's default trust store does not know: a self-signed
 * certificate for IP 127.0.0.1 made by the JDK's {@code keytool}. {@link #caPem()} is that CA as a
 * PEM file written certifi-style (comment lines around the block), what a user would name in pip's
 * {@code cert}. A path ending in {@code /} serves its {@code index.html}.
 */
public final class HttpsFileServer implements AutoCloseable {
  private static final String PASSWORD = "accretion-test";

  private final Path root;
  private final Path caPem;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private volatile Consumer<String> beforeAnswer = path -> {};

  /**
   * Starts serving {@code root}; key material goes to {@code work} (a folder of its own).
   *
   * @param commonName the CA's name, so tests can make two unrelated CAs
   */
  public HttpsFileServer(Path root, Path work, String commonName)
      throws IOException, InterruptedException, GeneralSecurityException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(work);
    Path keystore = work.resolve("server.p12");
    Path exported = work.resolve("exported.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + commonName,
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        exported.toString());
    caPem = work.resolve("ca.pem");
    Files.writeString(
        caPem,
        "# Issuer: CN="
            + commonName
            + "\n# Label: \"test\"\n"
            + Files.readString(exported)
            + "\n# end of bundle\n");

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Runs {@code hook} with each request's path when the request arrives, before it is answered, on
   * the server's thread (so a hook that sleeps holds that answer back).
   */
  public void beforeAnswer(Consumer<String> hook) {
    this.beforeAnswer = hook;
  }

  /** The PEM file of the server's CA. */
  public Path caPem() {
    return caPem;
  }

  /** {@code https://127.0.0.1:PORT/} + path (no leading slash). */
  public String url(String path) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      beforeAnswer.accept(path);
      Path file = root.resolve(path.substring(1)).normalize();
      if (path.endsWith("/")) {
        file = file.resolve("index.html");
      }
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      String name = file.getFileName().toString();
      exchange
          .getResponseHeaders()
          .set(
              "Content-Type",
              name.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("keytool " + args[0] + " did not finish within 60 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
