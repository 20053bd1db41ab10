package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How Accretion reaches AWS. Every component is optional (null means "the standard way"); explicit
 * components win over {@code environment}, which wins over the SDK's own defaults:
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
 *   <li>{@code environment} and {@code home}: when {@code environment} is not null, the standard
 *       AWS variables are read from this map instead of the process environment (a CLI run
 *       in-process, a server that configures AWS per tenant): {@code AWS_ENDPOINT_URL} and {@code
 *       AWS_ENDPOINT_URL_<SERVICE>} (LAMBDA, S3, SNS, SSM, STS, SQS); {@code AWS_ACCESS_KEY_ID},
 *       {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}; {@code AWS_PROFILE} (or {@code
 *       AWS_DEFAULT_PROFILE}); {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}, as the AWS CLI
 *       reads it); {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE} (default {@code
 *       <home>/.aws/config} and {@code <home>/.aws/credentials}); {@code
 *       AWS_WEB_IDENTITY_TOKEN_FILE} with {@code AWS_ROLE_ARN}; {@code
 *       AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}/{@code _FULL_URI} enable the container provider;
 *       {@code AWS_EC2_METADATA_DISABLED=true} keeps the instance metadata service out of the
 *       credential chain. {@code home} may be null (then {@code HOME} of the map, else the JVM's
 *       user home).
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
    Duration retryBaseDelay,
    Map<String, String> environment,
    Path home) {

  /** The service names of {@code AWS_ENDPOINT_URL_<SERVICE>} that Accretion uses. */
  static final java.util.List<String> SERVICES =
      java.util.List.of("LAMBDA", "S3", "SNS", "SSM", "STS", "SQS");

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
    environment = environment == null ? null : Map.copyOf(environment);
  }

  /** The standard chains for everything: credentials, region, endpoints. */
  public static AwsSettings standard() {
    return new AwsSettings(null, null, null, null, null, null, null, null);
  }

  /** An emulator endpoint with static (dummy) credentials, as tests and local runs use. */
  public static AwsSettings emulator(URI endpoint, String accessKeyId, String secretAccessKey) {
    return new AwsSettings(endpoint, null, accessKeyId, secretAccessKey, null, null, null, null);
  }

  /**
   * The standard AWS configuration read from {@code environment} (see the class comment) instead of
   * the process environment. The endpoint variables are checked here.
   *
   * @param home the user's home for {@code ~/.aws}; null means {@code HOME} of the map, else the
   *     JVM's user home
   * @throws AccretionException if an {@code AWS_ENDPOINT_URL*} variable is not an absolute URL
   */
  public static AwsSettings fromEnvironment(Map<String, String> environment, Path home)
      throws AccretionException {
    Map<String, String> env = new TreeMap<>();
    environment.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            env.put(k, v);
          }
        });
    for (String name : env.keySet()) {
      if (name.equals("AWS_ENDPOINT_URL") || name.startsWith("AWS_ENDPOINT_URL_")) {
        endpoint(env, name);
      }
    }
    return new AwsSettings(null, null, null, null, null, null, env, home);
  }

  /** An endpoint variable of the map, or null when unset or blank. */
  static URI endpoint(Map<String, String> env, String name) throws AccretionException {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(value.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(value, "needs a scheme and a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          name + "='" + value + "' is not an endpoint URL: write it like http://127.0.0.1:5000");
    }
  }

  /** A copy with another publish timeout. */
  public AwsSettings withPublishTimeout(Duration timeout) {
    return new AwsSettings(
        endpointOverride,
        profile,
        accessKeyId,
        secretAccessKey,
        timeout,
        retryBaseDelay,
        environment,
        home);
  }

  /** A copy with another retry base delay. */
  public AwsSettings withRetryBaseDelay(Duration delay) {
    return new AwsSettings(
        endpointOverride,
        profile,
        accessKeyId,
        secretAccessKey,
        publishTimeout,
        delay,
        environment,
        home);
  }

  /** A copy with another endpoint override (null for the standard resolution). */
  public AwsSettings withEndpointOverride(URI endpoint) {
    return new AwsSettings(
        endpoint,
        profile,
        accessKeyId,
        secretAccessKey,
        publishTimeout,
        retryBaseDelay,
        environment,
        home);
  }

  /** A copy with another named profile (null for the standard resolution). */
  public AwsSettings withProfile(String newProfile) {
    return new AwsSettings(
        endpointOverride,
        newProfile,
        accessKeyId,
        secretAccessKey,
        publishTimeout,
        retryBaseDelay,
        environment,
        home);
  }

  @Override
  public String toString() {
    // never print the secret key or the environment (it holds credentials)
    return "AwsSettings[endpoint="
        + endpointOverride
        + ", profile="
        + profile
        + (accessKeyId == null ? "" : ", static credentials")
        + (environment == null ? "" : ", from a given environment")
        + "]";
  }

  Duration effectivePublishTimeout() {
    return publishTimeout == null ? Duration.ofMinutes(5) : publishTimeout;
  }

  Duration effectiveRetryBaseDelay() {
    return retryBaseDelay == null ? Duration.ofMillis(200) : retryBaseDelay;
  }
}
