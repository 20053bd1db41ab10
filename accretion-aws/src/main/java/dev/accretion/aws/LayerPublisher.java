package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The Layer Creator and Region Replicator: publishes one built artifact to every requested region
 * in parallel, creating a new layer version only where the newest version does not already carry
 * the same archive, then notifies.
 *
 * <p>Guarantees: a region's failure neither stops nor undoes the others, and the result keeps every
 * region's outcome and cause; rerunning the same request after any crash or partial failure
 * finishes what is missing and never creates a second version of the same archive (see {@link
 * RegionPublisher} for the reconcile and de-duplication rules); two publishers racing on the same
 * layer end with one version per region.
 *
 * <p>Thread-safe; one instance may serve many publishes. Close it to release its HTTP connections.
 */
public final class LayerPublisher implements AutoCloseable {
  // SNS: 262,144 bytes for the message and its attributes together; keep a margin.
  private static final int MAX_MESSAGE_BYTES = 240_000;

  private final AwsSettings settings;
  private final AwsClients clients;
  private volatile String cachedAccount;

  public LayerPublisher(AwsSettings settings) {
    this.settings = settings;
    this.clients = new AwsClients(settings);
  }

  /**
   * Publishes the artifact.
   *
   * @return one result per region (failed regions included)
   * @throws AccretionException before any side effect, when the request is invalid, credentials or
   *     region are missing, or the account cannot be identified
   */
  public PublishResult publish(PublishRequest request, PublishListener listener)
      throws AccretionException {
    List<String> regions = check(request);
    clients.checkCredentials();
    String account = request.stagingBucketPattern().contains("{account}") ? account(regions) : "";

    Map<String, RegionPublisher.Outcome> outcomes = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(regions.size(), 16));
    try {
      Map<String, Future<RegionPublisher.Outcome>> futures = new LinkedHashMap<>();
      for (String region : regions) {
        String bucket = StagingBucket.name(request.stagingBucketPattern(), account, region);
        RegionPublisher worker =
            new RegionPublisher(clients, settings, request, region, bucket, listener);
        futures.put(region, pool.submit(worker::run));
      }
      for (Map.Entry<String, Future<RegionPublisher.Outcome>> f : futures.entrySet()) {
        try {
          outcomes.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          outcomes.put(
              f.getKey(),
              new RegionPublisher.Outcome(
                  RegionResult.failed(
                      f.getKey(), "unexpected failure in " + f.getKey() + ": " + e.getCause()),
                  false,
                  null,
                  null));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AccretionException("publish of " + request.layerName() + " interrupted", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> webhookFailures = new ArrayList<>();
    Map<String, RegionResult> results = notify(request, account, outcomes, webhookFailures);
    results.values().forEach(listener::regionFinished);
    return new PublishResult(
        request.layerName(),
        request.sha256Hex(),
        request.contentDigest(),
        new ArrayList<>(results.values()),
        webhookFailures);
  }

  /**
   * Checks a request as {@link #publish} does before any side effect, without touching AWS: the
   * limits of {@link PublishValidation}, with an empty region list resolved to the environment's
   * default region.
   *
   * @return the regions the request publishes to
   * @throws AccretionException naming every problem
   */
  public List<String> check(PublishRequest request) throws AccretionException {
    List<String> regions =
        request.regions().isEmpty() ? List.of(clients.defaultRegion()) : request.regions();
    PublishValidation.check(request, regions);
    return regions;
  }

  /**
   * Resolves the credentials without sending anything to AWS (a profile with SSO or a role may ask
   * its own service).
   *
   * @throws AccretionException naming the standard ways to provide credentials
   */
  public void checkCredentials() throws AccretionException {
    clients.checkCredentials();
  }

  /**
   * The environment's default region (see {@link AwsSettings}), without asking any service.
   *
   * @throws AccretionException when none is configured, naming {@code AWS_REGION}
   */
  public String defaultRegion() throws AccretionException {
    return clients.defaultRegion();
  }

  private String account(List<String> regions) throws AccretionException {
    // The credentials of a publisher never change, so neither does the account: one
    // GetCallerIdentity per publisher, not per publish (a project publishes many layers).
    String known = cachedAccount;
    if (known != null) {
      return known;
    }
    try {
      String found = clients.sts(regions.get(0)).getCallerIdentity().account();
      cachedAccount = found;
      return found;
    } catch (SdkException e) {
      String unreachable = AwsErrors.unreachableCause(e);
      if (unreachable != null) {
        // Nothing reached AWS: the credentials are not the question.
        AwsClients.Endpoint endpoint = clients.endpointOf("STS", regions.get(0));
        throw new AccretionException(
            FailureKind.AWS,
            "cannot reach the AWS endpoint "
                + endpoint.url()
                + " (sts:GetCallerIdentity in "
                + regions.get(0)
                + ", to name the staging bucket): "
                + unreachable,
            endpoint.advice(),
            e);
      }
      throw new AccretionException(
          FailureKind.AWS,
          "cannot identify the AWS account (sts:GetCallerIdentity in "
              + regions.get(0)
              + "): "
              + AwsErrors.message(e),
          "check the credentials, or use a staging bucket pattern without {account}",
          e);
    }
  }

  /** Sends SNS messages and webhooks for new versions; records what was sent. */
  private Map<String, RegionResult> notify(
      PublishRequest request,
      String account,
      Map<String, RegionPublisher.Outcome> outcomes,
      List<String> webhookFailures) {
    Map<String, RegionResult> results = new LinkedHashMap<>();
    outcomes.forEach((region, o) -> results.put(region, o.result()));
    List<String> toNotify =
        outcomes.entrySet().stream()
            .filter(e -> e.getValue().result().ok() && e.getValue().needsNotification())
            .map(Map.Entry::getKey)
            .toList();
    if (toNotify.isEmpty()) {
      return results;
    }
    LayerPublishedEvent event = event(request, account, outcomes, toNotify);
    String json = event.toJson();
    if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      // SNS messages are limited to 256 KiB; a huge diff is dropped rather than the message.
      event =
          new LayerPublishedEvent(
              event.layer(),
              event.sha256(),
              event.contentDigest(),
              event.compatibleRuntimes(),
              event.compatibleArchitectures(),
              event.versions(),
              event.previousSha256(),
              null);
      json = event.toJson();
    }
    // Regions are notified in parallel too: each is an SNS call and an S3 write in that region.
    String message = json;
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(toNotify.size(), 16));
    try {
      Map<String, Future<String>> futures = new LinkedHashMap<>();
      for (String region : toNotify) {
        futures.put(
            region,
            pool.submit(
                () -> notifyRegion(request, account, region, results.get(region), message)));
      }
      for (Map.Entry<String, Future<String>> f : futures.entrySet()) {
        String error;
        try {
          error = f.getValue().get();
        } catch (ExecutionException e) {
          error = "could not notify: " + e.getCause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          error = "interrupted before notifying";
        }
        if (error != null) {
          results.put(f.getKey(), results.get(f.getKey()).withNotificationError(error));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    WebhookSender sender = new WebhookSender(settings.effectiveRetryBaseDelay());
    for (Webhook hook : request.notifications().webhooks()) {
      String failure = sender.send(hook, json);
      if (failure != null) {
        webhookFailures.add(failure);
      }
    }
    return results;
  }

  /** Sends the region's SNS message and records it; returns null or what failed. */
  private String notifyRegion(
      PublishRequest request, String account, String region, RegionResult r, String json) {
    String bucket = StagingBucket.name(request.stagingBucketPattern(), account, region);
    try {
      if (request.notifications().snsTopic()) {
        publishToTopic(region, request, json);
      }
      // Recorded once sent, so a rerun after a crash sends what was not confirmed.
      clients
          .s3(region)
          .putObject(
              b ->
                  b.bucket(bucket)
                      .key(StagingBucket.versionRecordKey(request.layerName(), r.version()))
                      .contentType("application/json"),
              RequestBody.fromString(json));
      return null;
    } catch (SdkException e) {
      return "could not notify about "
          + r.layerVersionArn()
          + ": "
          + AwsErrors.message(e)
          + "; the next publish sends it again";
    }
  }

  private void publishToTopic(String region, PublishRequest request, String json) {
    SnsClient sns = clients.sns(region);
    String topicArn =
        sns.createTopic(b -> b.name(Notifications.topicName(request.layerName()))).topicArn();
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put(
        "layer",
        MessageAttributeValue.builder()
            .dataType("String")
            .stringValue(request.layerName())
            .build());
    attributes.put(
        "sha256",
        MessageAttributeValue.builder()
            .dataType("String")
            .stringValue(request.sha256Hex())
            .build());
    if (!request.compatibleRuntimes().isEmpty()) {
      attributes.put(
          "runtime",
          MessageAttributeValue.builder()
              .dataType("String.Array")
              .stringValue(jsonArray(request.compatibleRuntimes()))
              .build());
    }
    if (!request.compatibleArchitectures().isEmpty()) {
      attributes.put(
          "architecture",
          MessageAttributeValue.builder()
              .dataType("String.Array")
              .stringValue(jsonArray(request.compatibleArchitectures()))
              .build());
    }
    sns.publish(
        b ->
            b.topicArn(topicArn)
                .subject("Layer " + request.layerName() + " has a new version")
                .message(json)
                .messageAttributes(attributes));
  }

  private static String jsonArray(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      // runtime and architecture names are [a-z0-9._-]: no escaping needed
      sb.append('"').append(values.get(i)).append('"');
    }
    return sb.append(']').toString();
  }

  private LayerPublishedEvent event(
      PublishRequest request,
      String account,
      Map<String, RegionPublisher.Outcome> outcomes,
      List<String> toNotify) {
    List<LayerPublishedEvent.VersionRef> versions = new ArrayList<>();
    outcomes.forEach(
        (region, o) -> {
          if (o.result().ok()) {
            versions.add(
                new LayerPublishedEvent.VersionRef(
                    region,
                    o.result().layerVersionArn(),
                    o.result().version(),
                    toNotify.contains(region),
                    o.previousVersionArn()));
          }
        });
    String first = toNotify.get(0);
    String previousSha = outcomes.get(first).previousSha256();
    PackageDiff diff = null;
    try {
      LayerManifest now = LayerManifest.parse(request.manifestJson(), "of " + request.layerName());
      if (outcomes.get(first).previousVersionArn() == null) {
        diff = PackageDiff.between(List.of(), now.packages());
      } else if (previousSha != null) {
        String bucket = StagingBucket.name(request.stagingBucketPattern(), account, first);
        byte[] previous =
            clients
                .s3(first)
                .getObjectAsBytes(
                    b ->
                        b.bucket(bucket)
                            .key(StagingBucket.manifestKey(request.layerName(), previousSha)))
                .asByteArray();
        diff =
            PackageDiff.between(
                LayerManifest.parse(previous, "of " + previousSha).packages(), now.packages());
      }
    } catch (AccretionException | NoSuchKeyException e) {
      diff = null; // the previous manifest is unknown: the message says so with a null diff
    }
    return new LayerPublishedEvent(
        request.layerName(),
        request.sha256Hex(),
        request.contentDigest(),
        request.compatibleRuntimes(),
        request.compatibleArchitectures(),
        versions,
        previousSha,
        diff);
  }

  @Override
  public void close() {
    clients.close();
  }
}
