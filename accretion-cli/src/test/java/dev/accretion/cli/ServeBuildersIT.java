package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Definitions whose builder runs code on the server (the command builder, a plug-in of {@code
 * --builder-path}): refused with 403 and the reason unless the server was started with {@code
 * --allow-command-builders} and the caller holds an admin token; accepted then. A plug-in the
 * server did not load is an unknown builder; {@code --builder-path} alone is a usage error.
 */
class ServeBuildersIT {
  @TempDir Path dir;

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

  private static String definition(String name, String builder, String filename) throws Exception {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("listing", Map.of("filename", filename, "content", "data/hello.txt = data.txt\n"));
    d.put("targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")));
    d.put("regions", List.of("us-east-1"));
    if (builder != null) {
      d.put("builder", builder);
    }
    return ServiceProcess.JSON.writeValueAsString(d);
  }

  private static JsonNode status(ServiceProcess.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return status >= 400 ? r.json() : null;
  }

  @Test
  void refusedUnlessAllowedAndAdmin_acceptedWhenBoth() throws Exception {
    Path jar = BuilderFixtures.pluginJar(dir);
    Path data = dir.resolve("data");
    String write = token(data, "write");
    String admin = token(data, "admin");

    // --builder-path without --allow-command-builders: the server does not start
    CliRun alone =
        CliRun.run(
            ServiceProcess.env(dir),
            dir,
            "serve",
            "--port",
            "0",
            "--data-dir",
            data.toString(),
            "--builder-path",
            jar.toString());
    assertThat(alone.code()).as(alone.toString()).isEqualTo(2);
    assertThat(alone.err()).contains("--allow-command-builders");

    // a server that does not allow them
    try (ServiceProcess s =
        ServiceProcess.start(dir, "plain", List.of("--data-dir", data.toString()))) {
      JsonNode p =
          status(
              s.send(
                  "POST",
                  "/api/v1/layers",
                  admin,
                  definition("cmd", "command", "requirements.txt")),
              403);
      assertThat(p.get("detail").asText()).contains("runs code", "does not allow");
      assertThat(p.get("pointer").asText()).isEqualTo("/builder");
      // the plug-in is not loaded here: an unknown builder
      JsonNode unknown =
          status(
              s.send(
                  "POST",
                  "/api/v1/layers",
                  admin,
                  definition("plug", "static-files", "layer.static")),
              400);
      assertThat(unknown.get("pointer").asText()).isEqualTo("/builder");
      assertThat(s.send("GET", "/api/v1/layers", admin, (String) null).json().get("layers"))
          .isEmpty();
    }

    // a server that allows them, with the plug-in loaded: admin tokens only
    try (ServiceProcess s =
        ServiceProcess.start(
            dir,
            "allowing",
            List.of(
                "--data-dir",
                data.toString(),
                "--allow-command-builders",
                "--builder-path",
                jar.toString()))) {
      JsonNode p =
          status(
              s.send(
                  "POST",
                  "/api/v1/layers",
                  write,
                  definition("cmd", "command", "requirements.txt")),
              403);
      assertThat(p.get("detail").asText()).contains("admin token");
      JsonNode q =
          status(
              s.send(
                  "POST",
                  "/api/v1/layers",
                  write,
                  definition("plug", "static-files", "layer.static")),
              403);
      assertThat(q.get("detail").asText()).contains("admin token");
      // a listing a plug-in reads, with no builder named, runs code too
      status(
          s.send("POST", "/api/v1/layers", write, definition("plug2", null, "layer.static")), 403);
      assertThat(s.send("GET", "/api/v1/layers", write, (String) null).json().get("layers"))
          .isEmpty();

      status(
          s.send("POST", "/api/v1/layers", admin, definition("cmd", "command", "requirements.txt")),
          201);
      status(
          s.send(
              "POST", "/api/v1/layers", admin, definition("plug", "static-files", "layer.static")),
          201);
      JsonNode layers = s.send("GET", "/api/v1/layers", write, (String) null).json();
      assertThat(layers.get("layers")).hasSize(2);
      assertThat(layers.toString())
          .contains("\"builder\":\"static-files\"", "\"builder\":\"command\"");
      // changing it needs the admin token as well
      status(
          s.send(
              "PUT",
              "/api/v1/layers/plug",
              write,
              definition("plug", "static-files", "layer.static")),
          403);
      status(
          s.send(
              "PUT",
              "/api/v1/layers/plug",
              admin,
              definition("plug", "static-files", "layer.static")),
          200);
    }
  }
}
