package dev.accretion.app.publish;

import dev.accretion.app.CommaLists;
import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.build.ProjectLayers;
import dev.accretion.aws.Notifications;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.Webhook;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place a request's publish settings meet the project file: a zip or listing published
 * under a layer name of {@code accretion.toml} takes that layer's settings, and what the request
 * gives overrides them.
 */
final class SettingsMerge {
  private SettingsMerge() {}

  /**
   * The layer's settings from the project file (read with its webhook secrets), if it has a layer
   * named {@code layer}.
   *
   * @throws AccretionException a bad-input failure when the project file is invalid or that layer's
   *     webhook secret variable is not set
   */
  static Optional<ProjectFile.LayerConfig> projectLayer(
      Environment environment, AwsAccess aws, String layer) throws AccretionException {
    Optional<Path> projectFile = aws.projectFile(environment);
    if (projectFile.isEmpty()) {
      return Optional.empty();
    }
    ProjectFile.LayerConfig config =
        ProjectLayers.read(projectFile.get(), environment.variables()).layer(layer);
    if (config != null && !config.missingSecrets().isEmpty()) {
      // only this layer's webhook secrets must be set
      throw new AccretionException(
          FailureKind.BAD_INPUT, String.join("; ", config.missingSecrets()));
    }
    return Optional.ofNullable(config);
  }

  /**
   * A layer configuration for {@code layer}: the request's settings over the project layer's.
   *
   * @param listing the listing to build, or null for a zip
   * @param runtimes the runtimes (a listing's to build for; a zip's to publish for)
   * @param architectures the architectures; empty means x86_64
   * @throws AccretionException a usage failure for a bad {@code share} or webhook URL; a bad-input
   *     failure for an unset webhook secret variable
   */
  static ProjectFile.LayerConfig merge(
      Environment environment,
      String layer,
      PublishSettings given,
      Optional<ProjectFile.LayerConfig> project,
      Path listing,
      List<String> runtimes,
      List<String> architectures)
      throws AccretionException {
    List<String> regions = CommaLists.split(given.regions());
    Notifications base =
        project.map(ProjectFile.LayerConfig::notifications).orElse(Notifications.none());
    return new ProjectFile.LayerConfig(
        layer,
        listing,
        List.of(),
        runtimes,
        architectures.isEmpty() ? List.of("x86_64") : architectures,
        regions.isEmpty()
            ? project.map(ProjectFile.LayerConfig::regions).orElse(List.of())
            : regions,
        !given.share().isEmpty()
            ? sharing(given.share())
            : project.map(ProjectFile.LayerConfig::sharing).orElse(Sharing.privateOnly()),
        given.stagingBucket() != null
            ? given.stagingBucket()
            : project.map(ProjectFile.LayerConfig::stagingBucketPattern).orElse(null),
        given.description() != null
            ? given.description()
            : project.map(ProjectFile.LayerConfig::description).orElse(""),
        given.license() != null
            ? given.license()
            : project.map(ProjectFile.LayerConfig::licenseInfo).orElse(null),
        given.ssmParameter() != null
            ? given.ssmParameter()
            : project.map(ProjectFile.LayerConfig::ssmParameterName).orElse(null),
        new Notifications(
            given.sns() != null ? given.sns() : base.snsTopic(),
            given.webhooks().isEmpty() ? base.webhooks() : webhooks(environment, given)),
        List.of(),
        null,
        0);
  }

  private static Sharing sharing(List<String> share) throws AccretionException {
    try {
      return Sharing.parse(share);
    } catch (AccretionException e) {
      throw Usage.error("--share", e);
    }
  }

  private static List<Webhook> webhooks(Environment environment, PublishSettings given)
      throws AccretionException {
    String secret = null;
    if (given.webhookSecretEnv() != null) {
      secret = environment.variables().get(given.webhookSecretEnv());
      if (secret == null || secret.isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "--webhook-secret-env "
                + given.webhookSecretEnv()
                + ": that environment variable is not set; export the webhook secret in it");
      }
    }
    List<Webhook> out = new ArrayList<>();
    for (URI url : given.webhooks()) {
      try {
        out.add(new Webhook(url, secret));
      } catch (IllegalArgumentException e) {
        throw Usage.error("--webhook", e);
      }
    }
    return out;
  }
}
