package dev.accretion.app.publish;

import dev.accretion.app.Json;
import dev.accretion.aws.PublishResult;
import dev.accretion.aws.RegionResult;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a publish did: one entry per Lambda layer, each with every region's outcome, failed regions
 * included (one region's failure doesn't undo another's; a rerun finishes what is missing).
 * Immutable.
 */
public record PublishReport(List<Layer> layers) {
  public PublishReport {
    layers = List.copyOf(layers);
  }

  /**
   * One Lambda layer.
   *
   * @param name the Lambda layer name
   * @param digest the archive's sha256 (hex)
   * @param regions each region's outcome, in request order
   * @param notificationFailures webhooks that could not be notified (not a failure of the publish)
   */
  public record Layer(
      String name, String digest, List<Region> regions, List<String> notificationFailures) {
    public Layer {
      Objects.requireNonNull(name, "name");
      regions = List.copyOf(regions);
      notificationFailures = List.copyOf(notificationFailures);
    }
  }

  /**
   * One region's outcome.
   *
   * @param layerVersionArn the version now carrying the artifact; null when the region failed
   *     before one existed
   * @param version its number, 0 when there is none
   * @param published true when this run created it, false when it was already there
   * @param error what failed and what to do, or null
   * @param notificationError why the SNS message was not sent, or null
   */
  public record Region(
      String region,
      String layerVersionArn,
      long version,
      boolean published,
      String error,
      String notificationError) {
    public boolean ok() {
      return error == null;
    }
  }

  static PublishReport of(List<PublishResult> results) {
    List<Layer> layers = new ArrayList<>();
    for (PublishResult r : results) {
      List<Region> regions = new ArrayList<>();
      for (RegionResult g : r.regions()) {
        regions.add(
            new Region(
                g.region(),
                g.layerVersionArn(),
                g.version(),
                g.published(),
                g.error(),
                g.notificationError()));
      }
      layers.add(new Layer(r.layerName(), r.sha256Hex(), regions, r.notificationFailures()));
    }
    return new PublishReport(layers);
  }

  /** True when every region of every layer succeeded (notification failures do not count). */
  public boolean ok() {
    return layers.stream().allMatch(l -> l.regions().stream().allMatch(Region::ok));
  }

  /**
   * Why the publish is a failure, if a region failed: an {@link FailureKind#AWS} failure counting
   * them (each region's error is in {@link #layers}; the other regions are kept).
   */
  public Optional<AccretionException> failure() {
    long failed = layers.stream().flatMap(l -> l.regions().stream()).filter(g -> !g.ok()).count();
    long all = layers.stream().mapToLong(l -> l.regions().size()).sum();
    return failed == 0
        ? Optional.empty()
        : Optional.of(
            new AccretionException(
                FailureKind.AWS,
                failed + " of " + all + (all == 1 ? " region" : " regions") + " failed",
                "rerun to finish them; the others are kept",
                null));
  }

  /**
   * The documented {@code publish --json} document: {@code {"layers": [{"name", "digest",
   * "regions": [{"region", "layerVersionArn", "version", "published"}]}]}}; only when they have
   * something to say, {@code "error"} and {@code "notificationError"} on a region and {@code
   * "notificationFailures"} on a layer.
   */
  public String toJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Layer l : layers) {
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("name", l.name());
      layer.put("digest", l.digest());
      List<Map<String, Object>> regions = new ArrayList<>();
      for (Region g : l.regions()) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("region", g.region());
        o.put("layerVersionArn", g.layerVersionArn());
        o.put("version", g.version());
        o.put("published", g.published());
        if (g.error() != null) {
          o.put("error", g.error());
        }
        if (g.notificationError() != null) {
          o.put("notificationError", g.notificationError());
        }
        regions.add(o);
      }
      layer.put("regions", regions);
      if (!l.notificationFailures().isEmpty()) {
        layer.put("notificationFailures", l.notificationFailures());
      }
      list.add(layer);
    }
    return Json.write(Map.of("layers", list));
  }
}
