package dev.accretion.cli;

import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command reaches AWS and finds the project file. AWS settings come from the command's
 * environment ({@link Context#env()}: {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_PROFILE}, {@code AWS_REGION}, ...), never from the JVM's own, so in-process runs are
 * isolated; these options override them.
 */
final class AwsOptions {
  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "AWS profile of ~/.aws/config (default: $AWS_PROFILE, else the default chain).")
  String profile;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description =
          "Send every AWS call to this endpoint, e.g. an emulator (default: $AWS_ENDPOINT_URL).")
  URI endpointUrl;

  @Option(
      names = "--project",
      paramLabel = "FILE",
      description = "The project file (default: accretion.toml in the working directory, if any).")
  Path project;

  AwsSettings settings(Context context) throws AccretionException {
    AwsSettings settings = AwsSettings.fromEnvironment(context.env(), context.home());
    if (profile != null) {
      settings = settings.withProfile(profile);
    }
    if (endpointUrl != null) {
      if (endpointUrl.getScheme() == null || endpointUrl.getHost() == null) {
        throw new UsageException(
            "--endpoint-url '"
                + endpointUrl
                + "' needs a scheme and a host, like http://127.0.0.1:5000");
      }
      settings = settings.withEndpointOverride(endpointUrl);
    }
    return settings;
  }

  /** The project file: {@code --project}, else accretion.toml of the working directory. */
  Optional<Path> projectFile(Context context) {
    if (project != null) {
      Path file = context.resolve(project);
      if (!Files.isRegularFile(file)) {
        throw new UsageException("--project " + project + ": no such file");
      }
      return Optional.of(file);
    }
    return ProjectFile.find(context.workingDirectory());
  }

  /** The project file read for looking things up (webhook secrets not needed), if there is one. */
  Optional<ProjectFile> projectForReading(Context context) throws AccretionException {
    Optional<Path> file = projectFile(context);
    return file.isEmpty()
        ? Optional.empty()
        : Optional.of(ProjectFile.readIgnoringSecrets(file.get()));
  }
}
