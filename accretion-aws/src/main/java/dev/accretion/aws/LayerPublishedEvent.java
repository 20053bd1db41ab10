package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The notification sent when a publish creates layer versions: the body of the SNS message (one per
 * new version, on the topic of that version's region) and of the webhook POST (one per publish).
 * Schema {@value #SCHEMA}, UTF-8 JSON, keys in this order:
 *
 * <pre>{@code
 * {
 *   "schema": "accretion.layer-published.v1",
 *   "layer": "my-layer",
 *   "sha256": "<64 hex: the archive; Lambda's CodeSha256 is its base64>",
 *   "contentDigest": "<the build's content digest>",
 *   "compatibleRuntimes": ["python3.12"],
 *   "compatibleArchitectures": ["x86_64"],
 *   "versions": [
 *     {"region": "eu-west-1", "layerVersionArn": "arn:aws:lambda:eu-west-1:123456789012:layer:my-layer:7",
 *      "version": 7, "new": true, "previousVersionArn": "arn:...:6" or null}
 *   ],
 *   "previousSha256": "<64 hex>" or null,
 *   "diff": {"added": [{"name": "idna", "version": "3.10"}],
 *            "removed": [{"name": "chardet", "version": "5.2.0"}],
 *            "changed": [{"name": "requests", "from": "2.31.0", "to": "2.32.3"}]} or null
 * }
 * }</pre>
 *
 * {@code versions} lists every region of the publish that now carries the archive; {@code new} is
 * true where this publish created the version. {@code diff} compares the manifest with the one of
 * the previous version ({@code previousSha256}) in the first region that got a new version; it is
 * null when that manifest is unknown or the diff would not fit SNS's 256 KiB message limit (a first
 * version has every package under {@code added}). Delivery is at least once (SNS is at-least-once,
 * and a rerun after a crash re-sends what was not confirmed): consumers should de-duplicate on
 * {@code layerVersionArn}.
 *
 * <p>SNS message attributes, for subscription filter policies: {@code layer} (String), {@code
 * sha256} (String), {@code runtime} and {@code architecture} (String.Array, the compatible lists;
 * omitted when empty).
 */
public record LayerPublishedEvent(
    String layer,
    String sha256,
    String contentDigest,
    List<String> compatibleRuntimes,
    List<String> compatibleArchitectures,
    List<VersionRef> versions,
    String previousSha256,
    PackageDiff diff) {

  /** The schema id carried in every message. */
  public static final String SCHEMA = "accretion.layer-published.v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One region's version. previousVersionArn may be null. */
  public record VersionRef(
      String region,
      String layerVersionArn,
      long version,
      boolean isNew,
      String previousVersionArn) {}

  public LayerPublishedEvent {
    compatibleRuntimes = List.copyOf(compatibleRuntimes);
    compatibleArchitectures = List.copyOf(compatibleArchitectures);
    versions = List.copyOf(versions);
  }

  /** The JSON document described above. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("layer", layer);
    root.put("sha256", sha256);
    root.put("contentDigest", contentDigest);
    compatibleRuntimes.forEach(root.putArray("compatibleRuntimes")::add);
    compatibleArchitectures.forEach(root.putArray("compatibleArchitectures")::add);
    ArrayNode vs = root.putArray("versions");
    for (VersionRef v : versions) {
      ObjectNode o = vs.addObject();
      o.put("region", v.region());
      o.put("layerVersionArn", v.layerVersionArn());
      o.put("version", v.version());
      o.put("new", v.isNew());
      o.put("previousVersionArn", v.previousVersionArn());
    }
    root.put("previousSha256", previousSha256);
    if (diff == null) {
      root.putNull("diff");
    } else {
      ObjectNode d = root.putObject("diff");
      ArrayNode added = d.putArray("added");
      diff.added()
          .forEach(p -> added.addObject().put("name", p.name()).put("version", p.version()));
      ArrayNode removed = d.putArray("removed");
      diff.removed()
          .forEach(p -> removed.addObject().put("name", p.name()).put("version", p.version()));
      ArrayNode changed = d.putArray("changed");
      diff.changed()
          .forEach(
              c ->
                  changed
                      .addObject()
                      .put("name", c.name())
                      .put("from", c.from())
                      .put("to", c.to()));
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a message produced by {@link #toJson()}.
   *
   * @throws AccretionException if the JSON is not such a message
   */
  public static LayerPublishedEvent parse(String json) throws AccretionException {
    try {
      JsonNode root = JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
      if (root == null || !SCHEMA.equals(root.path("schema").asText())) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, "not an " + SCHEMA + " message: " + abbreviate(json));
      }
      List<VersionRef> versions = new ArrayList<>();
      for (JsonNode v : root.path("versions")) {
        versions.add(
            new VersionRef(
                v.path("region").asText(),
                v.path("layerVersionArn").asText(),
                v.path("version").asLong(),
                v.path("new").asBoolean(),
                v.path("previousVersionArn").isNull()
                    ? null
                    : v.path("previousVersionArn").asText()));
      }
      PackageDiff diff = null;
      JsonNode d = root.path("diff");
      if (d.isObject()) {
        List<PackageVersion> added = new ArrayList<>();
        d.path("added")
            .forEach(
                p ->
                    added.add(
                        new PackageVersion(p.get("name").asText(), p.get("version").asText())));
        List<PackageVersion> removed = new ArrayList<>();
        d.path("removed")
            .forEach(
                p ->
                    removed.add(
                        new PackageVersion(p.get("name").asText(), p.get("version").asText())));
        List<PackageDiff.Change> changed = new ArrayList<>();
        d.path("changed")
            .forEach(
                c ->
                    changed.add(
                        new PackageDiff.Change(
                            c.get("name").asText(), c.get("from").asText(), c.get("to").asText())));
        diff = new PackageDiff(added, removed, changed);
      }
      return new LayerPublishedEvent(
          root.path("layer").asText(),
          root.path("sha256").asText(),
          root.path("contentDigest").asText(),
          strings(root.path("compatibleRuntimes")),
          strings(root.path("compatibleArchitectures")),
          versions,
          root.path("previousSha256").isNull() ? null : root.path("previousSha256").asText(),
          diff);
    } catch (IOException | RuntimeException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read notification " + abbreviate(json) + ": " + e, e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
