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
 * {@code accretion serve} as a user runs it (its own JVM), on the embedded database and on a fresh
 * PostgreSQL database, against moto and the machine's pip indexes: define a layer, build it, see it
 * published in three regions, read versions, arn, version detail and diff, rebuild unchanged
 * without a new version; tokens and bad requests answered with the right status.
 */
class ServeIT {
  @TempDir Path dir;

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private String token(Path data, List<String> db, String scope, String name) {
    List<String> args = new ArrayList<>(List.of("serve", "token", "create", "--scope", scope));
    args.addAll(List.of("--name", name, "--data-dir", data.toString()));
    args.addAll(db);
    CliRun r = CliRun.run(ServiceProcess.env(dir), dir, args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    String token = r.out().strip();
    assertThat(token).matches("acc_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}");
    return token;
  }

  private static String definition(String name, String requirements) throws Exception {
    Map<String, Object> d =
        Map.of(
            "name",
            name,
            "listing",
            Map.of("filename", "requirements.txt", "content", requirements),
            "targets",
            List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
            "regions",
            REGIONS);
    return ServiceProcess.JSON.writeValueAsString(d);
  }

  @Test
  void embeddedDatabase_defineBuildPublishReadRebuild() throws Exception {
    scenario(List.of(), "svc-h2-" + Long.toHexString(System.nanoTime()));
  }

  @Test
  void postgres_freshDatabase_defineBuildPublishReadRebuild() throws Exception {
    String db = "accretion_it_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    try {
      scenario(
          List.of("--database", POSTGRES + db + "?user=postgres"),
          "svc-pg-" + Long.toHexString(System.nanoTime()));
    } finally {
      try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private void scenario(List<String> db, String layer) throws Exception {
    Path data = dir.resolve("data");
    String write = token(data, db, "write", "ci");
    String read = token(data, db, "read", "dashboard");
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString(), "--jobs", "2"));
    args.addAll(db);
    try (ServiceProcess s = ServiceProcess.start(dir, "serve", args)) {
      ServiceProcess.Response health = s.send("GET", "/health", null, (String) null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().get("status").asText()).isEqualTo("ok");

      // define
      ServiceProcess.Response created =
          s.send("POST", "/api/v1/layers", write, definition(layer, "idna\ncertifi\n"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.header("location")).isEqualTo("/api/v1/layers/" + layer);
      ServiceProcess.Response again =
          s.send("POST", "/api/v1/layers", write, definition(layer, "idna\n"));
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.contentType()).startsWith("application/problem+json");
      assertThat(
              s.send("GET", "/api/v1/layers/" + layer, read, (String) null)
                  .json()
                  .at("/definition/listing/content")
                  .asText())
          .isEqualTo("idna\ncertifi\n");

      // build: published in three regions
      JsonNode first = build(s, write, layer);
      assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("succeeded");
      JsonNode regions = first.at("/result/layers/0/regions");
      assertThat(regions).hasSize(3);
      for (JsonNode r : regions) {
        assertThat(r.get("published").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("version").asLong()).isEqualTo(1);
        assertThat(r.get("error").isNull()).isTrue();
      }
      assertThat(first.at("/result/artifacts").toString()).contains(".zip");
      assertThat(first.get("log").size()).isPositive();

      // read: versions, arn, version detail
      for (String region : REGIONS) {
        JsonNode versions =
            ok(
                s.send(
                    "GET",
                    "/api/v1/layers/" + layer + "/versions?region=" + region,
                    read,
                    (String) null));
        assertThat(versions.get("versions")).hasSize(1);
        assertThat(versions.at("/versions/0/digest").asText()).hasSize(64);
        JsonNode arn =
            ok(
                s.send(
                    "GET",
                    "/api/v1/layers/"
                        + layer
                        + "/arn?region="
                        + region
                        + "&runtime=python3.12&arch=x86_64",
                    read,
                    (String) null));
        assertThat(arn.get("layerVersionArn").asText())
            .startsWith("arn:aws:lambda:" + region + ":")
            .endsWith(":layer:" + layer + ":1");
      }
      JsonNode v1 =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/versions/1?region=eu-west-1",
                  read,
                  (String) null));
      assertThat(v1.get("packages").toString()).contains("idna", "certifi");

      // rebuild unchanged: no new version anywhere
      JsonNode unchanged = build(s, write, layer);
      assertThat(unchanged.get("status").asText()).isEqualTo("succeeded");
      for (JsonNode r : unchanged.at("/result/layers/0/regions")) {
        assertThat(r.get("published").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.get("version").asLong()).isEqualTo(1);
      }

      // change the listing: version 2, and the diff names the new package
      ServiceProcess.Response put =
          s.send(
              "PUT", "/api/v1/layers/" + layer, write, definition(layer, "idna\ncertifi\nsix\n"));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      JsonNode second = build(s, write, layer);
      assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("succeeded");
      assertThat(second.at("/result/layers/0/regions/2/version").asLong()).isEqualTo(2);
      JsonNode diff =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/diff?region=ap-southeast-2&from=1&to=2",
                  read,
                  (String) null));
      assertThat(diff.get("added").toString()).contains("six");
      assertThat(diff.get("removed")).isEmpty();

      // the CVE question: which managed versions hold six, or idna in any version
      JsonNode six =
          ok(s.send("GET", "/api/v1/packages/pypi/Six?versions=%3E%3D1", read, (String) null));
      assertThat(six.get("matches")).hasSize(3);
      for (JsonNode m : six.get("matches")) {
        assertThat(m.get("layer").asText()).isEqualTo(layer);
        assertThat(m.get("version").asLong()).isEqualTo(2);
      }
      JsonNode idna = ok(s.send("GET", "/api/v1/packages/pypi/idna", read, (String) null));
      assertThat(idna.get("matches").toString()).contains(layer);
      long idnaHere = 0;
      for (JsonNode m : idna.get("matches")) {
        idnaHere += m.get("layer").asText().equals(layer) ? 1 : 0;
      }
      assertThat(idnaHere).isEqualTo(6);
      JsonNode none =
          ok(s.send("GET", "/api/v1/packages/pypi/six?versions=%3C1", read, (String) null));
      assertThat(none.get("matches")).isEmpty();

      JsonNode builds =
          ok(
              s.send(
                  "GET",
                  "/api/v1/builds?layer=" + layer + "&status=succeeded",
                  read,
                  (String) null));
      assertThat(builds.get("builds")).hasSize(3);

      // tokens and scopes
      assertThat(s.send("GET", "/api/v1/layers", null, (String) null).status()).isEqualTo(401);
      assertThat(s.send("POST", "/api/v1/layers/" + layer + "/builds", read, "").status())
          .isEqualTo(403);
      List<String> revoke = new ArrayList<>(List.of("serve", "token", "revoke", "dashboard"));
      revoke.addAll(List.of("--data-dir", data.toString()));
      revoke.addAll(db);
      CliRun revoked = CliRun.run(ServiceProcess.env(dir), dir, revoke.toArray(String[]::new));
      assertThat(revoked.code()).as(revoked.err()).isZero();
      assertThat(s.send("GET", "/api/v1/layers", read, (String) null).status()).isEqualTo(401);

      ServiceProcess.Response metrics = s.send("GET", "/metrics", null, (String) null);
      assertThat(metrics.body())
          .contains("accretion_http_requests_total{", "accretion_builds{status=\"succeeded\"} 3");

      // SIGTERM with a build just queued: the service stops cleanly, and the build is done
      // (within the grace period, or after the restart), with no duplicate version
      ServiceProcess.Response put3 =
          s.send(
              "PUT",
              "/api/v1/layers/" + layer,
              write,
              definition(layer, "idna\ncertifi\nsix\nurllib3\n"));
      assertThat(put3.status()).isEqualTo(200);
      ServiceProcess.Response queued =
          s.send("POST", "/api/v1/layers/" + layer + "/builds", write, "");
      assertThat(queued.status()).isEqualTo(202);
      assertThat(s.terminate()).isIn(0, 143);
      try (ServiceProcess restarted = ServiceProcess.start(dir, "serve2", args)) {
        JsonNode third =
            restarted.awaitBuild(queued.json().get("id").asText(), write, Duration.ofMinutes(3));
        assertThat(third.get("status").asText()).as(third.toString()).isEqualTo("succeeded");
        for (String region : REGIONS) {
          JsonNode versions =
              ok(
                  restarted.send(
                      "GET",
                      "/api/v1/layers/" + layer + "/versions?region=" + region,
                      write,
                      (String) null));
          assertThat(versions.get("versions")).hasSize(3);
        }
      }
    }
  }

  private static JsonNode ok(ServiceProcess.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static JsonNode build(ServiceProcess s, String token, String layer) throws Exception {
    ServiceProcess.Response queued =
        s.send("POST", "/api/v1/layers/" + layer + "/builds", token, "");
    assertThat(queued.status()).as(queued.body()).isEqualTo(202);
    String id = queued.json().get("id").asText();
    assertThat(queued.header("location")).isEqualTo("/api/v1/builds/" + id);
    assertThat(queued.json().get("status").asText()).isEqualTo("queued");
    return s.awaitBuild(id, token, Duration.ofMinutes(3));
  }
}
