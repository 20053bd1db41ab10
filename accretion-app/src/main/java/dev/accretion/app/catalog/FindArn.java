package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.aws.PublishValidation;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case {@code arn}: the ARN of the latest layer version compatible with a runtime and an
 * architecture (either may be left open), for scripts and templates. Thread-safe.
 */
public final class FindArn {
  private final Environment environment;

  public FindArn(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param runtime a runtime the version must list, or null for any
   * @param architecture an architecture it must list, or null for any
   * @param regions at most one region; empty for the default
   */
  public record Request(
      String layer, String runtime, String architecture, List<String> regions, AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** The version's ARN and the region it was looked up in. */
  public record Result(String layerVersionArn, String region) {}

  /**
   * @throws AccretionException a bad-input failure for an unknown runtime or architecture; a
   *     not-found failure when the layer has no (matching) version, naming the latest one
   */
  public Result find(Request request) throws AccretionException {
    if (request.runtime() != null) {
      PublishValidation.checkRuntime(request.runtime());
    }
    if (request.architecture() != null) {
      PublishValidation.checkArchitecture(request.architecture());
    }
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), request.layer(), request.regions())) {
      String region = c.oneRegion(request.layer());
      Optional<String> arn =
          c.catalog.latestArn(request.layer(), region, request.runtime(), request.architecture());
      if (arn.isPresent()) {
        return new Result(arn.get(), region);
      }
      List<LayerVersionInfo> versions = c.catalog.versions(request.layer(), region);
      if (versions.isEmpty()) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            "layer " + request.layer() + " has no versions in " + region + ": publish it first");
      }
      LayerVersionInfo latest = versions.get(0);
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "no version of layer "
              + request.layer()
              + " in "
              + region
              + " is compatible with "
              + wanted(request.runtime(), request.architecture())
              + " (latest: version "
              + latest.version()
              + " for "
              + String.join(", ", latest.compatibleRuntimes())
              + (latest.compatibleArchitectures().isEmpty()
                  ? ""
                  : " on " + String.join(", ", latest.compatibleArchitectures()))
              + ")");
    }
  }

  /** "python3.12 on arm64", "python3.12", "arm64" (issue 17: never "with on arm64"). */
  static String wanted(String runtime, String architecture) {
    List<String> parts = new ArrayList<>();
    if (runtime != null) {
      parts.add(runtime);
    }
    if (architecture != null) {
      parts.add(architecture);
    }
    return String.join(" on ", parts);
  }
}
