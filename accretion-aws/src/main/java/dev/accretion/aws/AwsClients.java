package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of one publisher or catalog, one set per region, built lazily and shared by the
 * region workers (SDK clients are thread-safe). All share one Apache HTTP client, which the SDK
 * builds with automatic retries disabled, so no request is ever resent below the SDK's retry
 * strategy.
 *
 * <p>Two retry policies: every call uses the standard strategy (6 attempts, exponential backoff
 * with full jitter, throttling such as HTTP 429 / {@code TooManyRequestsException} backs off
 * longer) except PublishLayerVersion, which is not idempotent and goes through a client that never
 * retries; {@link RegionPublisher} decides itself whether to try again, after reconciling.
 */
final class AwsClients implements AutoCloseable {
  private final AwsSettings settings;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final boolean pathStyle;
  private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

  AwsClients(AwsSettings settings) {
    this.settings = settings;
    this.credentials = credentialsProvider(settings);
    this.http =
        Apache5HttpClient.builder()
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    this.pathStyle = settings.endpointOverride() != null || endpointFromEnvironment();
  }

  private static boolean endpointFromEnvironment() {
    // The SDK's standard endpoint settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 and the matching
    // system properties); emulators behind them cannot serve virtual-hosted bucket names.
    return present(System.getenv("AWS_ENDPOINT_URL"))
        || present(System.getenv("AWS_ENDPOINT_URL_S3"))
        || present(System.getProperty("aws.endpointUrl"))
        || present(System.getProperty("aws.endpointUrlS3"));
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static AwsCredentialsProvider credentialsProvider(AwsSettings settings) {
    if (settings.accessKeyId() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
    if (settings.profile() != null) {
      return ProfileCredentialsProvider.builder().profileName(settings.profile()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * Resolves the credentials once, before any side effect.
   *
   * @throws AccretionException naming the standard ways to provide credentials
   */
  void checkCredentials() throws AccretionException {
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException | IllegalStateException e) {
      throw new AccretionException(
          "no AWS credentials found"
              + (settings.profile() == null ? "" : " for profile '" + settings.profile() + "'")
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for"
              + " temporary ones), or AWS_PROFILE naming a profile in ~/.aws/credentials or"
              + " ~/.aws/config, or run where an IAM role is available ("
              + firstLine(e.getMessage())
              + ")",
          e);
    }
  }

  /**
   * The region of the environment, without asking the instance metadata service: {@code
   * aws.region}, {@code AWS_REGION}, then the profile's {@code region}.
   */
  String defaultRegion() throws AccretionException {
    try {
      AwsRegionProviderChain chain =
          settings.profile() == null
              ? new AwsRegionProviderChain(
                  new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
              : new AwsRegionProviderChain(
                  new SystemSettingsRegionProvider(),
                  new AwsProfileRegionProvider(null, settings.profile()));
      return chain.getRegion().id();
    } catch (SdkClientException e) {
      throw new AccretionException(
          "no AWS region given: list the regions to publish to, or set AWS_REGION (or the"
              + " 'region' of your AWS_PROFILE in ~/.aws/config)",
          e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  LambdaClient lambda(String region) {
    return (LambdaClient)
        clients.computeIfAbsent(
            "lambda/" + region,
            k -> configure(LambdaClient.builder(), region, standardRetries()).build());
  }

  /** The Lambda client for PublishLayerVersion only: no retries, a time limit per attempt. */
  LambdaClient lambdaNoRetry(String region) {
    return (LambdaClient)
        clients.computeIfAbsent(
            "lambda-publish/" + region,
            k -> {
              software.amazon.awssdk.services.lambda.LambdaClientBuilder b =
                  configure(LambdaClient.builder(), region, AwsRetryStrategy.doNotRetry());
              b.overrideConfiguration(
                  o ->
                      o.retryStrategy(AwsRetryStrategy.doNotRetry())
                          .apiCallAttemptTimeout(settings.effectivePublishTimeout())
                          .apiCallTimeout(settings.effectivePublishTimeout()));
              return b.build();
            });
  }

  S3Client s3(String region) {
    return (S3Client)
        clients.computeIfAbsent(
            "s3/" + region,
            k ->
                configure(S3Client.builder(), region, standardRetries())
                    .forcePathStyle(pathStyle)
                    .build());
  }

  SnsClient sns(String region) {
    return (SnsClient)
        clients.computeIfAbsent(
            "sns/" + region,
            k -> configure(SnsClient.builder(), region, standardRetries()).build());
  }

  SsmClient ssm(String region) {
    return (SsmClient)
        clients.computeIfAbsent(
            "ssm/" + region,
            k -> configure(SsmClient.builder(), region, standardRetries()).build());
  }

  StsClient sts(String region) {
    return (StsClient)
        clients.computeIfAbsent(
            "sts/" + region,
            k -> configure(StsClient.builder(), region, standardRetries()).build());
  }

  private RetryStrategy standardRetries() {
    Duration base = settings.effectiveRetryBaseDelay();
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(6)
        .circuitBreakerEnabled(false)
        .backoffStrategy(BackoffStrategy.exponentialDelay(base, base.multipliedBy(50)))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(base.multipliedBy(2), base.multipliedBy(100)))
        .build();
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(
      B builder, String region, RetryStrategy retries) {
    builder.region(Region.of(region)).credentialsProvider(credentials);
    if (builder
        instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(http);
    }
    builder.overrideConfiguration(o -> o.retryStrategy(retries));
    if (settings.endpointOverride() != null) {
      builder.endpointOverride(settings.endpointOverride());
    }
    return builder;
  }

  @Override
  public void close() {
    clients.values().forEach(SdkClient::close);
    clients.clear();
    http.close();
  }
}
