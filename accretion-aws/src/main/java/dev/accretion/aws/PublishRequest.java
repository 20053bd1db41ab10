package dev.accretion.aws;

import java.nio.file.Path;
import java.util.List;

/**
 * One built layer artifact to publish to one or more regions.
 *
 * <ul>
 *   <li>{@code layerName}: the Lambda layer name, {@code [a-zA-Z0-9_-]{1,140}}.
 *   <li>{@code zip}: the built archive; {@code sha256Hex} its lower-case hex SHA-256 (Lambda's
 *       CodeSha256 is the base64 of the same digest); {@code contentDigest} the build's content
 *       digest (recorded in the manifest copy and the notification; opaque here).
 *   <li>{@code compatibleRuntimes} (at most 15, Lambda identifiers such as {@code python3.12}) and
 *       {@code compatibleArchitectures} ({@code x86_64}, {@code arm64}; at most 2).
 *   <li>{@code description}: free text, may be empty; Accretion appends {@code [accretion
 *       sha256:<hex>]} (see {@link VersionMarker}) and the whole must fit Lambda's 256 characters.
 *   <li>{@code licenseInfo}: may be null; at most 512 characters.
 *   <li>{@code regions}: where to publish; empty means the default region of the environment
 *       ({@code AWS_REGION}, {@code aws.region}, the profile's {@code region}).
 *   <li>{@code sharing}: who may use the versions; {@code stagingBucketPattern}: the regional
 *       bucket's name, where {@code {account}} and {@code {region}} are replaced (default {@link
 *       #DEFAULT_BUCKET_PATTERN}); the result must be a valid S3 bucket name.
 *   <li>{@code manifestJson}: the build manifest (JSON object with a {@code packages} array of
 *       {@code {"name","version"}} objects; the rest is kept as is).
 *   <li>{@code ssmParameterName}: null, or the name pattern of the SSM parameters that receive the
 *       region's latest version ARN after each publish: {@code {runtime}} and {@code {arch}} are
 *       expanded over the compatible runtimes and architectures ({@link SsmParameterNames}).
 *   <li>{@code notifications}: SNS and webhooks.
 * </ul>
 *
 * Immutable apart from the manifest array, which is copied in and out.
 */
public record PublishRequest(
    String layerName,
    Path zip,
    String sha256Hex,
    String contentDigest,
    List<String> compatibleRuntimes,
    List<String> compatibleArchitectures,
    String description,
    String licenseInfo,
    List<String> regions,
    Sharing sharing,
    String stagingBucketPattern,
    byte[] manifestJson,
    String ssmParameterName,
    Notifications notifications) {

  /** One bucket per account and region: {@code accretion-{account}-{region}}. */
  public static final String DEFAULT_BUCKET_PATTERN = "accretion-{account}-{region}";

  /** Null checks and defensive copies; the limits are checked by {@link PublishValidation}. */
  public PublishRequest {
    if (layerName == null || zip == null || sha256Hex == null || manifestJson == null) {
      throw new IllegalArgumentException("layerName, zip, sha256Hex and manifestJson are required");
    }
    contentDigest = contentDigest == null ? "" : contentDigest;
    compatibleRuntimes = List.copyOf(compatibleRuntimes);
    compatibleArchitectures = List.copyOf(compatibleArchitectures);
    description = description == null ? "" : description;
    regions = List.copyOf(regions);
    sharing = sharing == null ? Sharing.privateOnly() : sharing;
    stagingBucketPattern =
        stagingBucketPattern == null ? DEFAULT_BUCKET_PATTERN : stagingBucketPattern;
    manifestJson = manifestJson.clone();
    notifications = notifications == null ? Notifications.none() : notifications;
  }

  @Override
  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  /** A copy publishing to other regions. */
  public PublishRequest withRegions(List<String> newRegions) {
    return new PublishRequest(
        layerName,
        zip,
        sha256Hex,
        contentDigest,
        compatibleRuntimes,
        compatibleArchitectures,
        description,
        licenseInfo,
        newRegions,
        sharing,
        stagingBucketPattern,
        manifestJson,
        ssmParameterName,
        notifications);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishRequest other
        && layerName.equals(other.layerName)
        && zip.equals(other.zip)
        && sha256Hex.equals(other.sha256Hex)
        && contentDigest.equals(other.contentDigest)
        && compatibleRuntimes.equals(other.compatibleRuntimes)
        && compatibleArchitectures.equals(other.compatibleArchitectures)
        && description.equals(other.description)
        && java.util.Objects.equals(licenseInfo, other.licenseInfo)
        && regions.equals(other.regions)
        && sharing.equals(other.sharing)
        && stagingBucketPattern.equals(other.stagingBucketPattern)
        && java.util.Arrays.equals(manifestJson, other.manifestJson)
        && java.util.Objects.equals(ssmParameterName, other.ssmParameterName)
        && notifications.equals(other.notifications);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(layerName, sha256Hex, regions);
  }

  @Override
  public String toString() {
    return "PublishRequest[" + layerName + " sha256:" + sha256Hex + " regions=" + regions + "]";
  }
}
