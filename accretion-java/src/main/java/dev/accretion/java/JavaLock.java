package dev.accretion.java;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Accretion's Java lock, {@code *.java-lock.json}: the exact artifacts of one resolution with their
 * repository and SHA-256, so that a build from it resolves nothing (each file is fetched from its
 * repository, through settings' mirrors and credentials, and must match the hash). Immutable.
 *
 * <p>Format ({@code "lock-version": 1}; keys sorted, two-space indentation, one trailing newline,
 * artifacts sorted by name then coordinates, so the same resolution always gives the same bytes):
 *
 * <pre>{@code
 * {
 *   "artifacts" : [ {
 *     "artifactId" : "guava",
 *     "classifier" : "",                       // "" when none
 *     "dependencies" : [ "com.google.guava:failureaccess" ],
 *     "direct" : true,                         // only when the listing names it
 *     "extension" : "jar",
 *     "groupId" : "com.google.guava",
 *     "license" : "Apache License, Version 2.0", // optional
 *     "repository" : "central",                // the id mirrors and servers match
 *     "repositoryUrl" : "https://repo.maven.apache.org/maven2/",
 *     "scope" : "compile",                     // or runtime
 *     "sha256" : "…",
 *     "size" : 3043524,
 *     "version" : "33.4.0-jre"                 // a snapshot's timestamped version
 *     "baseVersion" : "33.4.0-jre",            // only when it differs from version
 *   } ],
 *   "generator" : "accretion",
 *   "listing" : "pom.xml",
 *   "lock-version" : 1,
 *   "notes" : [ "…" ],                         // conflicts settled, as in the manifest
 *   "target" : { "architecture" : "x86_64", "runtime" : "java21" }
 * }
 * }</pre>
 *
 * @param listing the file name of the listing it was resolved from
 * @param runtime the runtime id it was resolved for
 * @param architecture the architecture it was resolved for
 * @param artifacts the artifacts
 * @param notes the resolution's notes
 */
record JavaLock(
    String listing,
    String runtime,
    String architecture,
    List<JavaArtifact> artifacts,
    List<String> notes) {

  static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  JavaLock {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(architecture, "architecture");
    artifacts = List.copyOf(artifacts);
    notes = List.copyOf(notes);
  }

  /** The lock as JSON bytes (UTF-8, deterministic). */
  byte[] toBytes() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("artifacts");
    List<JavaArtifact> sorted = new ArrayList<>(artifacts);
    sorted.sort(
        java.util.Comparator.comparing((JavaArtifact a) -> a.coordinates().name())
            .thenComparing(a -> a.coordinates().toString()));
    for (JavaArtifact a : sorted) {
      ObjectNode n = list.addObject();
      MavenCoordinates c = a.coordinates();
      n.put("artifactId", c.artifactId());
      if (!c.baseVersion().equals(c.version())) {
        n.put("baseVersion", c.baseVersion());
      }
      n.put("classifier", c.classifier());
      ArrayNode deps = n.putArray("dependencies");
      a.dependencies().forEach(deps::add);
      if (a.direct()) {
        n.put("direct", true);
      }
      n.put("extension", c.extension());
      n.put("groupId", c.groupId());
      if (a.license() != null) {
        n.put("license", a.license());
      }
      n.put("repository", a.repositoryId());
      n.put("repositoryUrl", a.repositoryUrl());
      n.put("scope", a.scope());
      n.put("sha256", a.sha256());
      n.put("size", a.size());
      n.put("version", c.version());
    }
    root.put("generator", "accretion");
    root.put("listing", listing);
    root.put("lock-version", VERSION);
    ArrayNode n = root.putArray("notes");
    notes.forEach(n::add);
    ObjectNode target = root.putObject("target");
    target.put("architecture", architecture);
    target.put("runtime", runtime);
    try {
      return (JSON.writer().writeValueAsString(sortKeys(root)) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sortKeys(JsonNode node) {
    if (node instanceof ObjectNode o) {
      ObjectNode sorted = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        sorted.set(name, sortKeys(o.get(name)));
      }
      return sorted;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode copy = JSON.createArrayNode();
      a.forEach(e -> copy.add(sortKeys(e)));
      return copy;
    }
    return node;
  }

  /**
   * Reads a lock.
   *
   * @throws AccretionException {@link FailureKind#BAD_INPUT} naming the file and what is wrong
   */
  static JavaLock parse(Path file, byte[] bytes) throws AccretionException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw bad(file, "not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(file, "not a JSON object");
    }
    if (root.path("lock-version").asInt(-1) != VERSION) {
      throw bad(file, "lock-version is " + root.path("lock-version") + ", expected " + VERSION);
    }
    JsonNode list = root.path("artifacts");
    if (!list.isArray()) {
      throw bad(file, "'artifacts' is missing or not a list");
    }
    List<JavaArtifact> artifacts = new ArrayList<>();
    int i = 0;
    for (JsonNode n : list) {
      String where = "artifacts[" + i++ + "]";
      String version = text(file, n, "version", where);
      MavenCoordinates c =
          new MavenCoordinates(
              text(file, n, "groupId", where),
              text(file, n, "artifactId", where),
              text(file, n, "extension", where),
              n.path("classifier").asText(""),
              version,
              n.has("baseVersion") ? text(file, n, "baseVersion", where) : version);
      String sha256 = text(file, n, "sha256", where);
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw bad(file, where + ".sha256 is not a lowercase hex SHA-256: " + sha256);
      }
      String scope = n.path("scope").asText("compile");
      if (!scope.equals("compile") && !scope.equals("runtime")) {
        throw bad(file, where + ".scope is " + scope + ", expected compile or runtime");
      }
      List<String> deps = new ArrayList<>();
      n.path("dependencies").forEach(d -> deps.add(d.asText()));
      artifacts.add(
          new JavaArtifact(
              c,
              scope,
              text(file, n, "repository", where),
              text(file, n, "repositoryUrl", where),
              sha256,
              n.path("size").asLong(-1),
              n.hasNonNull("license") ? n.get("license").asText() : null,
              deps,
              null,
              n.path("direct").asBoolean(false)));
    }
    List<String> notes = new ArrayList<>();
    root.path("notes").forEach(x -> notes.add(x.asText()));
    JsonNode target = root.path("target");
    return new JavaLock(
        root.path("listing").asText(""),
        target.path("runtime").asText(""),
        target.path("architecture").asText(""),
        artifacts,
        notes);
  }

  private static String text(Path file, JsonNode n, String key, String where)
      throws AccretionException {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw bad(file, where + "." + key + " is missing or empty");
    }
    return v.asText();
  }

  private static AccretionException bad(Path file, String what) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        file + ": not a valid Accretion Java lock: " + what,
        "write it again with 'accretion lock' from the pom.xml or coordinates list",
        null);
  }
}
