package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link FunctionDeployer} against moto: a zip over the direct-upload limit goes through the
 * staging bucket (the limit is lowered for the test), then update, tags, listing and delete.
 */
class FunctionDeployerIT {
  private static final String REGION = "eu-central-1";
  private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/deployer-it";

  @TempDir Path dir;

  @BeforeAll
  static void role() throws Exception {
    // moto checks that a function's role exists; IAM's query API, as the AWS CLI sends it
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    String form =
        "Action=CreateRole&Version=2010-05-08&RoleName=deployer-it&AssumeRolePolicyDocument="
            + URLEncoder.encode(policy, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(MotoServer.endpoint().resolve("/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request,"
                            + " SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(200, 409);
  }

  private Path zip(String name, int randomBytes) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("app.py"));
      out.write("def handler(e, c):\n    return 1\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("blob.bin"));
      byte[] noise = new byte[randomBytes];
      new Random(7).nextBytes(noise);
      out.write(noise);
    }
    Path file = dir.resolve(name + ".zip");
    Files.write(file, bytes.toByteArray());
    return file;
  }

  private static String sha256Hex(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void largeZip_goesThroughTheStagingBucket_andTheFunctionLivesThroughItsCalls() throws Exception {
    String name = "deployer-" + UUID.randomUUID().toString().substring(0, 8);
    Path zip = zip(name, 4096);
    String sha = sha256Hex(zip);
    try (FunctionDeployer deployer =
        new FunctionDeployer(MotoServer.settings(), null, 1024, Duration.ofMillis(50))) {
      assertThat(deployer.get(REGION, name)).isEmpty();
      FunctionDeployer.FunctionSpec spec =
          new FunctionDeployer.FunctionSpec(
              name,
              "svc/a@1111",
              "python3.11",
              "app.handler",
              ROLE,
              "x86_64",
              256,
              10,
              Map.of("A", "1"),
              List.of());
      FunctionDeployer.DeployedFunction created =
          deployer.create(REGION, spec, zip, sha, Map.of("accretion:repository", "r"));

      String expectedSha = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha));
      assertThat(created.codeSha256()).isEqualTo(expectedSha);
      assertThat(created.configurationMatches(spec)).isTrue();
      try (S3Client s3 = AwsTestClients.s3(REGION)) {
        String bucket = "accretion-" + MotoServer.ACCOUNT + "-" + REGION;
        assertThat(
                s3.headObject(b -> b.bucket(bucket).key("accretion/functions/" + sha + ".zip"))
                    .contentLength())
            .isEqualTo(Files.size(zip));
      }

      FunctionDeployer.FunctionSpec changed =
          new FunctionDeployer.FunctionSpec(
              name,
              "svc/a@2222",
              "python3.12",
              "app.handler",
              ROLE,
              "x86_64",
              512,
              10,
              Map.of("A", "2"),
              List.of());
      assertThat(deployer.get(REGION, name).orElseThrow().configurationMatches(changed)).isFalse();
      Path other = zip(name + "-2", 2048);
      FunctionDeployer.DeployedFunction updated =
          deployer.updateCode(REGION, name, "x86_64", other, sha256Hex(other));
      assertThat(updated.codeSha256()).isNotEqualTo(expectedSha);
      FunctionDeployer.DeployedFunction configured = deployer.updateConfiguration(REGION, changed);
      assertThat(configured.description()).isEqualTo("svc/a@2222");
      assertThat(configured.configurationMatches(changed)).isTrue();

      assertThat(deployer.listByPrefix(REGION, name))
          .extracting(FunctionDeployer.DeployedFunction::name)
          .containsExactly(name);
      assertThat(deployer.tags(REGION, created.arn())).containsEntry("accretion:repository", "r");
      deployer.delete(REGION, name);
      deployer.delete(REGION, name); // already gone: fine
      assertThat(deployer.get(REGION, name)).isEmpty();
    }
  }
}
