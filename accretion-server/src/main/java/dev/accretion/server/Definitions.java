package dev.accretion.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.app.Json;
import dev.accretion.app.service.LayerDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Layer definitions between JSON and {@link LayerDefinition}: unknown fields, wrong types and
 * missing fields are {@link ApiProblem}s with the JSON pointer of the field.
 */
final class Definitions {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Set<String> TOP =
      Set.of(
          "name",
          "listing",
          "targets",
          "regions",
          "sharing",
          "description",
          "license",
          "notifications",
          "builder",
          "schedule");

  private Definitions() {}

  /** A request body as a JSON object. */
  static JsonNode body(byte[] body) {
    if (body.length == 0) {
      throw ApiProblem.badRequest("", "the request has no body: send a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("", "malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiProblem.badRequest("", "unreadable body: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiProblem.badRequest("", "the body must be a JSON object");
    }
    return node;
  }

  /**
   * The definition a JSON object gives; {@code pathName}, when not null, is the name the path gives
   * (the body's may be left out, and must be the same when given).
   */
  static LayerDefinition parse(JsonNode o, String pathName) {
    known(o, "", TOP);
    String name = o.has("name") ? string(o, "", "name", true) : pathName;
    if (name == null) {
      throw ApiProblem.badRequest("/name", "missing field 'name'");
    }
    if (pathName != null && !pathName.equals(name)) {
      throw new ApiProblem(
          409,
          "conflict",
          "the body names layer '" + name + "' but the path names '" + pathName + "'",
          "/name",
          "a layer cannot be renamed: define a new one and delete the old one");
    }
    JsonNode listing = field(o, "", "listing", true);
    if (!listing.isObject()) {
      throw ApiProblem.badRequest("/listing", "'listing' must be an object {filename, content}");
    }
    known(listing, "/listing", Set.of("filename", "content"));
    String filename = string(listing, "/listing", "filename", true);
    String content = string(listing, "/listing", "content", true);
    JsonNode ts = field(o, "", "targets", true);
    if (!ts.isArray()) {
      throw ApiProblem.badRequest("/targets", "'targets' must be an array of {runtime, arch}");
    }
    List<LayerDefinition.Target> targets = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      JsonNode t = ts.get(i);
      String p = "/targets/" + i;
      if (!t.isObject()) {
        throw ApiProblem.badRequest(p, "a target must be an object {runtime, arch}");
      }
      known(t, p, Set.of("runtime", "arch"));
      String runtime = string(t, p, "runtime", true);
      String arch = t.has("arch") ? string(t, p, "arch", true) : "x86_64";
      targets.add(new LayerDefinition.Target(runtime, arch));
    }
    List<String> regions = strings(o, "regions", true);
    List<String> sharing = o.has("sharing") ? strings(o, "sharing", false) : List.of();
    String description = string(o, "", "description", false);
    String license = string(o, "", "license", false);
    Boolean sns = null;
    if (o.has("notifications") && !o.get("notifications").isNull()) {
      JsonNode n = o.get("notifications");
      if (!n.isObject()) {
        throw ApiProblem.badRequest("/notifications", "'notifications' must be an object {sns}");
      }
      known(n, "/notifications", Set.of("sns"));
      if (n.has("sns")) {
        if (!n.get("sns").isBoolean()) {
          throw ApiProblem.badRequest("/notifications/sns", "'sns' must be true or false");
        }
        sns = n.get("sns").booleanValue();
      }
    }
    String builder = string(o, "", "builder", false);
    String schedule = string(o, "", "schedule", false);
    return new LayerDefinition(
        name,
        filename,
        content,
        targets,
        regions,
        sharing,
        description,
        license,
        sns,
        builder,
        schedule);
  }

  /** The stored JSON of a definition that was checked when it was stored. */
  static LayerDefinition stored(String json) {
    try {
      return parse(MAPPER.readTree(json), null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored definition is not JSON", e);
    }
  }

  static String json(LayerDefinition d) {
    return Json.write(tree(d));
  }

  /** The API document of a definition ({@code sns} under {@code notifications}). */
  static java.util.Map<String, Object> tree(LayerDefinition d) {
    java.util.Map<String, Object> m = d.tree();
    Object sns = m.remove("sns");
    Object builder = m.remove("builder");
    Object schedule = m.remove("schedule");
    if (sns != null) {
      m.put("notifications", java.util.Map.of("sns", sns));
    }
    if (builder != null) {
      m.put("builder", builder);
    }
    if (schedule != null) {
      m.put("schedule", schedule);
    }
    return m;
  }

  private static void known(JsonNode o, String pointer, Set<String> keys) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!keys.contains(k)) {
        throw ApiProblem.badRequest(
            pointer + "/" + escape(k),
            "unknown field '"
                + k
                + "' (known: "
                + String.join(", ", new java.util.TreeSet<>(keys))
                + ")");
      }
    }
  }

  private static JsonNode field(JsonNode o, String pointer, String key, boolean required) {
    JsonNode v = o.get(key);
    if ((v == null || v.isNull()) && required) {
      throw ApiProblem.badRequest(pointer + "/" + key, "missing field '" + key + "'");
    }
    return v;
  }

  private static String string(JsonNode o, String pointer, String key, boolean required) {
    JsonNode v = field(o, pointer, key, required);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiProblem.badRequest(pointer + "/" + key, "'" + key + "' must be a string");
    }
    return v.textValue();
  }

  /** A list of strings; a single string counts as a list of one when {@code required} is false. */
  private static List<String> strings(JsonNode o, String key, boolean required) {
    JsonNode v = field(o, "", key, required);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual() && !required) {
      out.add(v.textValue());
      return out;
    }
    if (!v.isArray()) {
      throw ApiProblem.badRequest("/" + key, "'" + key + "' must be an array of strings");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw ApiProblem.badRequest("/" + key + "/" + i, "must be a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
