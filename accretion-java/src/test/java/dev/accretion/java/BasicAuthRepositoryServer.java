package dev.accretion.java;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private Maven repository for tests: a folder served over HTTP on the loopback address, every
 * request behind basic authentication.
 */
final class BasicAuthRepositoryServer implements AutoCloseable {
  private final HttpServer server;
  final AtomicInteger requests = new AtomicInteger();

  BasicAuthRepositoryServer(Path root, String user, String password) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpContext context =
        server.createContext(
            "/",
            exchange -> {
              requests.incrementAndGet();
              Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
              if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
              }
              byte[] bytes = Files.readAllBytes(file);
              if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
                exchange.sendResponseHeaders(200, -1);
              } else {
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                  out.write(bytes);
                }
              }
              exchange.close();
            });
    context.setAuthenticator(
        new BasicAuthenticator("private-maven") {
          @Override
          public boolean checkCredentials(String u, String p) {
            return u.equals(user) && p.equals(password);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
