package dev.accretion.aws;

import java.util.List;

/**
 * Who hears about a new layer version.
 *
 * <p>{@code snsTopic}: publish one message per new version to the layer's SNS topic in that
 * version's region. The topic is named {@code accretion-<layer name>} (layer names are {@code
 * [a-zA-Z0-9_-]}, at most 140 characters, so the topic name always fits SNS's {@code
 * [a-zA-Z0-9_-]{1,256}}) and is created if missing (CreateTopic is idempotent). {@code webhooks}:
 * one signed POST per publish that created at least one version. Immutable.
 */
public record Notifications(boolean snsTopic, List<Webhook> webhooks) {
  public Notifications {
    webhooks = List.copyOf(webhooks);
  }

  /** No notifications at all. */
  public static Notifications none() {
    return new Notifications(false, List.of());
  }

  /** The SNS topic per region, no webhooks. */
  public static Notifications sns() {
    return new Notifications(true, List.of());
  }

  /** The SNS topic name for a layer: {@code accretion-<layer name>}. */
  public static String topicName(String layerName) {
    return "accretion-" + layerName;
  }
}
