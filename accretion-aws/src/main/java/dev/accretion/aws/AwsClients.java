package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
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
  private final Map<String, String> environment;

  AwsClients(AwsSettings settings) {
    this.settings = settings;
    this.environment = settings.environment();
    this.credentials = credentialsProvider(settings);
    this.http =
        Apache5HttpClient.builder()
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    this.pathStyle = settings.endpointOverride() != null || endpointFromEnvironment();
  }

  private boolean endpointFromEnvironment() {
    if (environment != null) {
      return present(environment.get("AWS_ENDPOINT_URL"))
          || present(environment.get("AWS_ENDPOINT_URL_S3"));
    }
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

  private AwsCredentialsProvider credentialsProvider(AwsSettings settings) {
    if (settings.accessKeyId() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
    if (environment != null) {
      return environmentCredentials(settings);
    }
    if (settings.profile() != null) {
      return ProfileCredentialsProvider.builder().profileName(settings.profile()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * The default chain's order with every setting read from the given environment: keys, then the
   * profile, then web identity, container and instance roles.
   */
  private AwsCredentialsProvider environmentCredentials(AwsSettings settings) {
    String key = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    if (settings.profile() == null && (present(key) || present(secret))) {
      if (!present(key) || !present(secret)) {
        String problem =
            (present(key)
                    ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
                + ": set both, or neither to use a profile or a role";
        return () -> {
          throw new IllegalStateException(problem);
        };
      }
      String token = environment.get("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(
          present(token)
              ? AwsSessionCredentials.create(key, secret, token)
              : AwsBasicCredentials.create(key, secret));
    }
    String profileName = profileName();
    ProfileFile files = profileFile();
    if (settings.profile() != null
        || present(environment.get("AWS_PROFILE"))
        || files.profile(profileName).isPresent()) {
      return ProfileCredentialsProvider.builder()
          .profileFile(files)
          .profileName(profileName)
          .build();
    }
    List<AwsCredentialsProvider> chain = new ArrayList<>();
    String tokenFile = environment.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    String roleArn = environment.get("AWS_ROLE_ARN");
    if (present(tokenFile) && present(roleArn)) {
      chain.add(
          WebIdentityTokenFileCredentialsProvider.builder()
              .webIdentityTokenFile(Path.of(tokenFile))
              .roleArn(roleArn)
              .roleSessionName(
                  present(environment.get("AWS_ROLE_SESSION_NAME"))
                      ? environment.get("AWS_ROLE_SESSION_NAME")
                      : "accretion")
              .build());
    }
    if (present(environment.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
        || present(environment.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"))) {
      chain.add(ContainerCredentialsProvider.builder().build());
    }
    if (!"true".equalsIgnoreCase(environment.getOrDefault("AWS_EC2_METADATA_DISABLED", ""))) {
      chain.add(InstanceProfileCredentialsProvider.builder().build());
    }
    if (chain.isEmpty()) {
      String problem = "no keys, no profile '" + profileName + "' and no role configured";
      return () -> {
        throw new IllegalStateException(problem);
      };
    }
    return AwsCredentialsProviderChain.builder()
        .credentialsProviders(chain)
        .reuseLastProviderEnabled(true)
        .build();
  }

  private String profileName() {
    if (settings.profile() != null) {
      return settings.profile();
    }
    for (String name : List.of("AWS_PROFILE", "AWS_DEFAULT_PROFILE")) {
      if (present(environment.get(name))) {
        return environment.get(name).strip();
      }
    }
    return "default";
  }

  /** {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE} of the environment. */
  private ProfileFile profileFile() {
    Path home = home();
    ProfileFile.Aggregator files = ProfileFile.aggregator();
    Path config = path(environment.get("AWS_CONFIG_FILE"), home.resolve(".aws/config"), home);
    Path creds =
        path(
            environment.get("AWS_SHARED_CREDENTIALS_FILE"), home.resolve(".aws/credentials"), home);
    if (Files.isRegularFile(config)) {
      files.addFile(
          ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
    }
    if (Files.isRegularFile(creds)) {
      files.addFile(
          ProfileFile.builder().content(creds).type(ProfileFile.Type.CREDENTIALS).build());
    }
    return files.build();
  }

  private Path home() {
    if (settings.home() != null) {
      return settings.home();
    }
    String home = environment.get("HOME");
    return Path.of(present(home) ? home : System.getProperty("user.home"));
  }

  private static Path path(String value, Path fallback, Path home) {
    if (!present(value)) {
      return fallback;
    }
    // The SDKs expand a leading ~ in these variables.
    if (value.equals("~") || value.startsWith("~/")) {
      return home.resolve(value.substring(Math.min(2, value.length())));
    }
    return Path.of(value);
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
      String profile = settings.profile();
      if (profile == null && environment != null && present(environment.get("AWS_PROFILE"))) {
        profile = environment.get("AWS_PROFILE");
      }
      throw new AccretionException(
          FailureKind.AWS,
          "no AWS credentials found"
              + (profile == null ? "" : " for profile '" + profile + "'")
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
   * aws.region}, {@code AWS_REGION}, then the profile's {@code region}. With a given environment:
   * its {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then the profile's {@code region}.
   */
  String defaultRegion() throws AccretionException {
    if (environment != null) {
      for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
        if (present(environment.get(name))) {
          return environment.get(name).strip();
        }
      }
      Optional<String> fromProfile =
          profileFile().profile(profileName()).flatMap(p -> p.property("region"));
      if (fromProfile.isPresent() && present(fromProfile.get())) {
        return fromProfile.get().strip();
      }
      throw new AccretionException(
          FailureKind.AWS,
          "no AWS region given: list the regions to publish to, or set AWS_REGION (or the"
              + " 'region' of your AWS_PROFILE in ~/.aws/config)");
    }
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
          FailureKind.AWS,
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
            k -> configure(LambdaClient.builder(), region, standardRetries(), "LAMBDA").build());
  }

  /** The Lambda client for PublishLayerVersion only: no retries, a time limit per attempt. */
  LambdaClient lambdaNoRetry(String region) {
    return (LambdaClient)
        clients.computeIfAbsent(
            "lambda-publish/" + region,
            k -> {
              software.amazon.awssdk.services.lambda.LambdaClientBuilder b =
                  configure(
                      LambdaClient.builder(), region, AwsRetryStrategy.doNotRetry(), "LAMBDA");
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
                configure(S3Client.builder(), region, standardRetries(), "S3")
                    .forcePathStyle(pathStyle)
                    .build());
  }

  SnsClient sns(String region) {
    return (SnsClient)
        clients.computeIfAbsent(
            "sns/" + region,
            k -> configure(SnsClient.builder(), region, standardRetries(), "SNS").build());
  }

  SsmClient ssm(String region) {
    return (SsmClient)
        clients.computeIfAbsent(
            "ssm/" + region,
            k -> configure(SsmClient.builder(), region, standardRetries(), "SSM").build());
  }

  SqsClient sqs(String region) {
    return (SqsClient)
        clients.computeIfAbsent(
            "sqs/" + region,
            k -> configure(SqsClient.builder(), region, standardRetries(), "SQS").build());
  }

  StsClient sts(String region) {
    return (StsClient)
        clients.computeIfAbsent(
            "sts/" + region,
            k -> configure(StsClient.builder(), region, standardRetries(), "STS").build());
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
      B builder, String region, RetryStrategy retries, String service) {
    builder.region(Region.of(region)).credentialsProvider(credentials);
    if (builder
        instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(http);
    }
    builder.overrideConfiguration(o -> o.retryStrategy(retries));
    URI endpoint = endpoint(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  /**
   * Where a service's calls go in a region, for messages: the endpoint URL and the setting that
   * chose it ({@code --endpoint-url}, {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL},
   * or null for AWS's own regional endpoint).
   */
  record Endpoint(String url, String configuredBy) {
    /** What to check when the endpoint cannot be reached. */
    String advice() {
      return configuredBy == null
          ? "check the network connection to AWS (and set AWS_ENDPOINT_URL or --endpoint-url if"
              + " you meant to use an emulator)"
          : "check " + configuredBy + " and that the endpoint is up, and the network";
    }
  }

  /**
   * The endpoint of {@code service} (LAMBDA, S3, SNS, SSM, STS) in a region; see {@link Endpoint}.
   */
  Endpoint endpointOf(String service, String region) {
    if (settings.endpointOverride() != null) {
      return new Endpoint(settings.endpointOverride().toString(), "--endpoint-url");
    }
    if (environment != null) {
      for (String name : List.of("AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL")) {
        if (present(environment.get(name))) {
          return new Endpoint(environment.get(name).strip(), name);
        }
      }
    } else {
      for (String name : List.of("AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL")) {
        if (present(System.getenv(name))) {
          return new Endpoint(System.getenv(name).strip(), name);
        }
      }
    }
    return new Endpoint(
        "https://" + service.toLowerCase(java.util.Locale.ROOT) + "." + region + ".amazonaws.com",
        null);
  }

  /** The explicit endpoint, else the environment's service-specific one, else its global one. */
  private URI endpoint(String service) {
    if (settings.endpointOverride() != null || environment == null) {
      return settings.endpointOverride();
    }
    try {
      URI specific = AwsSettings.endpoint(environment, "AWS_ENDPOINT_URL_" + service);
      return specific != null ? specific : AwsSettings.endpoint(environment, "AWS_ENDPOINT_URL");
    } catch (AccretionException e) {
      // AwsSettings.fromEnvironment checked every endpoint variable already.
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(SdkClient::close);
    clients.clear();
    http.close();
  }
}
