package dev.accretion.cli;

import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.LayerPublisher;
import dev.accretion.aws.Notifications;
import dev.accretion.aws.PublishListener;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.PublishResult;
import dev.accretion.aws.RegionResult;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.Webhook;
import dev.accretion.aws.project.LayerNaming;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.aws.project.ProjectPublisher;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Publish built layers to AWS Lambda: per region, in parallel, stage the zip in the regional"
          + " bucket under its sha256, publish a new layer version only if the latest one does not"
          + " already hold these bytes, apply sharing, and notify (SNS, webhooks).",
      "",
      "Two forms:",
      "  publish <zip> --layer NAME ...   one built zip; its manifest is the .json beside it",
      "  publish [LAYER...]               layers of accretion.toml (all, or the named ones)",
      "",
      "With a project file, a zip published under one of its layer names takes that layer's"
          + " settings (regions, sharing, notifications, ...); flags override them. Regions"
          + " default to the project's, else $AWS_REGION (or the profile's region).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion publish dist/deps-python3.12-x86_64.zip --layer deps --regions us-east-1,eu-west-1",
      "  accretion publish dist/deps.zip --layer deps --runtime python3.12,python3.13 --share public",
      "  accretion publish dist/deps.zip --layer deps --share 111122223333 --share org:o-a1b2c3d4e5",
      "  accretion publish --json                      # every layer of accretion.toml",
      "  accretion publish web-deps --regions eu-west-1",
      "",
      "Layers with several targets: one zip serving several runtimes is one version listing all"
          + " of them; a layer for both architectures becomes <layer>-x86_64 and <layer>-arm64;"
          + " zips that differ by runtime become <layer>-python311, <layer>-python312, ...",
      "Exit codes: 0 every region published or unchanged, 1 a region failed (the others are kept;"
          + " rerun to finish) or the input was refused before any AWS call, 2 usage error.",
    })
final class PublishCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      paramLabel = "ZIP|LAYER",
      arity = "0..*",
      description = "A built zip (with --layer), or layer names of the project file.")
  List<String> arguments = new ArrayList<>();

  @Option(
      names = "--layer",
      paramLabel = "NAME",
      description = "Lambda layer name for the zip ([a-zA-Z0-9_-], at most 140 characters).")
  String layer;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      split = ",",
      description = "Compatible runtimes (default: every runtime the zip's manifest lists).")
  List<String> runtimes = new ArrayList<>();

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      split = ",",
      description = "Compatible architectures, x86_64 or arm64 (default: the manifest's).")
  List<String> architectures = new ArrayList<>();

  @Option(
      names = {"--regions", "--region"},
      paramLabel = "REGION",
      description = "Regions to publish to, comma list (default: the project's, else $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--share",
      paramLabel = "WHO",
      split = ",",
      description =
          "private (default), public, 12-digit account ids, or org:o-... (repeatable, comma list).")
  List<String> share = new ArrayList<>();

  @Option(
      names = "--description",
      paramLabel = "TEXT",
      description =
          "Layer version description (at most 172 characters; Accretion adds its marker).")
  String description;

  @Option(names = "--license", paramLabel = "TEXT", description = "LicenseInfo (at most 512).")
  String license;

  @Option(
      names = "--ssm-parameter",
      paramLabel = "NAME",
      description =
          "Write each region's version ARN to this SSM parameter; {runtime} and {arch} make one"
              + " parameter per target (e.g. /layers/deps/{runtime}/{arch}/arn).")
  String ssmParameter;

  @Option(
      names = "--sns",
      negatable = true,
      description = "Announce new versions on the SNS topic accretion-<layer> of each region.")
  Boolean sns;

  @Option(
      names = "--webhook",
      paramLabel = "URL",
      description = "POST the announcement of new versions to this URL (repeatable).")
  List<URI> webhooks = new ArrayList<>();

  @Option(
      names = "--webhook-secret-env",
      paramLabel = "VAR",
      description = "Sign webhooks (HMAC-SHA256) with the secret in this environment variable.")
  String webhookSecretEnv;

  @Option(
      names = "--staging-bucket",
      paramLabel = "PATTERN",
      description =
          "Staging bucket name; {account} and {region} are replaced"
              + " (default: accretion-{account}-{region}).")
  String stagingBucket;

  @Mixin AwsOptions aws;

  @Mixin CacheOptions cache;

  @Option(names = "--json", description = "Print the JSON result on stdout and nothing else.")
  boolean json;

  PublishCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    AwsSettings settings = aws.settings(context);
    List<String> regionList = Regions.split(regions);
    List<PublishResult> results;
    try (LayerPublisher publisher = new LayerPublisher(settings)) {
      PublishListener listener = new Listener(new Progress(context));
      if (layer != null && arguments.size() == 1 && !arguments.get(0).endsWith(".zip")) {
        results = new ArrayList<>();
        for (PublishRequest request : listingRequests(regionList)) {
          results.add(publisher.publish(request, listener));
        }
      } else if (layer != null || arguments.stream().anyMatch(a -> a.endsWith(".zip"))) {
        PublishRequest request = zipRequest(regionList);
        results = List.of(publisher.publish(request, listener));
      } else {
        results = publishProject(publisher, regionList, listener);
      }
    }
    report(results);
    return results.stream().allMatch(PublishResult::ok) ? Cli.OK : Cli.FAILURE;
  }

  private PublishRequest zipRequest(List<String> regionList) throws AccretionException {
    if (layer == null) {
      throw new UsageException("publishing a zip needs --layer NAME (the Lambda layer name)");
    }
    if (arguments.size() != 1) {
      throw new UsageException(
          "give exactly one zip to publish as layer " + layer + ", not " + arguments.size());
    }
    Path zip = context.resolve(Path.of(arguments.get(0)));
    BuiltArtifact artifact = BuiltArtifact.read(zip).restrictTo(runtimes, architectures);
    Optional<ProjectFile.LayerConfig> fromProject = Optional.empty();
    Optional<Path> projectFile = aws.projectFile(context);
    if (projectFile.isPresent()) {
      // the layer's settings; only this layer's webhook secrets must be set
      fromProject =
          Optional.ofNullable(ProjectFile.read(projectFile.get(), context.env()).layer(layer));
      if (fromProject.isPresent() && !fromProject.get().missingSecrets().isEmpty()) {
        throw new AccretionException(String.join("; ", fromProject.get().missingSecrets()));
      }
    }
    List<String> defaultRegions =
        fromProject.map(ProjectFile.LayerConfig::regions).orElse(List.of());
    Sharing sharing =
        !share.isEmpty()
            ? parseSharing()
            : fromProject.map(ProjectFile.LayerConfig::sharing).orElse(Sharing.privateOnly());
    Notifications base =
        fromProject.map(ProjectFile.LayerConfig::notifications).orElse(Notifications.none());
    Notifications notifications =
        new Notifications(
            sns != null ? sns : base.snsTopic(), webhooks.isEmpty() ? base.webhooks() : webhooks());
    return new PublishRequest(
        layer,
        artifact.zip(),
        artifact.sha256Hex(),
        artifact.contentDigest(),
        artifact.runtimes(),
        artifact.architectures(),
        description != null
            ? description
            : fromProject.map(ProjectFile.LayerConfig::description).orElse(""),
        license != null
            ? license
            : fromProject.map(ProjectFile.LayerConfig::licenseInfo).orElse(null),
        regionList.isEmpty() ? defaultRegions : regionList,
        sharing,
        stagingBucket != null
            ? stagingBucket
            : fromProject.map(ProjectFile.LayerConfig::stagingBucketPattern).orElse(null),
        artifact.manifestJson(),
        ssmParameter != null
            ? ssmParameter
            : fromProject.map(ProjectFile.LayerConfig::ssmParameterName).orElse(null),
        notifications);
  }

  /**
   * {@code publish <listing> --layer NAME --runtime R --arch A}: builds the listing like {@code
   * accretion build} (a cache hit when unchanged), then publishes its zips under the names the
   * multi-target rule gives ({@link dev.accretion.aws.project.LayerNaming}).
   */
  private List<PublishRequest> listingRequests(List<String> regionList) throws AccretionException {
    if (runtimes.isEmpty()) {
      throw new UsageException(
          "publishing a listing needs --runtime (and --arch, default x86_64) to build it for");
    }
    Path listing = context.resolve(Path.of(arguments.get(0)));
    ProjectFile.LayerConfig fromProject = null;
    Optional<Path> projectFile = aws.projectFile(context);
    if (projectFile.isPresent()) {
      fromProject = ProjectFile.read(projectFile.get(), context.env()).layer(layer);
    }
    Notifications base = fromProject == null ? Notifications.none() : fromProject.notifications();
    ProjectFile.LayerConfig config =
        new ProjectFile.LayerConfig(
            layer,
            listing,
            List.of(),
            runtimes,
            architectures.isEmpty() ? List.of("x86_64") : architectures,
            regionList.isEmpty() && fromProject != null ? fromProject.regions() : regionList,
            !share.isEmpty()
                ? parseSharing()
                : fromProject == null ? Sharing.privateOnly() : fromProject.sharing(),
            stagingBucket != null
                ? stagingBucket
                : fromProject == null ? null : fromProject.stagingBucketPattern(),
            description != null
                ? description
                : fromProject == null ? "" : fromProject.description(),
            license != null ? license : fromProject == null ? null : fromProject.licenseInfo(),
            ssmParameter != null
                ? ssmParameter
                : fromProject == null ? null : fromProject.ssmParameterName(),
            new Notifications(
                sns != null ? sns : base.snsTopic(),
                webhooks.isEmpty() ? base.webhooks() : webhooks()),
            List.of(),
            null,
            0);
    List<BuiltArtifact> artifacts = ArtifactSources.build(context, cache, config);
    List<PublishRequest> requests = new ArrayList<>();
    for (LayerNaming.Planned p : LayerNaming.plan(config, artifacts)) {
      requests.add(
          config.publishRequest(
              p.layerName(),
              p.artifact().zip(),
              p.artifact().sha256Hex(),
              p.artifact().contentDigest(),
              p.runtimes(),
              p.architectures(),
              p.artifact().manifestJson(),
              regionList));
    }
    return requests;
  }

  private Sharing parseSharing() {
    try {
      return Sharing.parse(share);
    } catch (AccretionException e) {
      throw new UsageException("--share: " + e.getMessage());
    }
  }

  private List<Webhook> webhooks() throws AccretionException {
    String secret = null;
    if (webhookSecretEnv != null) {
      secret = context.env().get(webhookSecretEnv);
      if (secret == null || secret.isEmpty()) {
        throw new AccretionException(
            "--webhook-secret-env "
                + webhookSecretEnv
                + ": that environment variable is not set; export the webhook secret in it");
      }
    }
    List<Webhook> out = new ArrayList<>();
    for (URI url : webhooks) {
      try {
        out.add(new Webhook(url, secret));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--webhook: " + e.getMessage());
      }
    }
    return out;
  }

  private List<PublishResult> publishProject(
      LayerPublisher publisher, List<String> regionList, PublishListener listener)
      throws AccretionException {
    List<String> zipOnly = new ArrayList<>();
    if (!runtimes.isEmpty()) {
      zipOnly.add("--runtime");
    }
    if (!architectures.isEmpty()) {
      zipOnly.add("--arch");
    }
    if (!share.isEmpty()) {
      zipOnly.add("--share");
    }
    if (description != null) {
      zipOnly.add("--description");
    }
    if (license != null) {
      zipOnly.add("--license");
    }
    if (ssmParameter != null) {
      zipOnly.add("--ssm-parameter");
    }
    if (sns != null) {
      zipOnly.add("--sns");
    }
    if (!webhooks.isEmpty() || webhookSecretEnv != null) {
      zipOnly.add("--webhook");
    }
    if (stagingBucket != null) {
      zipOnly.add("--staging-bucket");
    }
    if (!zipOnly.isEmpty()) {
      throw new UsageException(
          String.join(", ", zipOnly)
              + ": only for publishing a zip with --layer; for project layers set them in"
              + " accretion.toml");
    }
    Path file =
        aws.projectFile(context)
            .orElseThrow(
                () ->
                    new UsageException(
                        "no accretion.toml in "
                            + context.workingDirectory()
                            + ": publish a zip with 'accretion publish <zip> --layer NAME', or"
                            + " name the project file with --project"));
    ProjectFile project = ProjectFile.read(file, context.env());
    ProjectPublisher projectPublisher =
        new ProjectPublisher(publisher, ArtifactSources.forProject(context, cache));
    ProjectPublisher.Plan plan = projectPublisher.plan(project, arguments, regionList);
    return projectPublisher.publish(plan, listener);
  }

  private void report(List<PublishResult> results) {
    if (json) {
      context.out().println(PublishResult.toJson(results));
    } else {
      Table table = new Table("LAYER", "REGION", "VERSION", "STATUS", "ARN");
      int published = 0;
      int unchanged = 0;
      int failed = 0;
      for (PublishResult r : results) {
        for (RegionResult region : r.regions()) {
          String status;
          if (!region.ok()) {
            status = "FAILED";
            failed++;
          } else if (region.published()) {
            status = "published";
            published++;
          } else {
            status = "unchanged";
            unchanged++;
          }
          table.row(
              r.layerName(),
              region.region(),
              region.version() == 0 ? "-" : region.version(),
              status,
              region.layerVersionArn());
        }
      }
      table.print(context.out(), "");
      context
          .out()
          .printf(
              "%d %s, %d %s: %d published, %d unchanged, %d failed%n",
              results.size(),
              results.size() == 1 ? "layer" : "layers",
              published + unchanged + failed,
              published + unchanged + failed == 1 ? "region" : "regions",
              published,
              unchanged,
              failed);
    }
    // Failures and notification problems always go to stderr, with what to do.
    for (PublishResult r : results) {
      for (RegionResult region : r.regions()) {
        if (!region.ok()) {
          context
              .err()
              .println(
                  "accretion: error: "
                      + r.layerName()
                      + " in "
                      + region.region()
                      + ": "
                      + region.error());
        }
        if (region.notificationError() != null) {
          context
              .err()
              .println(
                  "accretion: warning: "
                      + r.layerName()
                      + " in "
                      + region.region()
                      + ": "
                      + region.notificationError());
        }
      }
      for (String failure : r.notificationFailures()) {
        context.err().println("accretion: warning: " + r.layerName() + ": " + failure);
      }
    }
  }

  /** Draws the current step of each region on an interactive terminal. */
  private static final class Listener implements PublishListener {
    private final Progress progress;

    Listener(Progress progress) {
      this.progress = progress;
    }

    @Override
    public void step(String region, String step, String detail) {
      progress.status(region + ": " + step + " " + detail);
    }

    @Override
    public void retrying(String region, String operation, int attempt, String reason) {
      progress.status(region + ": retrying " + operation + " (attempt " + attempt + ")");
    }

    @Override
    public void regionFinished(RegionResult result) {
      progress.clear();
    }
  }
}
