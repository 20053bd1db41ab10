package dev.accretion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document the service serves: valid OpenAPI 3.1, naming every route. */
class OpenApiDocumentTest {
  @TempDir Path dir;

  @Test
  void document_passesOpenapiSpecValidator() throws Exception {
    Path file = dir.resolve("openapi.json");
    Files.writeString(file, OpenApi.document());
    Process p =
        new ProcessBuilder("python3.11", "-m", "openapi_spec_validator", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("OK");
  }

  @Test
  void document_isOpenApi31_andNamesEveryRoute() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(OpenApi.document());
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    for (String route :
        java.util.List.of(
            "/health",
            "/metrics",
            "/openapi.json",
            "/api/v1/layers",
            "/api/v1/layers/{name}",
            "/api/v1/layers/{name}/builds",
            "/api/v1/layers/{name}/versions",
            "/api/v1/layers/{name}/versions/{version}",
            "/api/v1/layers/{name}/diff",
            "/api/v1/layers/{name}/arn",
            "/api/v1/builds",
            "/api/v1/builds/{id}",
            "/api/v1/packages/{ecosystem}/{name}",
            "/api/v1/layers/{name}/feed.atom",
            "/api/v1/events/upstream",
            "/api/v1/events")) {
      assertThat(doc.get("paths").has(route)).as(route).isTrue();
    }
  }
}
