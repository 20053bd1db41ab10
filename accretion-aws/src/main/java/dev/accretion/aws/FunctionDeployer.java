package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Lambda functions of {@code functions sync}: read, create, update (code, then configuration, each
 * waiting until {@code LastUpdateStatus} is no longer {@code InProgress}), list by name prefix,
 * delete. Zips over Lambda's direct-upload limit go through the staging bucket ({@code
 * accretion/functions/<sha256>.zip}). Uses the same clients, endpoint override and retries as the
 * layer publisher. Thread-safe: regions and functions may be worked on in parallel.
 */
public final class FunctionDeployer implements AutoCloseable {
  /** Lambda's limit for a zip sent in the request (50 MB); bigger ones go through S3. */
  public static final long DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;

  private final AwsClients clients;
  private final String stagingBucketPattern;
  private final long directUploadBytes;
  private final Duration pollInterval;
  private volatile String cachedAccount;

  /**
   * @param stagingBucketPattern where large zips are staged ({@code {account}} and {@code {region}}
   *     are replaced), or null for {@value PublishRequest#DEFAULT_BUCKET_PATTERN}
   */
  public FunctionDeployer(AwsSettings settings, String stagingBucketPattern) {
    this(settings, stagingBucketPattern, DIRECT_UPLOAD_BYTES, Duration.ofMillis(500));
  }

  /** For tests: a smaller direct-upload limit and poll interval. */
  public FunctionDeployer(
      AwsSettings settings,
      String stagingBucketPattern,
      long directUploadBytes,
      Duration pollInterval) {
    this.clients = new AwsClients(settings);
    this.stagingBucketPattern =
        stagingBucketPattern == null ? PublishRequest.DEFAULT_BUCKET_PATTERN : stagingBucketPattern;
    this.directUploadBytes = directUploadBytes;
    this.pollInterval = pollInterval;
  }

  /** The environment's default region, without asking any service. */
  public String defaultRegion() throws AccretionException {
    return clients.defaultRegion();
  }

  /** Resolves the credentials once, before any call. */
  public void checkCredentials() throws AccretionException {
    clients.checkCredentials();
  }

  /**
   * What a function is to be: its settings and the Description that carries its revision.
   *
   * @param layers layer version ARNs, in order
   */
  public record FunctionSpec(
      String name,
      String description,
      String runtime,
      String handler,
      String role,
      String architecture,
      int memory,
      int timeout,
      Map<String, String> environment,
      List<String> layers) {
    public FunctionSpec {
      environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
      layers = List.copyOf(layers);
    }
  }

  /**
   * A function as Lambda has it.
   *
   * @param codeSha256 base64 SHA-256 of its zip
   * @param lastUpdateStatus Successful, Failed, InProgress, or null
   */
  public record DeployedFunction(
      String name,
      String arn,
      String description,
      String codeSha256,
      String runtime,
      String handler,
      String role,
      String architecture,
      int memory,
      int timeout,
      Map<String, String> environment,
      List<String> layers,
      String lastUpdateStatus) {
    public DeployedFunction {
      environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
      layers = List.copyOf(layers);
    }

    /** Whether every setting but the code and description is as {@code spec} says. */
    public boolean configurationMatches(FunctionSpec spec) {
      return spec.runtime().equals(runtime)
          && spec.handler().equals(handler)
          && spec.role().equals(role)
          && spec.memory() == memory
          && spec.timeout() == timeout
          && spec.environment().equals(environment)
          && spec.layers().equals(layers);
    }
  }

  /**
   * GetFunction.
   *
   * @return empty when there is no function of that name in the region
   */
  public Optional<DeployedFunction> get(String region, String name) throws AccretionException {
    try {
      GetFunctionResponse r = lambda(region).getFunction(b -> b.functionName(name));
      return Optional.of(deployed(r.configuration()));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("lambda:GetFunction", name, region, e);
    }
  }

  /** Every function whose name starts with {@code prefix}, by name. */
  public List<DeployedFunction> listByPrefix(String region, String prefix)
      throws AccretionException {
    List<DeployedFunction> out = new ArrayList<>();
    try {
      for (FunctionConfiguration c : lambda(region).listFunctionsPaginator(b -> {}).functions()) {
        if (c.functionName().startsWith(prefix)) {
          out.add(deployed(c));
        }
      }
    } catch (SdkException e) {
      throw failure("lambda:ListFunctions", prefix + "*", region, e);
    }
    out.sort(java.util.Comparator.comparing(DeployedFunction::name));
    return out;
  }

  /** CreateFunction with the zip, then waits until the function is no longer Pending. */
  public DeployedFunction create(
      String region, FunctionSpec spec, Path zip, String sha256Hex, Map<String, String> tags)
      throws AccretionException {
    FunctionCode code = code(region, zip, sha256Hex);
    try {
      lambda(region)
          .createFunction(
              b ->
                  b.functionName(spec.name())
                      .description(spec.description())
                      .runtime(spec.runtime())
                      .handler(spec.handler())
                      .role(spec.role())
                      .architecturesWithStrings(spec.architecture())
                      .memorySize(spec.memory())
                      .timeout(spec.timeout())
                      .environment(e -> e.variables(spec.environment()))
                      .layers(spec.layers())
                      .code(code)
                      .tags(tags)
                      .publish(false));
    } catch (SdkException e) {
      throw failure("lambda:CreateFunction", spec.name(), region, e);
    }
    return waitUntilSettled(region, spec.name());
  }

  /** UpdateFunctionCode, then waits until {@code LastUpdateStatus} is no longer InProgress. */
  public DeployedFunction updateCode(
      String region, String name, String architecture, Path zip, String sha256Hex)
      throws AccretionException {
    waitUntilSettled(region, name);
    FunctionCode code = code(region, zip, sha256Hex);
    try {
      lambda(region)
          .updateFunctionCode(
              b -> {
                b.functionName(name).architecturesWithStrings(architecture).publish(false);
                if (code.s3Bucket() != null) {
                  b.s3Bucket(code.s3Bucket()).s3Key(code.s3Key());
                } else {
                  b.zipFile(code.zipFile());
                }
              });
    } catch (SdkException e) {
      throw failure("lambda:UpdateFunctionCode", name, region, e);
    }
    return waitUntilSettled(region, name);
  }

  /**
   * UpdateFunctionConfiguration (description, runtime, handler, role, memory, timeout, environment,
   * layers), after and before waiting until {@code LastUpdateStatus} is settled.
   */
  public DeployedFunction updateConfiguration(String region, FunctionSpec spec)
      throws AccretionException {
    waitUntilSettled(region, spec.name());
    try {
      lambda(region)
          .updateFunctionConfiguration(
              b ->
                  b.functionName(spec.name())
                      .description(spec.description())
                      .runtime(spec.runtime())
                      .handler(spec.handler())
                      .role(spec.role())
                      .memorySize(spec.memory())
                      .timeout(spec.timeout())
                      .environment(e -> e.variables(spec.environment()))
                      .layers(spec.layers()));
    } catch (SdkException e) {
      throw failure("lambda:UpdateFunctionConfiguration", spec.name(), region, e);
    }
    return waitUntilSettled(region, spec.name());
  }

  /** ListTags of a function. */
  public Map<String, String> tags(String region, String arn) throws AccretionException {
    try {
      Map<String, String> tags = lambda(region).listTags(b -> b.resource(arn)).tags();
      return tags == null ? Map.of() : tags;
    } catch (SdkException e) {
      throw failure("lambda:ListTags", arn, region, e);
    }
  }

  /** DeleteFunction; a function that is already gone is fine. */
  public void delete(String region, String name) throws AccretionException {
    try {
      lambda(region).deleteFunction(b -> b.functionName(name));
    } catch (ResourceNotFoundException e) {
      // deleted already: the goal is reached
    } catch (SdkException e) {
      throw failure("lambda:DeleteFunction", name, region, e);
    }
  }

  /** The function's zip as Lambda serves it (GetFunction's Code.Location), for checks. */
  public String codeLocation(String region, String name) throws AccretionException {
    try {
      return lambda(region).getFunction(b -> b.functionName(name)).code().location();
    } catch (SdkException e) {
      throw failure("lambda:GetFunction", name, region, e);
    }
  }

  private LambdaClient lambda(String region) {
    return clients.lambda(region);
  }

  /**
   * Polls GetFunctionConfiguration until neither State is Pending nor LastUpdateStatus InProgress
   * (Lambda refuses the next update meanwhile with ResourceConflictException).
   */
  private DeployedFunction waitUntilSettled(String region, String name) throws AccretionException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      GetFunctionConfigurationResponse c;
      try {
        c = lambda(region).getFunctionConfiguration(b -> b.functionName(name));
      } catch (SdkException e) {
        throw failure("lambda:GetFunctionConfiguration", name, region, e);
      }
      String state = c.stateAsString();
      String update = c.lastUpdateStatusAsString();
      boolean busy = "Pending".equals(state) || "InProgress".equals(update);
      if (!busy) {
        if ("Failed".equals(update) || "Failed".equals(state)) {
          throw new AccretionException(
              FailureKind.AWS,
              "function "
                  + name
                  + " in "
                  + region
                  + ": the last update failed ("
                  + (c.lastUpdateStatusReason() != null
                      ? c.lastUpdateStatusReason()
                      : c.stateReason())
                  + ")",
              "fix the cause named and sync again",
              null);
        }
        return deployed(c);
      }
      if (System.nanoTime() > deadline) {
        throw new AccretionException(
            FailureKind.AWS,
            "function " + name + " in " + region + " is still updating after 10 minutes",
            "sync again later; a rerun finishes what is missing",
            null);
      }
      AwsErrors.sleep(pollInterval);
    }
  }

  private FunctionCode code(String region, Path zip, String sha256Hex) throws AccretionException {
    long size;
    try {
      size = Files.size(zip);
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + zip + ": " + e, e);
    }
    if (size <= directUploadBytes) {
      try {
        return FunctionCode.builder()
            .zipFile(SdkBytes.fromByteArray(Files.readAllBytes(zip)))
            .build();
      } catch (IOException e) {
        throw new AccretionException(FailureKind.FAILED, "cannot read " + zip + ": " + e, e);
      }
    }
    String bucket = StagingBucket.name(stagingBucketPattern, account(region), region);
    String key = "accretion/functions/" + sha256Hex + ".zip";
    stage(region, bucket, key, zip);
    return FunctionCode.builder().s3Bucket(bucket).s3Key(key).build();
  }

  private void stage(String region, String bucket, String key, Path zip) throws AccretionException {
    Consumer<software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder> put =
        b -> b.bucket(bucket).key(key).contentType("application/zip");
    try {
      try {
        clients.s3(region).headObject(b -> b.bucket(bucket).key(key));
        return; // staged already: keys are content digests
      } catch (S3Exception e) {
        if (e.statusCode() != 404) {
          throw e;
        }
      }
      try {
        clients.s3(region).putObject(put::accept, RequestBody.fromFile(zip));
      } catch (NoSuchBucketException e) {
        clients
            .s3(region)
            .createBucket(
                b -> {
                  b.bucket(bucket);
                  if (!region.equals("us-east-1")) {
                    b.createBucketConfiguration(
                        c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                  }
                });
        clients.s3(region).putObject(put::accept, RequestBody.fromFile(zip));
      }
    } catch (SdkException e) {
      throw failure("s3:PutObject", "s3://" + bucket + "/" + key, region, e);
    }
  }

  private String account(String region) throws AccretionException {
    String known = cachedAccount;
    if (known != null) {
      return known;
    }
    if (!stagingBucketPattern.contains("{account}")) {
      return "";
    }
    try {
      String found = clients.sts(region).getCallerIdentity().account();
      cachedAccount = found;
      return found;
    } catch (SdkException e) {
      throw failure("sts:GetCallerIdentity", "the account", region, e);
    }
  }

  private static DeployedFunction deployed(FunctionConfiguration c) {
    return new DeployedFunction(
        c.functionName(),
        c.functionArn(),
        c.description() == null ? "" : c.description(),
        c.codeSha256(),
        c.runtimeAsString(),
        c.handler(),
        c.role(),
        c.architecturesAsStrings().isEmpty() ? "x86_64" : c.architecturesAsStrings().get(0),
        c.memorySize() == null ? 128 : c.memorySize(),
        c.timeout() == null ? 3 : c.timeout(),
        c.environment() == null || c.environment().variables() == null
            ? Map.of()
            : c.environment().variables(),
        c.layers() == null ? List.of() : c.layers().stream().map(Layer::arn).toList(),
        c.lastUpdateStatusAsString());
  }

  private static DeployedFunction deployed(GetFunctionConfigurationResponse c) {
    return new DeployedFunction(
        c.functionName(),
        c.functionArn(),
        c.description() == null ? "" : c.description(),
        c.codeSha256(),
        c.runtimeAsString(),
        c.handler(),
        c.role(),
        c.architecturesAsStrings().isEmpty() ? "x86_64" : c.architecturesAsStrings().get(0),
        c.memorySize() == null ? 128 : c.memorySize(),
        c.timeout() == null ? 3 : c.timeout(),
        c.environment() == null || c.environment().variables() == null
            ? Map.of()
            : c.environment().variables(),
        c.layers() == null ? List.of() : c.layers().stream().map(Layer::arn).toList(),
        c.lastUpdateStatusAsString());
  }

  private AccretionException failure(String action, String what, String region, SdkException e) {
    String unreachable = AwsErrors.unreachableCause(e);
    if (unreachable != null) {
      AwsClients.Endpoint endpoint =
          clients.endpointOf(action.startsWith("s3") ? "S3" : "LAMBDA", region);
      return new AccretionException(
          FailureKind.AWS,
          "cannot reach the AWS endpoint "
              + endpoint.url()
              + " ("
              + action
              + " "
              + what
              + " in "
              + region
              + "): "
              + unreachable,
          endpoint.advice(),
          e);
    }
    return new AccretionException(
        FailureKind.AWS,
        action + " " + what + " in " + region + " failed: " + AwsErrors.message(e),
        "check the credentials' permissions ("
            + action
            + ") and the function's settings; a rerun finishes what is missing",
        e);
  }

  @Override
  public void close() {
    clients.close();
  }
}
