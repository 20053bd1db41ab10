package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service refuses what it must, with the right status and a problem+json naming the field, and
 * changes nothing: missing, wrong, read-only and revoked tokens; oversized and malformed bodies;
 * path traversal in names; SQL metacharacters in every string field; a command-builder definition.
 */
class ServeSecurityIT {
  @TempDir static Path dir;
  private static ServiceProcess s;
  private static String write;
  private static String read;
  private static String admin;
  private static String revoked;

  private static String token(String scope, String name) {
    CliRun r =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "token",
            "create",
            "--scope",
            scope,
            "--name",
            name,
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  @BeforeAll
  static void start() throws Exception {
    write = token("write", "w");
    read = token("read", "r");
    admin = token("admin", "a");
    revoked = token("write", "gone");
    CliRun r =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "token",
            "revoke",
            "gone",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(r.code()).as(r.err()).isZero();
    CliRun ls =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "token",
            "ls",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(ls.out()).contains(" w ", " r ", " a ", " gone ", "revoked").doesNotContain(write);
    s = ServiceProcess.start(dir, "serve", List.of("--data-dir", dir.resolve("data").toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  private static Map<String, Object> definition(String name) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("listing", Map.of("filename", "requirements.txt", "content", "idna\n"));
    d.put("targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")));
    d.put("regions", List.of("us-east-1"));
    return d;
  }

  private static String json(Object o) throws Exception {
    return ServiceProcess.JSON.writeValueAsString(o);
  }

  private static List<String> layers() throws Exception {
    ServiceProcess.Response r = s.send("GET", "/api/v1/layers", read, (String) null);
    assertThat(r.status()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode l : r.json().get("layers")) {
      out.add(l.get("name").asText());
    }
    return out;
  }

  /** Sends, expects a problem with this status (and pointer when given), and no change. */
  private static JsonNode refused(
      String method, String path, String token, byte[] body, int status, String pointer)
      throws Exception {
    List<String> before = layers();
    ServiceProcess.Response r = s.send(method, path, token, body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("detail").asText()).isNotBlank();
    if (pointer != null) {
      assertThat(p.path("pointer").asText()).as(r.body()).isEqualTo(pointer);
    }
    assertThat(layers()).isEqualTo(before);
    return p;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void tokens_missingWrongReadOnlyRevoked() throws Exception {
    byte[] body = bytes(json(definition("tok-layer")));
    ServiceProcess.Response none = s.send("GET", "/api/v1/layers", null, (String) null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("www-authenticate")).startsWith("Bearer");
    refused("POST", "/api/v1/layers", null, body, 401, null);
    refused("POST", "/api/v1/layers", "not-a-token", body, 401, null);
    String forged = write.substring(0, write.length() - 4) + "AAAA";
    refused("POST", "/api/v1/layers", forged, body, 401, null);
    refused("POST", "/api/v1/layers", read, body, 403, null);
    refused("POST", "/api/v1/layers", revoked, body, 401, null);
    assertThat(s.send("GET", "/api/v1/layers", revoked, (String) null).status()).isEqualTo(401);
    assertThat(layers()).doesNotContain("tok-layer");
  }

  @Test
  void bodies_malformedOversizedWrongTypesUnknownFields() throws Exception {
    refused("POST", "/api/v1/layers", write, bytes("{\"name\": "), 400, "");
    refused("POST", "/api/v1/layers", write, bytes("[1, 2]"), 400, "");
    refused("POST", "/api/v1/layers", write, bytes("{\"name\":\"a\",\"name\":\"b\"}"), 400, "");
    refused("POST", "/api/v1/layers", write, new byte[0], 400, "");
    byte[] huge = new byte[3 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    refused("POST", "/api/v1/layers", write, huge, 413, null);
    Map<String, Object> big = definition("big-listing");
    big.put("listing", Map.of("filename", "requirements.txt", "content", "a".repeat(1_100_000)));
    refused("POST", "/api/v1/layers", write, bytes(json(big)), 413, "/listing/content");
    Map<String, Object> unknown = definition("unknown-field");
    unknown.put("colour", "blue");
    refused("POST", "/api/v1/layers", write, bytes(json(unknown)), 400, "/colour");
    Map<String, Object> wrongType = definition("wrong-type");
    wrongType.put("targets", "python3.12");
    refused("POST", "/api/v1/layers", write, bytes(json(wrongType)), 400, "/targets");
    Map<String, Object> wrongItem = definition("wrong-item");
    wrongItem.put("regions", List.of(1));
    refused("POST", "/api/v1/layers", write, bytes(json(wrongItem)), 400, "/regions/0");
    Map<String, Object> runtime = definition("bad-runtime");
    runtime.put("targets", List.of(Map.of("runtime", "python2.7", "arch", "x86_64")));
    refused("POST", "/api/v1/layers", write, bytes(json(runtime)), 400, "/targets");
    Map<String, Object> missing = definition("missing");
    missing.remove("listing");
    refused("POST", "/api/v1/layers", write, bytes(json(missing)), 400, "/listing");
    refused("GET", "/api/v1/builds?limit=9999", read, null, 400, null);
    refused("GET", "/api/v1/builds/not-a-build", read, null, 404, null);
    refused("GET", "/api/v1/layers/nope/versions", read, null, 404, null);
    refused("POST", "/api/v1/layers/nope/builds", write, new byte[0], 404, null);
  }

  @Test
  void names_pathTraversalRefused() throws Exception {
    refused("POST", "/api/v1/layers", write, bytes(json(definition("../../etc"))), 400, "/name");
    Map<String, Object> file = definition("traversal-file");
    file.put("listing", Map.of("filename", "../../requirements.txt", "content", "idna\n"));
    refused("POST", "/api/v1/layers", write, bytes(json(file)), 400, "/listing/filename");
    refused("GET", "/api/v1/layers/..%2F..%2Fetc", read, null, 400, null);
    refused("PUT", "/api/v1/layers/..%2Fx", write, bytes(json(definition("x"))), 400, null);
    refused("GET", "/api/v1/builds?layer=..%2Fx", read, null, 400, null);
  }

  @Test
  void sqlMetacharacters_inEveryStringField_areDataOrRefused() throws Exception {
    String sql = "x'; DROP TABLE managed_layer; --\"";
    refused("POST", "/api/v1/layers", write, bytes(json(definition(sql))), 400, "/name");
    Map<String, Object> d = definition("sql-" + Long.toHexString(System.nanoTime()));
    d.put("description", sql);
    d.put("license", "MIT' OR '1'='1");
    ServiceProcess.Response r = s.send("POST", "/api/v1/layers", write, bytes(json(d)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode stored = s.send("GET", "/api/v1/layers/" + d.get("name"), read, (String) null).json();
    assertThat(stored.at("/definition/description").asText()).isEqualTo(sql);
    assertThat(stored.at("/definition/license").asText()).isEqualTo("MIT' OR '1'='1");
    for (String field : List.of("regions", "sharing")) {
      Map<String, Object> bad = definition("sql-field");
      bad.put(field, List.of(sql));
      refused("POST", "/api/v1/layers", write, bytes(json(bad)), 400, "/" + field);
    }
    Map<String, Object> listing = definition("sql-listing");
    listing.put("listing", Map.of("filename", sql, "content", sql));
    refused("POST", "/api/v1/layers", write, bytes(json(listing)), 400, "/listing/filename");
    Map<String, Object> target = definition("sql-target");
    target.put("targets", List.of(Map.of("runtime", sql, "arch", "x86_64")));
    refused("POST", "/api/v1/layers", write, bytes(json(target)), 400, "/targets");
    refused(
        "GET",
        "/api/v1/builds?status=" + java.net.URLEncoder.encode(sql, "UTF-8"),
        read,
        null,
        400,
        null);
    assertThat(layers()).contains((String) d.get("name"));
    // stop managing it: a read token may not, a write token may, and then it is gone
    refused("DELETE", "/api/v1/layers/" + d.get("name"), read, null, 403, null);
    ServiceProcess.Response deleted =
        s.send("DELETE", "/api/v1/layers/" + d.get("name"), write, (String) null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(layers()).doesNotContain((String) d.get("name"));
    refused("GET", "/api/v1/layers/" + d.get("name"), read, null, 404, null);
  }

  @Test
  void commandBuilder_refusedWith403_evenForAdmin_whenTheServerDoesNotAllowIt() throws Exception {
    Map<String, Object> d = definition("cmd-layer");
    d.put("builder", "command");
    JsonNode p = refused("POST", "/api/v1/layers", write, bytes(json(d)), 403, "/builder");
    assertThat(p.get("detail").asText()).contains("runs code");
    refused("POST", "/api/v1/layers", admin, bytes(json(d)), 403, "/builder");
  }
}
