package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.LayersListItem;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads back what is published: managed layers per region ({@code ls}), one version in full ({@code
 * describe}), the package difference of two versions ({@code diff}), the newest version ARN
 * matching a runtime and architecture ({@code arn}), and pruning of old versions ({@code prune}).
 *
 * <p>A layer is managed by Accretion when its newest version's Description ends with Accretion's
 * marker ({@link VersionMarker}). Manifests are read from the staging bucket named by the same
 * pattern the publisher used (the account comes from the version ARN).
 *
 * <p>Thread-safe. Every method throws {@link AccretionException} with what failed and what to do
 * when AWS cannot be reached or the layer or version does not exist.
 */
public final class LayerCatalog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Lambda dates look like 2018-11-27T15:10:45.123+0000.
  private static final DateTimeFormatter LAMBDA_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final Pattern ARN_ACCOUNT =
      Pattern.compile("arn:[a-z-]+:lambda:[a-z0-9-]+:(\\d{12}):layer:.*");
  private static final Pattern ROOT_PRINCIPAL = Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):root");

  private final AwsClients clients;
  private final String bucketPattern;
  private final Clock clock;

  /** A catalog whose manifests live in buckets named by {@code stagingBucketPattern}. */
  public LayerCatalog(AwsSettings settings, String stagingBucketPattern) {
    this(settings, stagingBucketPattern, Clock.systemUTC());
  }

  /** As above with a clock for {@code --older-than}. */
  public LayerCatalog(AwsSettings settings, String stagingBucketPattern, Clock clock) {
    this.clients = new AwsClients(settings);
    this.bucketPattern =
        stagingBucketPattern == null ? PublishRequest.DEFAULT_BUCKET_PATTERN : stagingBucketPattern;
    this.clock = clock;
  }

  /**
   * Managed layers in each region with their newest version, regions queried in parallel; sorted by
   * layer name, then region order.
   */
  public List<ManagedLayer> list(List<String> regions) throws AccretionException {
    for (String region : regions) {
      PublishValidation.checkRegion(region);
    }
    clients.checkCredentials();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(regions.size(), 16)));
    try {
      Map<String, Future<List<ManagedLayer>>> futures = new LinkedHashMap<>();
      for (String region : regions) {
        futures.put(region, pool.submit(() -> listRegion(region)));
      }
      List<ManagedLayer> out = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (Map.Entry<String, Future<List<ManagedLayer>>> f : futures.entrySet()) {
        try {
          out.addAll(f.getValue().get());
        } catch (ExecutionException e) {
          failures.add(f.getKey() + ": " + AwsErrors.message(e.getCause()));
        }
      }
      if (!failures.isEmpty()) {
        throw new AccretionException(
            FailureKind.AWS,
            "cannot list layers in " + String.join("; ", failures) + "; check credentials");
      }
      out.sort(
          Comparator.comparing(ManagedLayer::layerName)
              .thenComparing(m -> regions.indexOf(m.region())));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException("listing interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<ManagedLayer> listRegion(String region) {
    List<ManagedLayer> out = new ArrayList<>();
    for (LayersListItem layer : clients.lambda(region).listLayersPaginator(b -> {}).layers()) {
      var latest = layer.latestMatchingVersion();
      if (latest == null || VersionMarker.sha256(latest.description()).isEmpty()) {
        continue;
      }
      out.add(
          new ManagedLayer(
              layer.layerName(),
              region,
              new LayerVersionInfo(
                  layer.layerName(),
                  region,
                  latest.version(),
                  latest.layerVersionArn(),
                  parseDate(latest.createdDate()),
                  VersionMarker.sha256(latest.description()).orElse(null),
                  latest.compatibleRuntimesAsStrings(),
                  latest.compatibleArchitecturesAsStrings())));
    }
    return out;
  }

  /**
   * The environment's default region (see {@link AwsSettings}), without asking any service.
   *
   * @throws AccretionException when none is configured, naming {@code AWS_REGION}
   */
  public String defaultRegion() throws AccretionException {
    return clients.defaultRegion();
  }

  /** Every version of a layer in a region, newest first. */
  public List<LayerVersionInfo> versions(String layer, String region) throws AccretionException {
    checkNameAndRegion(layer, region);
    try {
      return versionsUnchecked(layer, region);
    } catch (SdkException e) {
      throw failure("list the versions of layer " + layer, region, e);
    }
  }

  private List<LayerVersionInfo> versionsUnchecked(String layer, String region) {
    List<LayerVersionInfo> out = new ArrayList<>();
    for (LayerVersionsListItem item : RegionPublisher.listVersions(clients.lambda(region), layer)) {
      out.add(
          new LayerVersionInfo(
              layer,
              region,
              item.version(),
              item.layerVersionArn(),
              parseDate(item.createdDate()),
              VersionMarker.sha256(item.description()).orElse(null),
              item.compatibleRuntimesAsStrings(),
              item.compatibleArchitecturesAsStrings()));
    }
    return out;
  }

  /**
   * One version in full; {@code version} null means the newest.
   *
   * @throws AccretionException if the layer or version does not exist
   */
  public LayerVersionDetails describe(String layer, Long version, String region)
      throws AccretionException {
    checkNameAndRegion(layer, region);
    LambdaClient lambda = clients.lambda(region);
    try {
      long number = version == null ? newest(layer, region) : version;
      GetLayerVersionResponse v;
      try {
        v = lambda.getLayerVersion(b -> b.layerName(layer).versionNumber(number));
      } catch (ResourceNotFoundException e) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            "layer "
                + layer
                + " has no version "
                + number
                + " in "
                + region
                + versionsHint(layer, region));
      }
      String policy = null;
      List<Sharing.Grant> grants = new ArrayList<>();
      try {
        policy =
            lambda.getLayerVersionPolicy(b -> b.layerName(layer).versionNumber(number)).policy();
        grants = grants(policy);
      } catch (ResourceNotFoundException e) {
        // no policy: private
      }
      String sha = VersionMarker.sha256(v.description()).orElse(null);
      LayerManifest manifest =
          sha == null ? null : manifest(layer, region, v.layerVersionArn(), sha);
      return new LayerVersionDetails(
          layer,
          region,
          v.version(),
          v.layerVersionArn(),
          parseDate(v.createdDate()),
          VersionMarker.userText(v.description()),
          v.compatibleRuntimesAsStrings(),
          v.compatibleArchitecturesAsStrings(),
          v.licenseInfo(),
          v.content() == null || v.content().codeSize() == null ? 0 : v.content().codeSize(),
          v.content() == null ? null : v.content().codeSha256(),
          sha,
          grants,
          policy,
          manifest);
    } catch (SdkException e) {
      throw failure("describe layer " + layer, region, e);
    }
  }

  /**
   * The packages added, removed and changed from version {@code from} to version {@code to}.
   *
   * @throws AccretionException if either version or its manifest is missing
   */
  public PackageDiff diff(String layer, long from, long to, String region)
      throws AccretionException {
    LayerVersionDetails a = describe(layer, from, region);
    LayerVersionDetails b = describe(layer, to, region);
    for (LayerVersionDetails d : List.of(a, b)) {
      if (d.manifest() == null) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            d.layerVersionArn()
                + " has no manifest in the staging bucket ("
                + (d.sha256() == null ? "it was not published by Accretion" : "it was removed")
                + "); cannot tell what is inside it");
      }
    }
    return PackageDiff.between(a.manifest().packages(), b.manifest().packages());
  }

  /**
   * The ARN of the newest version compatible with {@code runtime} and {@code architecture} (either
   * may be null: no constraint), or empty if no version matches.
   */
  public Optional<String> latestArn(
      String layer, String region, String runtime, String architecture) throws AccretionException {
    // Filtered here rather than with ListLayerVersions' CompatibleRuntime/CompatibleArchitecture
    // parameters so the rule is the same everywhere (emulators ignore those parameters).
    for (LayerVersionInfo v : versions(layer, region)) {
      boolean runtimeOk = runtime == null || v.compatibleRuntimes().contains(runtime);
      boolean archOk =
          architecture == null
              || v.compatibleArchitectures().contains(architecture)
              || v.compatibleArchitectures().isEmpty() && architecture.equals("x86_64");
      if (runtimeOk && archOk) {
        return Optional.of(v.layerVersionArn());
      }
    }
    return Optional.empty();
  }

  /** Deletes (or, in a dry run, lists) old versions; never the newest. */
  public PruneResult prune(PruneRequest request) throws AccretionException {
    List<LayerVersionInfo> all = versions(request.layerName(), request.region());
    List<LayerVersionInfo> kept = new ArrayList<>();
    List<LayerVersionInfo> doomed = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < all.size(); i++) {
      LayerVersionInfo v = all.get(i);
      boolean oldEnough =
          request.olderThan() == null
              || (v.created() != null && v.created().plus(request.olderThan()).isBefore(now));
      if (i < request.keep() || !oldEnough) {
        kept.add(v);
      } else {
        doomed.add(v);
      }
    }
    if (!request.dryRun()) {
      LambdaClient lambda = clients.lambda(request.region());
      for (LayerVersionInfo v : doomed) {
        try {
          lambda.deleteLayerVersion(
              b -> b.layerName(request.layerName()).versionNumber(v.version()));
        } catch (SdkException e) {
          throw failure("delete " + v.layerVersionArn(), request.region(), e);
        }
      }
    }
    return new PruneResult(request.layerName(), request.region(), request.dryRun(), doomed, kept);
  }

  private long newest(String layer, String region) throws AccretionException {
    List<LayerVersionInfo> all = versionsUnchecked(layer, region);
    if (all.isEmpty()) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "layer " + layer + " has no versions in " + region + ": publish it first");
    }
    return all.get(0).version();
  }

  private String versionsHint(String layer, String region) {
    List<LayerVersionInfo> all = versionsUnchecked(layer, region);
    if (all.isEmpty()) {
      return " (it has no versions there)";
    }
    return " (its versions there: "
        + all.stream()
            .map(v -> Long.toString(v.version()))
            .reduce((a, b) -> b + ", " + a)
            .orElse("")
        + ")";
  }

  private LayerManifest manifest(String layer, String region, String arn, String sha)
      throws AccretionException {
    Matcher m = ARN_ACCOUNT.matcher(arn);
    String account = m.matches() ? m.group(1) : "";
    String bucket = StagingBucket.name(bucketPattern, account, region);
    try {
      byte[] bytes =
          clients
              .s3(region)
              .getObjectAsBytes(b -> b.bucket(bucket).key(StagingBucket.manifestKey(layer, sha)))
              .asByteArray();
      return LayerManifest.parse(
          bytes, "s3://" + bucket + "/" + StagingBucket.manifestKey(layer, sha));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return null;
    }
  }

  private static List<Sharing.Grant> grants(String policy) throws AccretionException {
    List<Sharing.Grant> out = new ArrayList<>();
    try {
      for (JsonNode s : JSON.readTree(policy).path("Statement")) {
        String sid = s.path("Sid").asText("");
        JsonNode p = s.path("Principal");
        String principal;
        if (p.isTextual()) {
          principal = p.asText();
        } else if (p.path("AWS").isTextual()) {
          principal = p.path("AWS").asText();
        } else {
          principal = p.toString();
        }
        Matcher root = ROOT_PRINCIPAL.matcher(principal);
        if (root.matches()) {
          principal = root.group(1);
        }
        JsonNode org = s.path("Condition").path("StringEquals").path("aws:PrincipalOrgID");
        if (!org.isTextual()) {
          // moto 5.2.1 stores the request's OrganizationId as is instead of as a condition
          org = s.path("OrganizationId");
        }
        out.add(new Sharing.Grant(sid, principal, org.isTextual() ? org.asText() : null));
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.AWS, "unreadable layer version policy: " + e.getMessage(), e);
    }
    return out;
  }

  static Instant parseDate(String lambdaDate) {
    if (lambdaDate == null) {
      return null;
    }
    try {
      return LAMBDA_DATE.parse(lambdaDate, Instant::from);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(lambdaDate);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private void checkNameAndRegion(String layer, String region) throws AccretionException {
    PublishValidation.checkLayerName(layer);
    PublishValidation.checkRegion(region);
    clients.checkCredentials();
  }

  private static AccretionException failure(String what, String region, SdkException e) {
    return new AccretionException(
        FailureKind.AWS, "could not " + what + " in " + region + ": " + AwsErrors.message(e), e);
  }

  @Override
  public void close() {
    clients.close();
  }
}
