package dev.accretion.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of one publish: one {@link RegionResult} per requested region, in request order,
 * whether it succeeded or not (partial results are kept with every cause), and the webhooks that
 * could not be notified. Immutable.
 */
public record PublishResult(
    String layerName,
    String sha256Hex,
    String contentDigest,
    List<RegionResult> regions,
    List<String> notificationFailures) {

  public PublishResult {
    regions = List.copyOf(regions);
    notificationFailures = List.copyOf(notificationFailures);
  }

  /** True when every region succeeded (notification failures do not count). */
  public boolean ok() {
    return regions.stream().allMatch(RegionResult::ok);
  }

  /** The regions that failed. */
  public List<RegionResult> failures() {
    return regions.stream().filter(r -> !r.ok()).toList();
  }

  /** The result for one region, or null if it was not part of the request. */
  public RegionResult region(String region) {
    return regions.stream().filter(r -> r.region().equals(region)).findFirst().orElse(null);
  }

  /**
   * The {@code publish --json} document for several layers, exactly the keys of issue 5 when every
   * region succeeded and notified: {@code {"layers": [{"name", "digest" (the archive sha256 hex),
   * "regions": [{"region", "layerVersionArn", "version", "published"}]}]}}. Only when they have
   * something to say: {@code "error"} on a failed region (its {@code layerVersionArn} is then null
   * unless the version exists and a later step failed), {@code "notificationError"} on a region
   * whose SNS message was not sent, and {@code "notificationFailures"} on a layer whose webhooks
   * failed.
   */
  public static String toJson(List<PublishResult> results) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode layers = root.putArray("layers");
    for (PublishResult r : results) {
      ObjectNode layer = layers.addObject();
      layer.put("name", r.layerName());
      layer.put("digest", r.sha256Hex());
      ArrayNode regions = layer.putArray("regions");
      for (RegionResult region : r.regions()) {
        ObjectNode o = regions.addObject();
        o.put("region", region.region());
        o.put("layerVersionArn", region.layerVersionArn());
        o.put("version", region.version());
        o.put("published", region.published());
        if (region.error() != null) {
          o.put("error", region.error());
        }
        if (region.notificationError() != null) {
          o.put("notificationError", region.notificationError());
        }
      }
      if (!r.notificationFailures().isEmpty()) {
        r.notificationFailures().forEach(layer.putArray("notificationFailures")::add);
      }
    }
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
