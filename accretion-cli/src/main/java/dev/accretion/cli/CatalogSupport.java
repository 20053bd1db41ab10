package dev.accretion.cli;

import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.project.ProjectFile;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Shared bits of the commands that read what is published (ls, describe, diff, arn, prune). */
final class CatalogSupport {
  private static final DateTimeFormatter HUMAN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

  private CatalogSupport() {}

  /** The staging bucket pattern of the project layer a Lambda layer belongs to, or the default. */
  static String bucketPattern(Optional<ProjectFile> project, String lambdaName) {
    if (project.isPresent() && lambdaName != null) {
      Optional<ProjectFile.LayerConfig> layer = Regions.layerOf(project.get(), lambdaName);
      if (layer.isPresent() && layer.get().stagingBucketPattern() != null) {
        return layer.get().stagingBucketPattern();
      }
    }
    return PublishRequest.DEFAULT_BUCKET_PATTERN;
  }

  static String human(Instant instant) {
    return instant == null ? "-" : HUMAN.format(instant);
  }

  static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** First 12 hex digits of a sha256, as in the tables. */
  static String shortSha(String sha256) {
    return sha256 == null ? "-" : sha256.substring(0, Math.min(12, sha256.length()));
  }

  static Map<String, Object> json(LayerVersionInfo v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.layerName());
    m.put("region", v.region());
    m.put("version", v.version());
    m.put("layerVersionArn", v.layerVersionArn());
    m.put("created", iso(v.created()));
    m.put("digest", v.sha256());
    m.put("runtimes", v.compatibleRuntimes());
    m.put("architectures", v.compatibleArchitectures());
    return m;
  }
}
