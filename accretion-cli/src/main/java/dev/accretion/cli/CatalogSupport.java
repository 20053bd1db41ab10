package dev.accretion.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the read commands (ls, describe, diff, arn, prune) show times and digests in tables. */
final class CatalogSupport {
  private static final DateTimeFormatter HUMAN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

  private CatalogSupport() {}

  static String human(Instant instant) {
    return instant == null ? "-" : HUMAN.format(instant);
  }

  /** First 12 hex digits of a sha256, as in the tables. */
  static String shortSha(String sha256) {
    return sha256 == null ? "-" : sha256.substring(0, Math.min(12, sha256.length()));
  }
}
