package dev.accretion.aws;

import java.net.URI;
import java.time.Duration;

/**
 * How Accretion reaches AWS. Every component is optional (null means "the standard way"):
 *
 * <ul>
 *   <li>{@code endpointOverride}: one endpoint for every service (an emulator such as moto). When
 *       null the SDK's own configuration applies, including the standard {@code AWS_ENDPOINT_URL}
 *       and service-specific {@code AWS_ENDPOINT_URL_<SERVICE>} variables and the {@code
 *       endpoint_url} profile setting. Whenever an endpoint is overridden (here or by those
 *       variables) S3 is addressed path-style, because emulators on an IP address cannot serve
 *       virtual-hosted bucket names.
 *   <li>{@code profile}: a named profile of {@code ~/.aws/config} / {@code ~/.aws/credentials};
 *       null uses {@code AWS_PROFILE} or the default chain.
 *   <li>{@code accessKeyId} / {@code secretAccessKey}: static credentials (both or neither); null
 *       uses the SDK's default credential chain (environment {@code AWS_ACCESS_KEY_ID} / {@code
 *       AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}, system properties, profile, SSO, web
 *       identity, container and instance roles).
 *   <li>{@code publishTimeout}: the time limit of one PublishLayerVersion attempt; null means 5
 *       minutes. Publishing from S3 can take a while for a large layer; a request that outlives
 *       this limit is treated as ambiguous and reconciled.
 *   <li>{@code retryBaseDelay}: the base of the exponential backoff of retried calls (throttling
 *       and transient faults); null means 200 ms. Tests use a small value.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public record AwsSettings(
    URI endpointOverride,
    String profile,
    String accessKeyId,
    String secretAccessKey,
    Duration publishTimeout,
    Duration retryBaseDelay) {

  public AwsSettings {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "static credentials need both an access key id and a secret access key");
    }
    if (endpointOverride != null && endpointOverride.getScheme() == null) {
      throw new IllegalArgumentException(
          "endpoint override '"
              + endpointOverride
              + "' needs a scheme, like http://127.0.0.1:5000");
    }
  }

  /** The standard chains for everything: credentials, region, endpoints. */
  public static AwsSettings standard() {
    return new AwsSettings(null, null, null, null, null, null);
  }

  /** An emulator endpoint with static (dummy) credentials, as tests and local runs use. */
  public static AwsSettings emulator(URI endpoint, String accessKeyId, String secretAccessKey) {
    return new AwsSettings(endpoint, null, accessKeyId, secretAccessKey, null, null);
  }

  /** A copy with another publish timeout. */
  public AwsSettings withPublishTimeout(Duration timeout) {
    return new AwsSettings(
        endpointOverride, profile, accessKeyId, secretAccessKey, timeout, retryBaseDelay);
  }

  /** A copy with another retry base delay. */
  public AwsSettings withRetryBaseDelay(Duration delay) {
    return new AwsSettings(
        endpointOverride, profile, accessKeyId, secretAccessKey, publishTimeout, delay);
  }

  /** A copy with another endpoint override (null for the standard resolution). */
  public AwsSettings withEndpointOverride(URI endpoint) {
    return new AwsSettings(
        endpoint, profile, accessKeyId, secretAccessKey, publishTimeout, retryBaseDelay);
  }

  Duration effectivePublishTimeout() {
    return publishTimeout == null ? Duration.ofMinutes(5) : publishTimeout;
  }

  Duration effectiveRetryBaseDelay() {
    return retryBaseDelay == null ? Duration.ofMillis(200) : retryBaseDelay;
  }
}
