package dev.accretion.cli;

import dev.accretion.app.publish.AwsAccess;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command reaches AWS and finds the project file. AWS settings come from the command's
 * environment ({@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_PROFILE}, {@code
 * AWS_REGION}, ...), never from the JVM's own, so in-process runs are isolated; these options
 * override them.
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

  AwsAccess access() {
    return new AwsAccess(profile, endpointUrl, project);
  }
}
