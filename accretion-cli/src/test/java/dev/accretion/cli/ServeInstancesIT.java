package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database share the build queue; one is killed with SIGKILL
 * mid-run, and the other finishes its builds: every build ends succeeded, and no layer has more
 * than one version.
 */
class ServeInstancesIT {
  @TempDir Path dir;

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int BUILDS = 20;

  @Test
  void twoInstances_oneKilled_everyBuildSucceedsOnce_noDuplicateVersion() throws Exception {
    String db = "accretion_it_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = POSTGRES + db + "?user=postgres";
    try {
      CliRun t =
          CliRun.run(
              ServiceProcess.env(dir),
              dir,
              "serve",
              "token",
              "create",
              "--scope",
              "write",
              "--database",
              url);
      assertThat(t.code()).as(t.err()).isZero();
      String token = t.out().strip();
      List<String> common = List.of("--database", url, "--heartbeat", "2", "--jobs", "2");
      List<String> a = new ArrayList<>(common);
      a.addAll(List.of("--data-dir", dir.resolve("a").toString()));
      List<String> b = new ArrayList<>(common);
      b.addAll(List.of("--data-dir", dir.resolve("b").toString()));
      String prefix = "inst-" + Long.toHexString(System.nanoTime()) + "-";
      try (ServiceProcess one = ServiceProcess.start(dir, "a", a);
          ServiceProcess two = ServiceProcess.start(dir, "b", b)) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BUILDS; i++) {
          ServiceProcess via = i % 2 == 0 ? one : two;
          String def =
              ServiceProcess.JSON.writeValueAsString(
                  Map.of(
                      "name", prefix + i,
                      "listing", Map.of("filename", "requirements.txt", "content", "idna\n"),
                      "targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
                      "regions", List.of("us-east-1")));
          assertThat(via.send("POST", "/api/v1/layers", token, def).status()).isEqualTo(201);
          ServiceProcess.Response q =
              via.send("POST", "/api/v1/layers/" + prefix + i + "/builds", token, "");
          assertThat(q.status()).isEqualTo(202);
          ids.add(q.json().get("id").asText());
        }
        // kill the first instance while it runs a build
        String first =
            one.send("GET", "/health", null, (String) null).json().get("instance").asText();
        String second =
            two.send("GET", "/health", null, (String) null).json().get("instance").asText();
        String cut = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (cut == null && System.nanoTime() < deadline) {
          JsonNode running =
              two.send("GET", "/api/v1/builds?status=running", token, (String) null).json();
          for (JsonNode r : running.get("builds")) {
            if (first.equals(r.path("runner").asText())) {
              cut = r.get("id").asText();
            }
          }
          Thread.sleep(50);
        }
        assertThat(cut).as("a build running on the first instance").isNotNull();
        one.process.destroyForcibly().waitFor();
        for (String id : ids) {
          JsonNode build = two.awaitBuild(id, token, Duration.ofMinutes(3));
          assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("succeeded");
        }
        JsonNode resumed = two.awaitBuild(cut, token, Duration.ofMinutes(1));
        assertThat(resumed.get("attempts").asInt())
            .as(resumed.toString())
            .isGreaterThanOrEqualTo(2);
        assertThat(resumed.get("runner").asText()).isEqualTo(second);
        for (int i = 0; i < BUILDS; i++) {
          JsonNode versions =
              two.send(
                      "GET",
                      "/api/v1/layers/" + prefix + i + "/versions?region=us-east-1",
                      token,
                      (String) null)
                  .json();
          assertThat(versions.get("versions")).as(prefix + i).hasSize(1);
        }
      }
    } finally {
      try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }
}
