package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every response a service test gets is checked against the service's own {@code /openapi.json}:
 * the path and status must be documented, the content type must be the documented one, and a JSON
 * body must validate against the documented schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */
final class OpenApiCheck {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Map<URI, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private OpenApiCheck() {}

  static void validate(
      ServiceProcess service, String method, String path, ServiceProcess.Response response)
      throws Exception {
    if (path.equals("/openapi.json")) {
      return;
    }
    validate(document(service.base), method, path, response);
  }

  /** Checks a response against a document. */
  static void validate(JsonNode doc, String method, String path, ServiceProcess.Response response)
      throws Exception {
    String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    JsonNode operation = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String regex = Pattern.quote(e.getKey()).replaceAll("\\{[a-z]+\\}", "\\\\E[^/]+\\\\Q");
      if (Pattern.matches(regex, plain)) {
        operation = e.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
        if (operation != null) {
          break;
        }
      }
    }
    if (operation == null) {
      // an undocumented route must be answered as not found or not allowed, as a problem
      assertThat(response.status()).as(method + " " + path).isIn(404, 405);
      assertThat(response.contentType()).startsWith("application/problem+json");
      return;
    }
    JsonNode responses = operation.get("responses");
    JsonNode documented = responses.get(String.valueOf(response.status()));
    if (documented == null) {
      documented = responses.get("default");
    }
    assertThat(documented)
        .as(method + " " + path + " answered " + response.status() + ", which is not documented")
        .isNotNull();
    JsonNode content = documented.get("content");
    if (content == null) {
      assertThat(response.body()).as("an undocumented body").isEmpty();
      return;
    }
    String type = response.contentType().split(";")[0].strip();
    JsonNode media = content.get(type);
    assertThat(media)
        .as(method + " " + path + " " + response.status() + ": content type " + type)
        .isNotNull();
    if (!type.endsWith("json")) {
      return;
    }
    ObjectNode wrapper = MAPPER.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.set("components", doc.get("components"));
    wrapper.set("allOf", MAPPER.createArrayNode().add(media.get("schema")));
    Schema schema =
        REGISTRY.getSchema(SchemaLocation.of("https://accretion.test/openapi.json"), wrapper);
    List<Error> errors = schema.validate(MAPPER.readTree(response.body()));
    assertThat(errors)
        .as(method + " " + path + " " + response.status() + ": " + response.body())
        .isEmpty();
  }

  /** The document the service's jar holds. */
  static JsonNode bundled() throws Exception {
    try (var in = OpenApiCheck.class.getResourceAsStream("/dev/accretion/server/openapi.json")) {
      return MAPPER.readTree(in);
    }
  }

  private static JsonNode document(URI base) throws Exception {
    JsonNode doc = DOCUMENTS.get(base);
    if (doc == null) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/openapi.json")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      doc = MAPPER.readTree(r.body());
      DOCUMENTS.put(base, doc);
    }
    return doc;
  }
}
