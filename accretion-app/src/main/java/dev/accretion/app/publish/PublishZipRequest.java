package dev.accretion.app.publish;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Publish one built zip (its manifest is the {@code .json} beside it) as a Lambda layer. Immutable.
 *
 * @param zip the zip (relative to the working directory)
 * @param layer the Lambda layer name
 * @param settings runtimes and architectures (a subset of the zip's; empty: all it serves),
 *     regions, sharing, ... over those of the project file's layer of that name
 * @param aws how to reach AWS and where the project file is
 */
public record PublishZipRequest(Path zip, String layer, PublishSettings settings, AwsAccess aws) {
  public PublishZipRequest {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(aws, "aws");
  }
}
