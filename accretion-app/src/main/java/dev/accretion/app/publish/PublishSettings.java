package dev.accretion.app.publish;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The publish settings a request gives; anything not given (null or empty) comes from the project
 * file's layer of the same name, else the defaults. Immutable.
 *
 * @param runtimes compatible runtimes (for a zip: a subset of what it was built for; for a listing:
 *     the runtimes to build for)
 * @param architectures compatible architectures ({@code x86_64}, {@code arm64})
 * @param regions the regions (comma lists allowed)
 * @param share {@code private}, {@code public}, account ids, {@code org:o-...} (comma lists
 *     allowed)
 * @param description the layer version description
 * @param license the LicenseInfo
 * @param ssmParameter an SSM parameter to receive each region's version ARN
 * @param sns announce new versions on the SNS topic {@code accretion-<layer>}; null: not given
 * @param webhooks URLs to POST announcements to
 * @param webhookSecretEnv the environment variable holding the webhook signing secret
 * @param stagingBucket the staging bucket pattern ({@code {account}}, {@code {region}})
 */
public record PublishSettings(
    List<String> runtimes,
    List<String> architectures,
    List<String> regions,
    List<String> share,
    String description,
    String license,
    String ssmParameter,
    Boolean sns,
    List<URI> webhooks,
    String webhookSecretEnv,
    String stagingBucket) {
  public PublishSettings {
    runtimes = List.copyOf(runtimes);
    architectures = List.copyOf(architectures);
    regions = List.copyOf(regions);
    share = List.copyOf(share);
    webhooks = List.copyOf(webhooks);
  }

  /** Nothing given. */
  public static PublishSettings none() {
    return new PublishSettings(
        List.of(), List.of(), List.of(), List.of(), null, null, null, null, List.of(), null, null);
  }

  /** This with other regions. */
  public PublishSettings withRegions(List<String> newRegions) {
    return new PublishSettings(
        runtimes,
        architectures,
        newRegions,
        share,
        description,
        license,
        ssmParameter,
        sns,
        webhooks,
        webhookSecretEnv,
        stagingBucket);
  }

  /**
   * The options given other than regions, by their command-line names ({@code --share}, ...): a
   * project's layers take these from the project file only.
   */
  List<String> givenBeyondRegions() {
    List<String> given = new ArrayList<>();
    if (!runtimes.isEmpty()) {
      given.add("--runtime");
    }
    if (!architectures.isEmpty()) {
      given.add("--arch");
    }
    if (!share.isEmpty()) {
      given.add("--share");
    }
    if (description != null) {
      given.add("--description");
    }
    if (license != null) {
      given.add("--license");
    }
    if (ssmParameter != null) {
      given.add("--ssm-parameter");
    }
    if (sns != null) {
      given.add("--sns");
    }
    if (!webhooks.isEmpty() || webhookSecretEnv != null) {
      given.add("--webhook");
    }
    if (stagingBucket != null) {
      given.add("--staging-bucket");
    }
    return given;
  }
}
