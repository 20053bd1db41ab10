package dev.accretion.app.catalog;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerQuery;
import dev.accretion.core.AccretionException;
import java.util.List;
import java.util.Objects;

/**
 * Use case {@code arn}: the ARN of the latest layer version compatible with a runtime and an
 * architecture (either may be left open), for scripts and templates. The layer is the name given to
 * publish: a project layer published as several Lambda layers (one per target) is found by its own
 * name and the target. Thread-safe.
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
   * @throws AccretionException a usage failure for a bad layer name, runtime or architecture; a
   *     not-found failure when no Lambda layer of that name serves the target, naming the latest
   *     version
   */
  public Result find(Request request) throws AccretionException {
    LayerQuery query = LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    try (CatalogRequest c =
        CatalogRequest.open(environment, request.aws(), request.layer(), request.regions())) {
      String region = c.oneRegion(request.layer());
      return new Result(c.catalog.arn(query, region), region);
    }
  }
}
