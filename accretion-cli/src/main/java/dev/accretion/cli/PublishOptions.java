package dev.accretion.cli;

import dev.accretion.app.publish.PublishSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The publish flags: the layer name and the settings over the project file's. */
final class PublishOptions {
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

  @Option(names = "--json", description = "Print the JSON result on stdout and nothing else.")
  boolean json;

  PublishSettings settings() {
    return new PublishSettings(
        runtimes,
        architectures,
        regions,
        share,
        description,
        license,
        ssmParameter,
        sns,
        webhooks,
        webhookSecretEnv,
        stagingBucket);
  }
}
