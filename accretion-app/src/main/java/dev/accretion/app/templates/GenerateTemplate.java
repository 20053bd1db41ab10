package dev.accretion.app.templates;

import dev.accretion.app.CommaLists;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.catalog.LayerLookup;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.LayerVersionDetails;
import dev.accretion.aws.LocatedLayer;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.SsmParameterNames;
import dev.accretion.aws.StagingBucket;
import dev.accretion.aws.VersionMarker;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.templates.LayerTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case {@code template}: a CloudFormation or SAM template for a published layer. By default it
 * deploys the layer's current artifact — the archive of its newest version, already in the staging
 * bucket — as a layer version with the same runtimes, architectures, license and sharing, and
 * exports the version ARN. With an SSM parameter it is instead a function template that takes the
 * layer's latest ARN from the parameter {@code publish --ssm-parameter} writes ({@code
 * {{resolve:ssm:NAME}}}). Thread-safe.
 */
public final class GenerateTemplate {
  private final Environment environment;

  public GenerateTemplate(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param layer the layer's name (a project layer's, or a Lambda layer's)
   * @param format {@code cloudformation} or {@code sam}
   * @param runtime chooses among a project layer's Lambda layers, or null
   * @param architecture likewise, or null
   * @param regions at most one region; empty for the project's, else the environment's
   * @param ssmParameter null for the layer template; else the SSM parameter name (with {@code
   *     {runtime}} and {@code {arch}} allowed), or empty for the project layer's {@code
   *     ssm-parameter}
   * @param output the file to write the template to (relative to the working directory), or null
   */
  public record Request(
      String layer,
      String format,
      String runtime,
      String architecture,
      List<String> regions,
      String ssmParameter,
      Path output,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(layer, "layer");
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** The template and what it was made from. {@code ssmParameter} is null for a layer template. */
  public record Result(
      String format,
      String layer,
      String lambdaLayer,
      String region,
      String layerVersionArn,
      String ssmParameter,
      String template) {
    /** The {@code template --json} document. */
    public String toJson() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("format", format);
      o.put("layer", layer);
      o.put("lambdaLayer", lambdaLayer);
      o.put("region", region);
      o.put("layerVersionArn", layerVersionArn);
      if (ssmParameter != null) {
        o.put("ssmParameter", ssmParameter);
      }
      o.put("template", template);
      return Json.write(o);
    }
  }

  /**
   * @throws AccretionException a usage failure for a bad format, layer name, target or several
   *     regions; a not-found failure when the layer is not published there (or has no SSM
   *     parameter); an AWS failure when AWS cannot be asked
   */
  public Result generate(Request request) throws AccretionException {
    Result result = make(request);
    if (request.output() != null) {
      Path file = environment.resolve(request.output());
      try {
        AtomicFiles.write(file, result.template().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.FAILED,
            request.output() + ": cannot be written (" + e + ")",
            "check that its folder exists and is writable",
            e);
      }
    }
    return result;
  }

  private Result make(Request request) throws AccretionException {
    LayerTemplate.Format format;
    try {
      format =
          LayerTemplate.Format.parse(
              request.format() == null ? "cloudformation" : request.format());
    } catch (IllegalArgumentException e) {
      throw Usage.error("--format: " + e.getMessage() + " (choose cloudformation or sam)");
    }
    LayerQuery query = LayerQuery.of(request.layer(), request.runtime(), request.architecture());
    Optional<ProjectFile> project = request.aws().projectForReading(environment);
    String bucketPattern = LayerLookup.bucketPattern(project, request.layer());
    try (LayerCatalog catalog =
        new LayerCatalog(request.aws().settings(environment), bucketPattern)) {
      String region =
          LayerLookup.oneForLayer(
              CommaLists.split(request.regions()),
              project,
              request.layer(),
              catalog::defaultRegion);
      LocatedLayer located = catalog.locate(query, region);
      String lambdaName = located.lambdaLayerName();
      String formatWord = format == LayerTemplate.Format.SAM ? "sam" : "cloudformation";
      if (request.ssmParameter() != null) {
        String pattern = request.ssmParameter();
        if (pattern.isEmpty()) {
          pattern =
              project
                  .flatMap(p -> LayerLookup.layerOf(p, request.layer()))
                  .map(ProjectFile.LayerConfig::ssmParameterName)
                  .orElseThrow(
                      () ->
                          Usage.error(
                              "--ssm-parameter without a name needs the project layer's"
                                  + " ssm-parameter in accretion.toml; give the name instead"));
        }
        List<String> runtimes = located.latest().compatibleRuntimes();
        List<String> archs = located.latest().compatibleArchitectures();
        String runtime =
            request.runtime() != null
                ? request.runtime()
                : runtimes.isEmpty() ? null : runtimes.get(0);
        if (runtime == null) {
          throw Usage.error(
              "layer " + lambdaName + " lists no runtime: give --runtime for the function");
        }
        String arch =
            request.architecture() != null
                ? request.architecture()
                : archs.isEmpty() ? "x86_64" : archs.get(0);
        String name = SsmParameterNames.name(pattern, runtime, arch);
        return new Result(
            formatWord,
            request.layer(),
            lambdaName,
            region,
            located.latest().layerVersionArn(),
            name,
            LayerTemplate.ssmConsumer(lambdaName, name, runtime, arch, format));
      }
      LayerVersionDetails details = catalog.describe(lambdaName, null, region);
      if (details.sha256() == null) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            "layer "
                + lambdaName
                + " version "
                + details.version()
                + " in "
                + region
                + " was not published by Accretion, so its archive is not in the staging bucket",
            "publish it with accretion first",
            null);
      }
      List<LayerTemplate.Grant> grants = new ArrayList<>();
      for (Sharing.Grant g : details.grants()) {
        grants.add(new LayerTemplate.Grant(g.principal(), g.organizationId()));
      }
      String bucketSub = StagingBucket.name(bucketPattern, "${AWS::AccountId}", "${AWS::Region}");
      LayerTemplate.Layer layer =
          new LayerTemplate.Layer(
              lambdaName,
              VersionMarker.description(
                  details.description() == null ? "" : details.description(), details.sha256()),
              details.compatibleRuntimes(),
              details.compatibleArchitectures(),
              details.licenseInfo(),
              bucketSub,
              StagingBucket.zipKey(lambdaName, details.sha256()),
              grants);
      return new Result(
          formatWord,
          request.layer(),
          lambdaName,
          region,
          details.layerVersionArn(),
          null,
          LayerTemplate.layer(layer, format));
    }
  }
}
