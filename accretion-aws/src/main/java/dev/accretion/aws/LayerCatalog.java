package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
    return list(regions, null);
  }

  /**
   * As {@link #list(List)}, keeping only the Lambda layers of {@code filter}'s layer name (the name
   * itself and the names derived from it for targets, {@link LambdaLayerNames}) whose newest
   * version serves its target; a null filter keeps every managed layer.
   */
  public List<ManagedLayer> list(List<String> regions, LayerQuery filter)
      throws AccretionException {
    if (filter != null) {
      filter.check();
    }
    for (String region : regions) {
      PublishValidation.checkRegion(region);
    }
    clients.checkCredentials();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(regions.size(), 16)));
    try {
      Map<String, Future<List<ManagedLayer>>> futures = new LinkedHashMap<>();
      for (String region : regions) {
        futures.put(
            region,
            pool.submit(
                () ->
                    listRegion(region).stream()
                        .filter(
                            m ->
                                filter == null
                                    || LambdaLayerNames.belongsTo(m.layerName(), filter.layerName())
                                        && filter.servedBy(
                                            m.latest().compatibleRuntimes(),
                                            m.latest().compatibleArchitectures()))
                        .toList()));
      }
      List<ManagedLayer> out = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      String unreachable = null;
      for (Map.Entry<String, Future<List<ManagedLayer>>> f : futures.entrySet()) {
        try {
          out.addAll(f.getValue().get());
        } catch (ExecutionException e) {
          String cause = AwsErrors.unreachableCause(e.getCause());
          if (cause != null) {
            AwsClients.Endpoint endpoint = clients.endpointOf("LAMBDA", f.getKey());
            unreachable = endpoint.advice();
            failures.add(
                f.getKey()
                    + ": the endpoint "
                    + endpoint.url()
                    + " cannot be reached ("
                    + cause
                    + ")");
          } else {
            failures.add(f.getKey() + ": " + AwsErrors.message(e.getCause()));
          }
        }
      }
      if (!failures.isEmpty()) {
        throw new AccretionException(
            FailureKind.AWS,
            "cannot list layers in " + String.join("; ", failures),
            unreachable != null ? unreachable : "check the credentials",
            null);
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
      out.add(new ManagedLayer(layer.layerName(), region, newest(layer, region)));
    }
    return out;
  }

  private static LayerVersionInfo newest(LayersListItem layer, String region) {
    var latest = layer.latestMatchingVersion();
    return new LayerVersionInfo(
        layer.layerName(),
        region,
        latest.version(),
        latest.layerVersionArn(),
        parseDate(latest.createdDate()),
        VersionMarker.sha256(latest.description()).orElse(null),
        latest.compatibleRuntimesAsStrings(),
        latest.compatibleArchitecturesAsStrings());
  }

  // ---- finding the Lambda layer of a project layer and a target ------------------------------

  /**
   * Every Lambda layer in a region that holds the layer named {@code layerName}: the layer of that
   * name and those named after it for a target ({@link LambdaLayerNames#belongsTo}), each with its
   * newest version (managed by Accretion or not), sorted by name.
   *
   * @throws AccretionException of kind {@link FailureKind#USAGE} for an invalid name, {@link
   *     FailureKind#AWS} when the layers cannot be listed, or naming an unknown region or missing
   *     credentials
   */
  public List<LocatedLayer> layersOf(String layerName, String region) throws AccretionException {
    LayerQuery.of(layerName);
    checkNameAndRegion(layerName, region);
    try {
      List<LocatedLayer> out = new ArrayList<>();
      for (LayersListItem layer : clients.lambda(region).listLayersPaginator(b -> {}).layers()) {
        if (layer.latestMatchingVersion() != null
            && LambdaLayerNames.belongsTo(layer.layerName(), layerName)) {
          out.add(new LocatedLayer(layer.layerName(), newest(layer, region)));
        }
      }
      out.sort(Comparator.comparing(LocatedLayer::lambdaLayerName));
      return out;
    } catch (SdkException e) {
      throw failure("list the layers", region, e);
    }
  }

  /**
   * The one Lambda layer a query is about in a region. A project layer with several targets is
   * published as several Lambda layers ({@code web-deps-x86_64}, {@code web-deps-python312-arm64},
   * see {@link dev.accretion.aws.project.LayerNaming}); the query's target chooses among them by
   * what their newest versions list. Rules, in order:
   *
   * <ol>
   *   <li>no Lambda layer holds the name: {@link FailureKind#NOT_FOUND} (publish it first);
   *   <li>one Lambda layer serves the target (or there is only one and the query has no target):
   *       that one;
   *   <li>several serve it and the query names both a runtime and an architecture: the one whose
   *       newest version was published last (an older split, left behind when the layer's zips came
   *       to be shared or split differently, gives way to the current one);
   *   <li>several serve it otherwise: {@link FailureKind#USAGE}, naming them and what each serves,
   *       so that {@code --runtime}/{@code --arch} can choose;
   *   <li>none serves the target: {@link FailureKind#NOT_FOUND}, naming the layers there are.
   * </ol>
   *
   * @throws AccretionException as above, or {@link FailureKind#AWS} when AWS cannot be asked
   */
  public LocatedLayer locate(LayerQuery query, String region) throws AccretionException {
    query.check();
    return locate(query, region, layersOf(query.layerName(), region));
  }

  private static LocatedLayer locate(LayerQuery query, String region, List<LocatedLayer> all)
      throws AccretionException {
    if (all.isEmpty()) {
      throw notPublished(query.layerName(), region);
    }
    List<LocatedLayer> serving =
        all.stream()
            .filter(
                l ->
                    query.servedBy(
                        l.latest().compatibleRuntimes(), l.latest().compatibleArchitectures()))
            .toList();
    if (serving.size() == 1) {
      return serving.get(0);
    }
    if (serving.isEmpty()) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "no layer of "
              + query.layerName()
              + " in "
              + region
              + " is for "
              + query.targetText()
              + " (its layers there: "
              + String.join(", ", all.stream().map(LocatedLayer::describe).toList())
              + ")",
          "publish the layer for that target, or choose another --runtime/--arch",
          null);
    }
    if (query.runtime() != null && query.architecture() != null) {
      return serving.stream()
          .max(
              Comparator.comparing(
                      (LocatedLayer l) ->
                          l.latest().created() == null ? Instant.MIN : l.latest().created())
                  .thenComparing(LocatedLayer::lambdaLayerName))
          .orElseThrow();
    }
    List<String> choose = new ArrayList<>();
    if (query.runtime() == null) {
      choose.add("--runtime");
    }
    if (query.architecture() == null) {
      choose.add("--arch");
    }
    throw new AccretionException(
        FailureKind.USAGE,
        query.layerName()
            + " is published as "
            + serving.size()
            + " Lambda layers in "
            + region
            + (query.hasTarget() ? " for " + query.targetText() : "")
            + ": "
            + String.join(", ", serving.stream().map(LocatedLayer::describe).toList()),
        "choose one with " + String.join(" and ", choose),
        null);
  }

  /**
   * The Lambda layers a query covers in a region: with a target, the one {@link #locate} finds;
   * without, every Lambda layer of the name ({@link #layersOf}).
   *
   * @throws AccretionException of kind {@link FailureKind#NOT_FOUND} when there is none, else as
   *     {@link #locate}
   */
  public List<LocatedLayer> locateAll(LayerQuery query, String region) throws AccretionException {
    query.check();
    List<LocatedLayer> all = layersOf(query.layerName(), region);
    if (query.hasTarget()) {
      return List.of(locate(query, region, all));
    }
    if (all.isEmpty()) {
      throw notPublished(query.layerName(), region);
    }
    return all;
  }

  /**
   * The ARN of the newest version that serves the query's target, for scripts: the Lambda layer is
   * found with {@link #locate}; when the layer has a single Lambda layer whose newest version does
   * not serve the target, its older versions are searched too.
   *
   * @throws AccretionException of kind {@link FailureKind#NOT_FOUND} when no version serves the
   *     target, else as {@link #locate}
   */
  public String arn(LayerQuery query, String region) throws AccretionException {
    query.check();
    List<LocatedLayer> all = layersOf(query.layerName(), region);
    if (all.size() == 1) {
      LocatedLayer only = all.get(0);
      Optional<String> arn =
          latestArn(only.lambdaLayerName(), region, query.runtime(), query.architecture());
      if (arn.isPresent()) {
        return arn.get();
      }
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "no version of layer "
              + only.lambdaLayerName()
              + " in "
              + region
              + " is for "
              + query.targetText()
              + " (latest: version "
              + only.latest().version()
              + (only.targetText().isEmpty() ? "" : " for " + only.targetText())
              + ")",
          "publish the layer for that target, or choose another --runtime/--arch",
          null);
    }
    return locate(query, region, all).latest().layerVersionArn();
  }

  private static AccretionException notPublished(String layerName, String region) {
    return new AccretionException(
        FailureKind.NOT_FOUND,
        "layer "
            + layerName
            + " has no versions in "
            + region
            + " (no Lambda layer of that name, nor one named after it for a target such as "
            + LambdaLayerNames.derive(layerName, "python3.12", "arm64")
            + ")",
        "publish it first, or check the name and the region",
        null);
  }

  /**
   * The environment's default region (see {@link AwsSettings}), without asking any service.
   *
   * @throws AccretionException when none is configured, naming {@code AWS_REGION}
   */
  public String defaultRegion() throws AccretionException {
    return clients.defaultRegion();
  }

  /**
   * The account of the credentials (sts:GetCallerIdentity in {@code region}): the account whose
   * layers this catalog lists.
   *
   * @throws AccretionException of kind {@link FailureKind#AWS} when the call fails
   */
  public String account(String region) throws AccretionException {
    PublishValidation.checkRegion(region);
    clients.checkCredentials();
    try {
      return clients.sts(region).getCallerIdentity().account();
    } catch (SdkException e) {
      throw failure("identify the account (sts:GetCallerIdentity)", region, e);
    }
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

  /**
   * Prunes every Lambda layer a query covers ({@link #locateAll}) in each region: one result per
   * region and Lambda layer, in region order, then by name. A region where the layer was never
   * published has no result.
   *
   * @param keep how many of the newest versions of each Lambda layer to keep (at least 1)
   * @param olderThan delete only versions older than this; null for no age limit
   * @throws AccretionException of kind {@link FailureKind#NOT_FOUND} when no region has the layer,
   *     {@link FailureKind#USAGE} for a target that does not choose one Lambda layer, {@link
   *     FailureKind#AWS} when a call fails
   */
  public List<PruneResult> prune(
      LayerQuery query, List<String> regions, int keep, Duration olderThan, boolean dryRun)
      throws AccretionException {
    query.check();
    List<PruneResult> out = new ArrayList<>();
    for (String region : regions) {
      List<LocatedLayer> all = layersOf(query.layerName(), region);
      if (all.isEmpty()) {
        continue; // never published in this region
      }
      List<LocatedLayer> layers = query.hasTarget() ? List.of(locate(query, region, all)) : all;
      for (LocatedLayer l : layers) {
        out.add(prune(new PruneRequest(l.lambdaLayerName(), region, keep, olderThan, dryRun)));
      }
    }
    if (out.isEmpty()) {
      throw notPublished(query.layerName(), String.join(", ", regions));
    }
    return out;
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
      throw notPublished(layer, region);
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

  private AccretionException failure(String what, String region, SdkException e) {
    String unreachable = AwsErrors.unreachableCause(e);
    if (unreachable != null) {
      AwsClients.Endpoint endpoint = clients.endpointOf("LAMBDA", region);
      return new AccretionException(
          FailureKind.AWS,
          "could not "
              + what
              + " in "
              + region
              + ": the endpoint "
              + endpoint.url()
              + " cannot be reached ("
              + unreachable
              + ")",
          endpoint.advice(),
          e);
    }
    return new AccretionException(
        FailureKind.AWS, "could not " + what + " in " + region + ": " + AwsErrors.message(e), e);
  }

  @Override
  public void close() {
    clients.close();
  }
}
