package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Publishes one artifact in one region. Steps, each safe to repeat:
 *
 * <ol>
 *   <li>write the manifest to {@code accretion/<layer>/<sha256>.manifest.json}; if the staging
 *       bucket is missing, CreateBucket with the region's LocationConstraint (us-east-1 takes none)
 *       and write again;
 *   <li>upload the zip under {@code accretion/<layer>/<sha256>.zip} unless its HEAD (sent at the
 *       same time as the manifest) shows the same sha256 metadata and size; the upload carries
 *       {@code x-amz-checksum-sha256} so S3 verifies the bytes;
 *   <li>list the layer's versions (also at the same time as the manifest); if the newest carries
 *       this digest (Description marker, confirmed by GetLayerVersion's CodeSha256: a marker alone
 *       is never trusted), adopt it: nothing is published. Before adopting, the de-duplication rule
 *       below is applied to that same listing, so duplicates left by a publisher that died before
 *       its own de-duplication are removed and the lowest version is the one adopted (no extra call
 *       when the next version shows another digest);
 *   <li>otherwise PublishLayerVersion from the bucket, without SDK retries. Throttling (429) means
 *       nothing happened: back off and call again. An ambiguous failure (timeout, reset, 5xx) means
 *       it may have happened: list the versions again and adopt a newer version with this digest if
 *       there is one, and only if there is none publish again;
 *   <li>de-duplicate (concurrent publishers): among the newest versions carrying this digest (the
 *       run of them at the top of the list, newest first, each confirmed by its CodeSha256) keep
 *       the lowest version number and delete the others. Skipped when the new version directly
 *       follows the newest listed one (nothing can sit between them). Every publisher applies the
 *       same rule after its own publish, and the publisher of a higher number always sees the lower
 *       one (it was committed first), so each region ends with one version per digest and no one
 *       shares or announces a version that gets deleted;
 *   <li>make the policy's {@code accretion-*} statements equal the configured sharing;
 *   <li>put the version ARN into the SSM parameters, if configured: one per runtime and
 *       architecture the pattern distinguishes ({@link SsmParameterNames}).
 * </ol>
 *
 * {@code published} in the result is true exactly when this run created the version that remains.
 * Never throws: a failed step ends the region with a message saying what failed and what to do.
 */
final class RegionPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PUBLISH_ATTEMPTS = 4;

  private final AwsClients clients;
  private final AwsSettings settings;
  private final PublishRequest request;
  private final String region;
  private final String bucket;
  private final PublishListener listener;
  private final String sha256Base64;
  // version number -> whether GetLayerVersion's CodeSha256 is this archive's (asked once per run)
  private final Map<Long, Boolean> confirmed = new java.util.concurrent.ConcurrentHashMap<>();

  /** Versions listed but found deleted since (by a concurrent publisher). */
  private final java.util.Set<Long> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** What the notification phase needs to know about a region. */
  record Outcome(
      RegionResult result,
      boolean needsNotification,
      String previousVersionArn,
      String previousSha256) {}

  RegionPublisher(
      AwsClients clients,
      AwsSettings settings,
      PublishRequest request,
      String region,
      String bucket,
      PublishListener listener) {
    this.clients = clients;
    this.settings = settings;
    this.request = request;
    this.region = region;
    this.bucket = bucket;
    this.listener = listener;
    this.sha256Base64 =
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex(request.sha256Hex()));
  }

  Outcome run() {
    String step = "start";
    String service = "S3";
    long version = 0;
    String arn = null;
    try {
      // The version listing, the archive's HEAD and the manifest write do not depend on each
      // other: they run at once, so a region's critical path is two round trips shorter (all
      // three are idempotent and retried by the SDK).
      List<LayerVersionsListItem> before;
      try (ExecutorService side = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<List<LayerVersionsListItem>> listing =
            side.submit(
                (java.util.concurrent.Callable<List<LayerVersionsListItem>>) this::listVersions);
        Future<HeadObjectResponse> head =
            side.submit((java.util.concurrent.Callable<HeadObjectResponse>) this::headArchive);
        step = "write the manifest to s3://" + bucket;
        putManifest();
        step = "upload the archive to s3://" + bucket;
        uploadUnlessPresent(join(head));
        step = "list the versions of layer " + request.layerName();
        service = "LAMBDA";
        before = join(listing);
      }
      LayerVersionsListItem latest = before.isEmpty() ? null : before.get(0);
      boolean published = false;
      if (latest != null && carriesThisArchive(latest)) {
        // Adopt, but first apply the de-duplication rule to the listing already fetched: a
        // publisher that died (or lost the listing) before its own de-duplication leaves the same
        // archive twice at the top, and the lowest must win here exactly as in a race. Nothing to
        // clean costs no call: the next version's Description already shows another archive.
        step = "de-duplicate versions of layer " + request.layerName();
        LayerVersionsListItem kept = keepLowestOfNewestRun(before, latest.version());
        if (kept.version() != latest.version()) {
          listener.step(
              region,
              "duplicates",
              "kept " + kept.layerVersionArn() + ", the lowest version with this archive");
        }
        listener.step(region, "unchanged", kept.layerVersionArn());
        version = kept.version();
        arn = kept.layerVersionArn();
      } else {
        step = "publish layer " + request.layerName();
        long latestBefore = latest == null ? 0 : latest.version();
        PublishOutcome p = publish(latestBefore);
        if (p.error != null) {
          return new Outcome(RegionResult.failed(region, p.error), false, null, null);
        }
        version = p.version;
        arn = p.arn;
        published = true;
        // De-duplication (see the class comment) is needed only when another version may have
        // been created since the listing: when ours directly follows the newest listed one and
        // came from a clean publish, no version can sit between them, and a concurrent publisher
        // of a higher number will see ours and give way.
        boolean contiguous = p.clean && version == latestBefore + 1;
        step = "de-duplicate versions of layer " + request.layerName();
        LayerVersionsListItem kept = contiguous ? null : deduplicate(version);
        if (kept != null && kept.version() != version) {
          listener.step(
              region,
              "concurrent",
              "another publisher created " + kept.layerVersionArn() + " first; adopted it");
          published = false;
          version = kept.version();
          arn = kept.layerVersionArn();
        }
      }

      step = "apply sharing to " + arn;
      applySharing(version, published);

      if (request.ssmParameterName() != null) {
        service = "SSM";
        for (String name :
            SsmParameterNames.expand(
                request.ssmParameterName(),
                request.compatibleRuntimes(),
                request.compatibleArchitectures())) {
          step = "write SSM parameter " + name;
          String value = arn;
          clients
              .ssm(region)
              .putParameter(
                  b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
        }
      }

      step = "check the notification record of " + arn;
      service = "S3";
      // Without SNS or webhooks there is nobody to tell, and no record to keep.
      boolean notifies =
          request.notifications().snsTopic() || !request.notifications().webhooks().isEmpty();
      boolean needsNotification = notifies && (published || !versionRecordExists(version));
      LayerVersionsListItem previous = previousOf(version, before);
      RegionResult result = new RegionResult(region, arn, version, published, null, null);
      listener.step(region, published ? "published" : "done", arn);
      return new Outcome(
          result,
          needsNotification,
          previous == null ? null : previous.layerVersionArn(),
          previous == null ? null : VersionMarker.sha256(previous.description()).orElse(null));
    } catch (RuntimeException e) {
      String message =
          "could not "
              + step
              + " in "
              + region
              + ": "
              + AwsErrors.message(e)
              + advice(e, service)
              + "; rerun to finish this region (nothing will be published twice)";
      return new Outcome(
          new RegionResult(region, arn, version, false, message, null), false, null, null);
    }
  }

  private String advice(Throwable e, String service) {
    String unreachable = AwsErrors.unreachableCause(e);
    if (unreachable != null) {
      AwsClients.Endpoint endpoint = clients.endpointOf(service, region);
      return " (the endpoint "
          + endpoint.url()
          + " cannot be reached: "
          + unreachable
          + "; "
          + endpoint.advice()
          + ")";
    }
    int status = AwsErrors.status(e);
    if (status == 403) {
      return " (access denied: the credentials need the permissions listed in the README's IAM"
          + " policy)";
    }
    return "";
  }

  // ---- staging bucket ------------------------------------------------------------------------

  /** Creates the missing staging bucket (a concurrent creation by this account is fine). */
  private void ensureBucket() {
    S3Client s3 = clients.s3(region);
    listener.step(region, "create-bucket", bucket);
    try {
      s3.createBucket(
          b -> {
            b.bucket(bucket);
            // CreateBucket: us-east-1 is the default location and must not be named.
            if (!region.equals("us-east-1")) {
              b.createBucketConfiguration(
                  c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
            }
          });
    } catch (BucketAlreadyOwnedByYouException e) {
      // created concurrently by another publisher of this account: fine
    } catch (BucketAlreadyExistsException e) {
      throw new IllegalStateException(
          "staging bucket name "
              + bucket
              + " is taken by another AWS account (bucket names are global): choose another"
              + " staging bucket pattern",
          e);
    }
  }

  /**
   * Writes the manifest beside the archive. It is small and rewritten every time (its copy beside
   * the zip may carry a reworded request for the same bytes), and its PutObject doubles as the
   * bucket check, so a bucket that exists costs no HeadBucket; a missing one is created and the
   * write repeated.
   */
  private void putManifest() {
    S3Client s3 = clients.s3(region);
    String manifestKey = StagingBucket.manifestKey(request.layerName(), request.sha256Hex());
    Runnable put =
        () ->
            s3.putObject(
                b -> b.bucket(bucket).key(manifestKey).contentType("application/json"),
                RequestBody.fromBytes(request.manifestJson()));
    try {
      put.run();
    } catch (NoSuchBucketException e) {
      ensureBucket();
      put.run();
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        throw new IllegalStateException(
            "cannot write to staging bucket "
                + bucket
                + " ("
                + AwsErrors.message(e)
                + "): it belongs to another account, or the credentials lack"
                + " s3:PutObject on it; choose another staging bucket pattern or grant the"
                + " permission",
            e);
      }
      if (!"NoSuchBucket".equals(AwsErrors.errorCode(e))) {
        throw e;
      }
      ensureBucket();
      put.run();
    }
  }

  /** The staged archive's HEAD, or null when it (or its bucket) is not there. */
  private HeadObjectResponse headArchive() {
    String key = StagingBucket.zipKey(request.layerName(), request.sha256Hex());
    try {
      return clients.s3(region).headObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** Uploads the archive unless the HEAD shows the same sha256 and size already staged. */
  private void uploadUnlessPresent(HeadObjectResponse head) {
    String key = StagingBucket.zipKey(request.layerName(), request.sha256Hex());
    long size;
    try {
      size = Files.size(request.zip());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (head != null
        && request.sha256Hex().equals(head.metadata().get("sha256"))
        && head.contentLength() == size) {
      listener.step(region, "upload-skipped", "s3://" + bucket + "/" + key);
      return;
    }
    listener.step(region, "upload", "s3://" + bucket + "/" + key);
    clients
        .s3(region)
        .putObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .contentType("application/zip")
                    .checksumSHA256(sha256Base64)
                    .metadata(Map.of("sha256", request.sha256Hex())),
            RequestBody.fromFile(request.zip()));
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // ---- versions ------------------------------------------------------------------------------

  /** Every version of the layer, newest first (all pages: the rule below needs the order). */
  private List<LayerVersionsListItem> listVersions() {
    return listVersions(clients.lambda(region), request.layerName());
  }

  static List<LayerVersionsListItem> listVersions(LambdaClient lambda, String layer) {
    List<LayerVersionsListItem> all = new ArrayList<>();
    try {
      lambda.listLayerVersionsPaginator(b -> b.layerName(layer)).layerVersions().forEach(all::add);
    } catch (ResourceNotFoundException e) {
      return List.of();
    }
    all.sort(Comparator.comparingLong(LayerVersionsListItem::version).reversed());
    return all;
  }

  /**
   * Whether a version holds this archive: its Description marker names the digest and Lambda's own
   * CodeSha256 (GetLayerVersion) confirms it. A marker alone proves nothing (anyone can write a
   * Description), so a version whose CodeSha256 is missing or differs does not count. Answers are
   * remembered for the run, so no version is asked about twice.
   */
  private boolean carriesThisArchive(LayerVersionsListItem item) {
    if (!VersionMarker.sha256(item.description()).orElse("").equals(request.sha256Hex())) {
      return false;
    }
    return confirmed.computeIfAbsent(
        item.version(),
        v -> {
          GetLayerVersionResponse full;
          try {
            full =
                clients
                    .lambda(region)
                    .getLayerVersion(b -> b.layerName(request.layerName()).versionNumber(v));
          } catch (ResourceNotFoundException e) {
            // listed a moment ago, deleted since (a concurrent publisher's de-duplication)
            gone.add(v);
            return false;
          }
          return full.content() != null && sha256Base64.equals(full.content().codeSha256());
        });
  }

  /**
   * {@code clean}: the version came from this run's PublishLayerVersion answer, not a reconcile.
   */
  private record PublishOutcome(long version, String arn, String error, boolean clean) {}

  private PublishOutcome publish(long latestBefore) {
    LambdaClient lambda = clients.lambdaNoRetry(region);
    PublishLayerVersionRequest.Builder b =
        PublishLayerVersionRequest.builder()
            .layerName(request.layerName())
            .description(VersionMarker.description(request.description(), request.sha256Hex()))
            .content(
                c ->
                    c.s3Bucket(bucket)
                        .s3Key(StagingBucket.zipKey(request.layerName(), request.sha256Hex())));
    if (!request.compatibleRuntimes().isEmpty()) {
      b.compatibleRuntimesWithStrings(request.compatibleRuntimes());
    }
    if (!request.compatibleArchitectures().isEmpty()) {
      b.compatibleArchitecturesWithStrings(request.compatibleArchitectures());
    }
    if (request.licenseInfo() != null) {
      b.licenseInfo(request.licenseInfo());
    }
    PublishLayerVersionRequest publish = b.build();
    String lastFailure = null;
    for (int attempt = 1; attempt <= MAX_PUBLISH_ATTEMPTS; attempt++) {
      listener.step(region, "publish", "attempt " + attempt);
      try {
        PublishLayerVersionResponse r = lambda.publishLayerVersion(publish);
        return new PublishOutcome(r.version(), r.layerVersionArn(), null, true);
      } catch (RuntimeException e) {
        lastFailure = AwsErrors.message(e);
        switch (AwsErrors.classify(e)) {
          case THROTTLED -> {
            // 429: Lambda refused the call before doing anything; waiting is enough.
            listener.retrying(region, "PublishLayerVersion", attempt, lastFailure);
          }
          case DEFINITE -> {
            return new PublishOutcome(0, null, definiteFailure(e), false);
          }
          case AMBIGUOUS -> {
            // The version may exist although we got no answer: reconcile before publishing again.
            listener.retrying(
                region, "PublishLayerVersion", attempt, "ambiguous failure: " + lastFailure);
            LayerVersionsListItem found = reconcile(latestBefore);
            if (found != null) {
              listener.step(region, "reconciled", found.layerVersionArn());
              return new PublishOutcome(found.version(), found.layerVersionArn(), null, false);
            }
          }
        }
        if (attempt < MAX_PUBLISH_ATTEMPTS) {
          AwsErrors.sleep(AwsErrors.backoff(settings.effectiveRetryBaseDelay(), attempt));
        }
      }
    }
    return new PublishOutcome(
        0,
        null,
        "PublishLayerVersion of layer "
            + request.layerName()
            + " in "
            + region
            + " failed "
            + MAX_PUBLISH_ATTEMPTS
            + " times (last: "
            + lastFailure
            + "); no version with this archive exists there: rerun to try again",
        false);
  }

  /** The lowest version newer than {@code latestBefore} that carries this archive, or null. */
  private LayerVersionsListItem reconcile(long latestBefore) {
    // The listing uses the retrying client: it is read-only.
    LayerVersionsListItem lowest = null;
    for (LayerVersionsListItem item : listVersions()) {
      if (item.version() > latestBefore && carriesThisArchive(item)) {
        lowest = item; // newest first, so the last match is the lowest
      }
    }
    return lowest;
  }

  private String definiteFailure(Throwable e) {
    String code = AwsErrors.errorCode(e);
    String message = AwsErrors.message(e);
    String prefix = "PublishLayerVersion of layer " + request.layerName() + " in " + region + ": ";
    if ("CodeStorageExceededException".equals(code)) {
      return prefix
          + message
          + ": the account's Lambda code storage is full; delete old layer versions (accretion"
          + " prune) or unused function versions, or ask for a higher 'Function and layer"
          + " storage' quota in Service Quotas";
    }
    if (message.contains("Unzipped size must be smaller than")) {
      return prefix
          + message
          + ": the layer is too big for Lambda (250 MiB unzipped for a function and all its"
          + " layers); split it into several layers or side-load the largest packages";
    }
    if (message.toLowerCase(java.util.Locale.ROOT).contains("size")
        || message.toLowerCase(java.util.Locale.ROOT).contains("quota")
        || message.toLowerCase(java.util.Locale.ROOT).contains("limit")) {
      return prefix + message + ": a Lambda limit was reached; see the Lambda quotas page";
    }
    if (AwsErrors.status(e) == 403) {
      return prefix
          + message
          + ": the credentials need lambda:PublishLayerVersion and s3:GetObject on the staging"
          + " bucket";
    }
    return prefix + message;
  }

  /**
   * Applies the de-duplication rule after this run's own publish of version {@code mine}, on a
   * fresh listing, and returns the version to keep.
   */
  private LayerVersionsListItem deduplicate(long mine) {
    // This run's own version holds this archive: it was published from the staged zip.
    confirmed.put(mine, true);
    return keepLowestOfNewestRun(listVersions(), mine);
  }

  /**
   * The de-duplication rule, shared by the race and the adopt paths: among the newest versions
   * holding this archive (the run of them at the top of {@code listing}, newest first) keep the
   * lowest version number and delete the others. A version is in the run when its marker names this
   * archive and its CodeSha256 confirms it; the confirmation is asked only for versions whose
   * marker matches, so a listing with nothing to clean costs no call beyond what was already known.
   *
   * @param expected the version the caller knows holds the archive (for the message when the run is
   *     empty)
   */
  private LayerVersionsListItem keepLowestOfNewestRun(
      List<LayerVersionsListItem> listing, long expected) {
    List<LayerVersionsListItem> run = new ArrayList<>();
    for (LayerVersionsListItem item : listing) {
      if (gone.contains(item.version())) {
        // deleted by a concurrent publisher after the listing: it neither holds nor ends the run
        continue;
      }
      if (!carriesThisArchive(item)) {
        if (gone.contains(item.version())) {
          continue;
        }
        break;
      }
      run.add(item);
    }
    if (run.isEmpty()) {
      // Our own version is not listed (yet): nothing to compare with.
      throw new IllegalStateException(
          "version "
              + expected
              + " with this archive is missing from ListLayerVersions of layer "
              + request.layerName());
    }
    LayerVersionsListItem keep = run.get(run.size() - 1);
    for (LayerVersionsListItem extra : run) {
      if (extra.version() != keep.version()) {
        listener.step(region, "delete-duplicate", extra.layerVersionArn());
        // DeleteLayerVersion succeeds for a version that is already gone.
        clients
            .lambda(region)
            .deleteLayerVersion(
                d -> d.layerName(request.layerName()).versionNumber(extra.version()));
      }
    }
    return keep;
  }

  private static LayerVersionsListItem previousOf(
      long version, List<LayerVersionsListItem> before) {
    for (LayerVersionsListItem item : before) {
      if (item.version() < version) {
        return item;
      }
    }
    return null;
  }

  // ---- sharing -------------------------------------------------------------------------------

  private void applySharing(long version, boolean justPublished) {
    LambdaClient lambda = clients.lambda(region);
    Map<String, Sharing.Grant> wanted = request.sharing().grants();
    Set<String> present = new LinkedHashSet<>();
    if (justPublished && wanted.isEmpty()) {
      return; // a version this run created has no policy yet
    }
    try {
      String policy =
          lambda
              .getLayerVersionPolicy(b -> b.layerName(request.layerName()).versionNumber(version))
              .policy();
      JsonNode statements = JSON.readTree(policy).path("Statement");
      for (JsonNode s : statements) {
        if (s.hasNonNull("Sid")) {
          present.add(s.get("Sid").asText());
        }
      }
    } catch (ResourceNotFoundException e) {
      // no policy yet
    } catch (IOException e) {
      throw new IllegalStateException("unreadable layer version policy: " + e.getMessage(), e);
    }
    for (Sharing.Grant grant : wanted.values()) {
      if (present.contains(grant.statementId())) {
        continue;
      }
      listener.step(region, "share", grant.statementId());
      try {
        lambda.addLayerVersionPermission(
            b -> {
              b.layerName(request.layerName())
                  .versionNumber(version)
                  .statementId(grant.statementId())
                  .action("lambda:GetLayerVersion")
                  .principal(grant.principal());
              if (grant.organizationId() != null) {
                b.organizationId(grant.organizationId());
              }
            });
      } catch (ResourceConflictException e) {
        // The statement id exists already (a retried call that had succeeded): same grant.
      }
    }
    for (String sid : present) {
      if (sid.startsWith(Sharing.STATEMENT_PREFIX) && !wanted.containsKey(sid)) {
        listener.step(region, "unshare", sid);
        try {
          lambda.removeLayerVersionPermission(
              b -> b.layerName(request.layerName()).versionNumber(version).statementId(sid));
        } catch (ResourceNotFoundException e) {
          // already gone
        }
      }
    }
  }

  // ---- notification record -------------------------------------------------------------------

  private boolean versionRecordExists(long version) {
    try {
      clients
          .s3(region)
          .headObject(
              b ->
                  b.bucket(bucket)
                      .key(StagingBucket.versionRecordKey(request.layerName(), version)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
