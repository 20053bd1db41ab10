package dev.accretion.app.publish;

import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a request reaches AWS and where its project file is. AWS settings come from the environment
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_PROFILE}, {@code AWS_REGION},
 * ...); these fields override them. Immutable.
 *
 * @param profile an AWS profile of {@code ~/.aws/config}, or null
 * @param endpointUrl every AWS call goes here (an emulator), or null
 * @param project the project file, or null for {@code accretion.toml} of the working directory if
 *     there is one
 */
public record AwsAccess(String profile, URI endpointUrl, Path project) {
  /** Nothing given: the environment decides, the working directory's project file if any. */
  public static AwsAccess fromEnvironment() {
    return new AwsAccess(null, null, null);
  }

  /**
   * The AWS settings.
   *
   * @throws AccretionException a usage failure for an endpoint without scheme or host; a bad-input
   *     failure for a bad {@code AWS_ENDPOINT_URL}
   */
  public AwsSettings settings(Environment environment) throws AccretionException {
    AwsSettings settings = AwsSettings.fromEnvironment(environment.variables(), environment.home());
    if (profile != null) {
      settings = settings.withProfile(profile);
    }
    if (endpointUrl != null) {
      if (endpointUrl.getScheme() == null || endpointUrl.getHost() == null) {
        throw Usage.error(
            "--endpoint-url '"
                + endpointUrl
                + "' needs a scheme and a host, like http://127.0.0.1:5000");
      }
      settings = settings.withEndpointOverride(endpointUrl);
    }
    return settings;
  }

  /**
   * The project file: {@link #project}, else {@code accretion.toml} of the working directory.
   *
   * @throws AccretionException a usage failure when {@link #project} names no file
   */
  public Optional<Path> projectFile(Environment environment) throws AccretionException {
    if (project != null) {
      Path file = environment.resolve(project);
      if (!Files.isRegularFile(file)) {
        throw Usage.error("--project " + project + ": no such file");
      }
      return Optional.of(file);
    }
    return ProjectFile.find(environment.workingDirectory());
  }

  /** The project file read for looking things up (webhook secrets not needed), if there is one. */
  public Optional<ProjectFile> projectForReading(Environment environment)
      throws AccretionException {
    Optional<Path> file = projectFile(environment);
    return file.isEmpty()
        ? Optional.empty()
        : Optional.of(ProjectFile.readWithBuilderOptions(file.get(), null));
  }
}
