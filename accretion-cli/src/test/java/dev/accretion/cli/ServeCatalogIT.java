package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's record of published versions, against moto, on the embedded database: versions the
 * CLI published are imported (by marker and manifest) and listed with their sizes; the listing is
 * the recorded one until the next import; a build's files download by digest; a finished build
 * names its stage and progress.
 */
class ServeCatalogIT {
  @TempDir Path dir;

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

  private String token(Path data, String scope) {
    CliRun r =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "token",
            "create",
            "--scope",
            scope,
            "--data-dir",
            data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  private CliRun cliPublish(Path project, String requirements) throws Exception {
    Files.writeString(project.resolve("requirements.txt"), requirements);
    return CliRun.run(ServiceProcess.env(dir), project, "publish", "--json");
  }

  private static String definition(String name, String requirements) throws Exception {
    return ServiceProcess.JSON.writeValueAsString(
        Map.of(
            "name",
            name,
            "listing",
            Map.of("filename", "requirements.txt", "content", requirements),
            "targets",
            List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
            "regions",
            REGIONS));
  }

  @Test
  void importsWhatTheCliPublished_listsSizes_downloadsBuildFilesByDigest() throws Exception {
    String layer = "cli-made-" + Long.toHexString(System.nanoTime());
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(
        project.resolve("accretion.toml"),
        "[layers."
            + layer
            + "]\nlisting = \"requirements.txt\"\nruntimes = [\"python3.12\"]\n"
            + "architectures = [\"x86_64\"]\nregions = [\"us-east-1\", \"eu-west-1\"]\n");
    CliRun published = cliPublish(project, "idna\n");
    assertThat(published.code()).as(published.toString()).isZero();

    Path data = dir.resolve("data");
    String write = token(data, "write");
    try (ServiceProcess s =
        ServiceProcess.start(dir, "serve", List.of("--data-dir", data.toString()))) {
      // the layer is defined in the service, then what the CLI published is imported
      ServiceProcess.Response unknown =
          s.send("POST", "/api/v1/layers/" + layer + "/import", write, "");
      assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
      assertThat(s.send("POST", "/api/v1/layers", write, definition(layer, "idna\n")).status())
          .isEqualTo(201);
      JsonNode imported = ok(s.send("POST", "/api/v1/layers/" + layer + "/import", write, ""));
      assertThat(imported.get("regions")).hasSize(2);
      for (JsonNode r : imported.get("regions")) {
        assertThat(r.get("imported").asInt()).as(r.toString()).isEqualTo(1);
        JsonNode v = r.at("/versions/0");
        assertThat(v.get("version").asLong()).isEqualTo(1);
        assertThat(v.get("layerVersionArn").asText())
            .startsWith("arn:aws:lambda:" + r.get("region").asText() + ":")
            .endsWith(":layer:" + layer + ":1");
        assertThat(v.get("digest").asText()).hasSize(64);
        assertThat(v.get("size").asLong()).isPositive();
        assertThat(v.get("packages").asInt()).isEqualTo(1);
      }

      // a second CLI publish is not seen until the next import (or refresh=true)
      CliRun second = cliPublish(project, "idna\ncertifi\n");
      assertThat(second.code()).as(second.toString()).isZero();
      JsonNode before =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/versions?region=eu-west-1",
                  write,
                  (String) null));
      assertThat(before.get("versions")).hasSize(1);
      JsonNode again =
          ok(s.send("POST", "/api/v1/layers/" + layer + "/import?region=eu-west-1", write, ""));
      assertThat(again.get("regions")).hasSize(1);
      assertThat(again.at("/regions/0/imported").asInt()).isEqualTo(2);
      JsonNode after =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/versions?region=eu-west-1",
                  write,
                  (String) null));
      assertThat(after.get("versions")).hasSize(2);
      assertThat(after.at("/versions/0/version").asLong()).isEqualTo(2);
      assertThat(after.at("/versions/0/packages").asInt()).isEqualTo(2);
      JsonNode refreshed =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/versions?region=us-east-1&refresh=true",
                  write,
                  (String) null));
      assertThat(refreshed.get("versions")).hasSize(2);
      JsonNode arn =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/"
                      + layer
                      + "/arn?region=us-east-1&runtime=python3.12&arch=x86_64",
                  write,
                  (String) null));
      assertThat(arn.get("layerVersionArn").asText()).endsWith(":layer:" + layer + ":2");

      // a build by the service: its files download by digest; its version is recorded with the
      // zip's size; a finished build names its stage and has no current activity
      ServiceProcess.Response put =
          s.send("PUT", "/api/v1/layers/" + layer, write, definition(layer, "idna\nsix\n"));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      ServiceProcess.Response queued =
          s.send("POST", "/api/v1/layers/" + layer + "/builds", write, "");
      assertThat(queued.status()).as(queued.body()).isEqualTo(202);
      String id = queued.json().get("id").asText();
      JsonNode build = s.awaitBuild(id, write, Duration.ofMinutes(3));
      assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("succeeded");
      assertThat(build.get("stage").asText()).isEqualTo("done");
      assertThat(build.has("progress")).isTrue();
      assertThat(build.get("progress").isNull()).isTrue();
      JsonNode artifacts = build.at("/result/artifacts");
      assertThat(artifacts.size()).as(artifacts.toString()).isGreaterThanOrEqualTo(2);
      long zipSize = -1;
      List<String> files = new ArrayList<>();
      for (JsonNode a : artifacts) {
        String file = a.get("file").asText();
        files.add(file);
        ServiceProcess.Download d =
            s.download("/api/v1/builds/" + id + "/artifacts/" + file, write);
        assertThat(d.status()).as(file).isEqualTo(200);
        String sha =
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d.body()));
        assertThat(sha).as(file).isEqualTo(a.get("sha256").asText());
        assertThat((long) d.body().length).isEqualTo(a.get("size").asLong());
        assertThat(d.header("etag")).isEqualTo("\"" + sha + "\"");
        assertThat(d.header("digest"))
            .isEqualTo(
                "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)));
        if (file.endsWith(".zip")) {
          assertThat(d.contentType()).isEqualTo("application/zip");
          zipSize = d.body().length;
        }
      }
      assertThat(files).anyMatch(f -> f.endsWith(".zip")).anyMatch(f -> f.endsWith(".json"));
      assertThat(s.download("/api/v1/builds/" + id + "/artifacts/nothing.zip", write).status())
          .isEqualTo(404);
      assertThat(s.download("/api/v1/builds/" + id + "/artifacts/..%2F..%2Fdb", write).status())
          .isEqualTo(404);
      assertThat(s.download("/api/v1/builds/" + id + "/artifacts/" + files.get(0), null).status())
          .isEqualTo(401);
      JsonNode built =
          ok(
              s.send(
                  "GET",
                  "/api/v1/layers/" + layer + "/versions?region=us-east-1",
                  write,
                  (String) null));
      assertThat(built.get("versions")).hasSize(3);
      assertThat(built.at("/versions/0/version").asLong()).isEqualTo(3);
      assertThat(built.at("/versions/0/size").asLong()).isEqualTo(zipSize);
      assertThat(built.at("/versions/0/digest").asText())
          .isEqualTo(build.at("/result/layers/0/digest").asText());
    }
  }

  private static JsonNode ok(ServiceProcess.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
