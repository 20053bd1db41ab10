package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} answers 503 until the database is migrated and the job runner is up, then 200:
 * the service is started against a PostgreSQL address where nothing listens yet (the API answers
 * 503 meanwhile); then a forwarder to the real PostgreSQL opens on that address, and the service
 * migrates, starts its jobs and answers 200.
 */
class ServeHealthIT {
  @TempDir Path dir;

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  @Test
  void health_503WhileTheDatabaseIsUnreachable_200OnceMigrated() throws Exception {
    String db = "accretion_health_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String late = "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres";
    try (ServiceProcess s =
        ServiceProcess.startListening(
            dir,
            "serve",
            List.of(
                "--data-dir",
                dir.resolve("data").toString(),
                "--database",
                late,
                "--database-wait",
                "120"))) {
      for (int i = 0; i < 3; i++) {
        ServiceProcess.Response health = s.send("GET", "/health", null, (String) null);
        assertThat(health.status()).as(health.body()).isEqualTo(503);
        assertThat(health.json().get("status").asText()).isEqualTo("starting");
        ServiceProcess.Response api = s.send("GET", "/api/v1/layers", null, (String) null);
        assertThat(api.status()).as(api.body()).isEqualTo(503);
        assertThat(api.contentType()).startsWith("application/problem+json");
        Thread.sleep(300);
      }
      assertThat(s.send("GET", "/metrics", null, (String) null).status()).isEqualTo(200);

      try (Forwarder f = new Forwarder(port, 5432)) {
        s.awaitReady(Duration.ofSeconds(90));
        assertThat(s.send("GET", "/health", null, (String) null).json().get("status").asText())
            .isEqualTo("ok");
        CliRun token =
            CliRun.run(
                ServiceProcess.env(dir),
                dir,
                "serve",
                "token",
                "create",
                "--scope",
                "read",
                "--database",
                POSTGRES + db + "?user=postgres");
        assertThat(token.code()).as(token.err()).isZero();
        ServiceProcess.Response layers =
            s.send("GET", "/api/v1/layers", token.out().strip(), (String) null);
        assertThat(layers.status()).as(layers.body()).isEqualTo(200);
        assertThat(s.terminate()).isIn(0, 143);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  /** Forwards every connection to a loopback port to another. */
  private static final class Forwarder implements AutoCloseable {
    private final ServerSocket server;

    Forwarder(int port, int target) throws IOException {
      server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      Thread accept =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    pump(in, out);
                    pump(out, in);
                  } catch (IOException e) {
                    // closed
                  }
                }
              },
              "forwarder");
      accept.setDaemon(true);
      accept.start();
    }

    private static void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  try {
                    from.close();
                    to.close();
                  } catch (IOException e) {
                    // closing
                  }
                }
              },
              "forwarder-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
