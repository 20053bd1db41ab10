package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Where Lambda keeps the content of any layer version or function the caller may read, for {@code
 * accretion inspect}: the content location (a presigned URL, valid for about ten minutes), its
 * digest and size, and for a function its runtime, architecture and layers in order. A layer
 * version of another account works when it is shared with the caller or public. Nothing is
 * downloaded here. Thread-safe.
 */
public final class LambdaContents implements AutoCloseable {
  private static final Pattern LAYER_VERSION_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\\d{12}):layer:([A-Za-z0-9_-]{1,140}):(\\d+)");
  private static final Pattern FUNCTION_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]{1,140})"
              + "(?::([A-Za-z0-9_$-]+))?");

  private final AwsClients clients;

  public LambdaContents(AwsSettings settings) {
    this.clients = new AwsClients(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * A layer version's content.
   *
   * @param layerVersionArn the layer version's ARN
   * @param location the presigned URL of its zip
   * @param codeSha256 Lambda's base64 SHA-256 of the zip
   * @param codeSize the zip's size
   * @param compatibleRuntimes as the version declares them (may be empty)
   * @param compatibleArchitectures as the version declares them (may be empty)
   * @param description its description, or ""
   * @param license its LicenseInfo, or null
   */
  public record LayerVersionContent(
      String layerVersionArn,
      String region,
      URI location,
      String codeSha256,
      long codeSize,
      List<String> compatibleRuntimes,
      List<String> compatibleArchitectures,
      String description,
      String license) {
    public LayerVersionContent {
      compatibleRuntimes = List.copyOf(compatibleRuntimes);
      compatibleArchitectures = List.copyOf(compatibleArchitectures);
    }
  }

  /**
   * A function's package and configuration.
   *
   * @param runtime the runtime as Lambda names it, or null (container images have none)
   * @param architecture {@code x86_64} or {@code arm64}
   * @param location the presigned URL of its zip, or null for a container image
   * @param packageType {@code Zip} or {@code Image}
   * @param layerArns its layers' version ARNs, in order
   */
  public record FunctionContent(
      String name,
      String functionArn,
      String region,
      String runtime,
      String architecture,
      URI location,
      String codeSha256,
      long codeSize,
      String packageType,
      List<String> layerArns) {
    public FunctionContent {
      layerArns = List.copyOf(layerArns);
    }
  }

  /** Whether {@code text} is a layer version ARN. */
  public static boolean isLayerVersionArn(String text) {
    return LAYER_VERSION_ARN.matcher(text).matches();
  }

  /** The region of a layer version or function ARN, if it is one. */
  public static Optional<String> regionOf(String arn) {
    Matcher m = LAYER_VERSION_ARN.matcher(arn);
    if (m.matches()) {
      return Optional.of(m.group(2));
    }
    m = FUNCTION_ARN.matcher(arn);
    return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
  }

  /** The region of the environment (see {@link LayerCatalog#defaultRegion}). */
  public String defaultRegion() throws AccretionException {
    return clients.defaultRegion();
  }

  /**
   * Looks a layer version up by its ARN, in the ARN's region.
   *
   * @throws AccretionException {@link FailureKind#USAGE} for a malformed ARN, {@link
   *     FailureKind#NOT_FOUND} if it does not exist or is not shared with the caller, {@link
   *     FailureKind#AWS} if the call is refused or fails
   */
  public LayerVersionContent layerVersion(String layerVersionArn) throws AccretionException {
    Matcher m = LAYER_VERSION_ARN.matcher(layerVersionArn);
    if (!m.matches()) {
      throw new AccretionException(
          FailureKind.USAGE,
          "'" + layerVersionArn + "' is not a layer version ARN",
          "give arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION",
          null);
    }
    String region = m.group(2);
    String layerArn = layerVersionArn.substring(0, layerVersionArn.lastIndexOf(':'));
    long version = Long.parseLong(m.group(5));
    PublishValidation.checkRegion(region);
    clients.checkCredentials();
    LambdaClient lambda = clients.lambda(region);
    GetLayerVersionResponse v;
    try {
      // GetLayerVersion with the layer's ARN is GetLayerVersionByArn's twin (same permission,
      // lambda:GetLayerVersion, granted by the owner for shared and public layers), and the
      // emulators the tests use implement it.
      v = lambda.getLayerVersion(b -> b.layerName(layerArn).versionNumber(version));
    } catch (ResourceNotFoundException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "layer version "
              + layerVersionArn
              + " does not exist, or is not shared with your"
              + " account",
          "check the ARN (the region and the version number); a layer of another account must be"
              + " shared with yours or public",
          e);
    } catch (SdkException e) {
      if (!denied(e)) {
        throw failure("read layer version " + layerVersionArn, region, e);
      }
      throw new AccretionException(
          FailureKind.AWS,
          "not allowed to read layer version " + layerVersionArn + ": " + AwsErrors.message(e),
          "its owner must share it with your account (aws lambda add-layer-version-permission"
              + " --action lambda:GetLayerVersion --principal <your account>), and your identity"
              + " needs lambda:GetLayerVersion",
          e);
    }
    if (v.content() == null) {
      throw new AccretionException(
          FailureKind.AWS,
          "Lambda returned no content for layer version " + layerVersionArn,
          "run again; if it persists, report it",
          null);
    }
    return new LayerVersionContent(
        v.layerVersionArn() == null ? layerVersionArn : v.layerVersionArn(),
        region,
        location(v.content().location(), layerVersionArn),
        v.content().codeSha256(),
        v.content().codeSize() == null ? 0 : v.content().codeSize(),
        v.compatibleRuntimesAsStrings(),
        v.compatibleArchitecturesAsStrings(),
        v.description() == null ? "" : v.description(),
        v.licenseInfo());
  }

  /**
   * Looks a function up (its $LATEST, or the version or alias an ARN names).
   *
   * @param nameOrArn the function's name or ARN (an ARN's region wins over {@code region})
   * @param region the region for a plain name
   * @throws AccretionException {@link FailureKind#NOT_FOUND} if there is no such function, {@link
   *     FailureKind#AWS} if the call is refused or fails
   */
  public FunctionContent function(String nameOrArn, String region) throws AccretionException {
    Matcher m = FUNCTION_ARN.matcher(nameOrArn);
    String where = m.matches() ? m.group(2) : region;
    PublishValidation.checkRegion(where);
    clients.checkCredentials();
    LambdaClient lambda = clients.lambda(where);
    GetFunctionResponse f;
    try {
      f = lambda.getFunction(b -> b.functionName(nameOrArn));
    } catch (ResourceNotFoundException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "no function " + nameOrArn + " in " + where,
          "check the name and the region (--region), or give the function's ARN",
          e);
    } catch (SdkException e) {
      if (!denied(e)) {
        throw failure("read function " + nameOrArn, where, e);
      }
      throw new AccretionException(
          FailureKind.AWS,
          "not allowed to read function "
              + nameOrArn
              + " in "
              + where
              + ": "
              + AwsErrors.message(e),
          "your identity needs lambda:GetFunction on it (and lambda:GetLayerVersion on its"
              + " layers)",
          e);
    }
    FunctionConfiguration c = f.configuration();
    List<String> layers = new ArrayList<>();
    if (c.layers() != null) {
      for (Layer l : c.layers()) {
        layers.add(l.arn());
      }
    }
    String packageType = c.packageTypeAsString() == null ? "Zip" : c.packageTypeAsString();
    URI location =
        packageType.equals("Image") || f.code() == null || f.code().location() == null
            ? null
            : location(f.code().location(), nameOrArn);
    String architecture =
        c.architecturesAsStrings() == null || c.architecturesAsStrings().isEmpty()
            ? "x86_64"
            : c.architecturesAsStrings().get(0);
    return new FunctionContent(
        c.functionName(),
        c.functionArn(),
        where,
        c.runtimeAsString(),
        architecture,
        location,
        c.codeSha256(),
        c.codeSize() == null ? 0 : c.codeSize(),
        packageType,
        layers);
  }

  private static boolean denied(SdkException e) {
    return AwsErrors.status(e) == 403 || "AccessDeniedException".equals(AwsErrors.errorCode(e));
  }

  private static URI location(String text, String what) throws AccretionException {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      int query = text.indexOf('?');
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          what
              + ": the content location '"
              + (query < 0 ? text : text.substring(0, query))
              + "' Lambda returned is not an http(s) URL",
          "Lambda returns a presigned https URL; an emulator may not serve layer content",
          e);
    }
  }

  private AccretionException failure(String what, String region, SdkException e) {
    String unreachable = AwsErrors.unreachableCause(e);
    if (unreachable != null) {
      AwsClients.Endpoint endpoint = clients.endpointOf("LAMBDA", region);
      return new AccretionException(
          FailureKind.UNREACHABLE,
          "could not "
              + what
              + " in "
              + region
              + ": the endpoint "
              + endpoint.url()
              + " cannot be reached ("
              + unreachable
              + ")",
          endpoint.advice(),
          e);
    }
    return new AccretionException(
        FailureKind.AWS, "could not " + what + " in " + region + ": " + AwsErrors.message(e), e);
  }

  @Override
  public void close() {
    clients.close();
  }
}
