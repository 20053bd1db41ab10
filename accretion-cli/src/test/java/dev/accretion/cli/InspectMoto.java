package dev.accretion.cli;

import dev.accretion.testkit.LambdaContentProxy;
import dev.accretion.testkit.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Layers and functions in moto for {@code accretion inspect} tests: zips are staged in moto's S3,
 * published from there, and registered with a {@link LambdaContentProxy} so that the content
 * locations Lambda would return point at moto's S3 (presigned) and every byte read is counted.
 */
final class InspectMoto implements AutoCloseable {
  static final String REGION = "us-east-1";

  final LambdaContentProxy proxy;
  final String run = UUID.randomUUID().toString().substring(0, 8);
  private final S3Client s3;
  private final S3Presigner presigner;
  private final LambdaClient lambda;
  private final String bucket = "inspect-" + run;
  private String role;

  InspectMoto() throws IOException {
    URI moto = MotoServer.endpoint();
    proxy = new LambdaContentProxy(moto);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    s3 =
        S3Client.builder()
            .endpointOverride(moto)
            .region(Region.of(REGION))
            .credentialsProvider(credentials)
            .forcePathStyle(true)
            .build();
    presigner =
        S3Presigner.builder()
            .endpointOverride(moto)
            .region(Region.of(REGION))
            .credentialsProvider(credentials)
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .build())
            .build();
    lambda =
        LambdaClient.builder()
            .endpointOverride(moto)
            .region(Region.of(REGION))
            .credentialsProvider(credentials)
            .build();
    s3.createBucket(b -> b.bucket(bucket));
  }

  /** The environment of a CLI run that reaches moto through the proxy. */
  Map<String, String> env(Path dir) {
    Map<String, String> env = new java.util.LinkedHashMap<>(MotoServer.environment(dir, REGION));
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    return env;
  }

  /** A unique layer or function name. */
  String name(String base) {
    return base + "-" + run;
  }

  /** Stages the zip in S3 and registers it with the proxy; returns its base64 SHA-256. */
  String stage(Path zip) throws IOException {
    String sha = codeSha256(zip);
    String key = "zips/" + UUID.randomUUID() + ".zip";
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(zip));
    URI url =
        URI.create(
            presigner
                .presignGetObject(
                    p ->
                        p.signatureDuration(Duration.ofHours(1))
                            .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url()
                .toString());
    proxy.register(sha, url);
    lastKey = key;
    return sha;
  }

  private String lastKey;

  /** Publishes {@code zip} as a new version of layer {@code name}; returns its ARN. */
  String publish(String name, Path zip, List<String> runtimes, List<String> architectures)
      throws IOException {
    stage(zip);
    String key = lastKey;
    return lambda
        .publishLayerVersion(
            b ->
                b.layerName(name)
                    .content(c -> c.s3Bucket(bucket).s3Key(key))
                    .compatibleRuntimesWithStrings(runtimes)
                    .compatibleArchitecturesWithStrings(architectures))
        .layerVersionArn();
  }

  /** Deletes a layer version and the staged zips (moto keeps both in memory). */
  void delete(String layerVersionArn) {
    int colon = layerVersionArn.lastIndexOf(':');
    String layer = layerVersionArn.substring(0, colon);
    long version = Long.parseLong(layerVersionArn.substring(colon + 1));
    lambda.deleteLayerVersion(b -> b.layerName(layer).versionNumber(version));
    s3.listObjectsV2Paginator(b -> b.bucket(bucket))
        .contents()
        .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
  }

  /** Creates a function from {@code code} with these layers; returns its ARN. */
  String createFunction(
      String name, Path code, String runtime, String architecture, List<String> layers)
      throws IOException {
    stage(code);
    if (role == null) {
      try (IamClient iam =
          IamClient.builder()
              .endpointOverride(MotoServer.endpoint())
              .region(Region.AWS_GLOBAL)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
              .build()) {
        role =
            iam.createRole(
                    b ->
                        b.roleName("inspect-" + run)
                            .assumeRolePolicyDocument(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                    + "\"Allow\",\"Principal\":{\"Service\":"
                                    + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role()
                .arn();
      }
    }
    byte[] bytes = Files.readAllBytes(code);
    String roleArn = role;
    return lambda
        .createFunction(
            b ->
                b.functionName(name)
                    .runtime(Runtime.fromValue(runtime))
                    .architectures(Architecture.fromValue(architecture))
                    .role(roleArn)
                    .handler("app.handler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(bytes)))
                    .layers(layers))
        .functionArn();
  }

  static String codeSha256(Path zip) throws IOException {
    try (InputStream in = Files.newInputStream(zip)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha.update(buffer, 0, n);
      }
      return Base64.getEncoder().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    proxy.close();
    s3.close();
    presigner.close();
    lambda.close();
  }
}
