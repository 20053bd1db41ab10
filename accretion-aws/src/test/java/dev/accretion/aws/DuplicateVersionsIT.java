package dev.accretion.aws;

import static dev.accretion.aws.FaultProxy.publishIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Two versions with the same archive left behind by a publisher that never finished its
 * de-duplication: the next publish applies the race rule on the listing it fetched (one version per
 * archive in the newest run, the lowest number kept, the others deleted), adopts the lowest and
 * reports it as not published by this run. Reproduced through {@link FaultProxy} in front of moto
 * and, as a user would, with the AWS CLI.
 */
class DuplicateVersionsIT {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

  @TempDir Path dir;
  private FaultProxy proxy;
  private LayerPublisher publisher;
  private LayerCatalog direct;
  private String layer;
  private TestLayers.Artifact artifact;

  @BeforeEach
  void setUp() throws Exception {
    proxy = new FaultProxy(MotoServer.endpoint());
    publisher = new LayerPublisher(MotoServer.settings().withEndpointOverride(proxy.endpoint()));
    direct = new LayerCatalog(MotoServer.settings(), null);
    layer = TestLayers.uniqueName("dup");
    artifact = TestLayers.build(dir, layer, Map.of("requests", "2.32.3", "idna", "3.10"));
  }

  @AfterEach
  void tearDown() throws Exception {
    publisher.close();
    direct.close();
    proxy.close();
  }

  private PublishResult publish() throws Exception {
    return publisher.publish(TestLayers.request(layer, artifact, REGIONS), PublishListener.NONE);
  }

  /** Version numbers of the layer in a region whose Description names the test archive. */
  private List<Long> versionsWithArchive(String region) throws Exception {
    return direct.versions(layer, region).stream()
        .filter(v -> artifact.sha256Hex().equals(v.sha256()))
        .map(LayerVersionInfo::version)
        .toList();
  }

  /** Another publisher's PublishLayerVersion of the same archive, straight to moto. */
  private long publishDirectly(String region, String description, byte[] zip) {
    try (LambdaClient lambda = directLambda(region)) {
      return lambda
          .publishLayerVersion(
              b ->
                  b.layerName(layer)
                      .description(description)
                      .compatibleRuntimesWithStrings("python3.12", "python3.13")
                      .compatibleArchitecturesWithStrings("x86_64")
                      .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))))
          .version();
    }
  }

  private long otherPublisher(String region) {
    return publishDirectly(
        region, VersionMarker.description("test layer", artifact.sha256Hex()), zipBytes());
  }

  /** The rerun every scenario ends with: one version per region, v1, not published by it. */
  private void assertRerunKeepsOnlyTheLowestVersion() throws Exception {
    PublishResult rerun = publish();

    assertThat(rerun.ok()).as(rerun.toString()).isTrue();
    for (String region : REGIONS) {
      RegionResult r = rerun.region(region);
      assertThat(r.version()).as(region).isEqualTo(1);
      assertThat(r.layerVersionArn()).as(region).endsWith(":layer:" + layer + ":1");
      assertThat(r.published()).as("this run created nothing in " + region).isFalse();
      assertThat(versionsWithArchive(region)).as(region).containsExactly(1L);
    }
  }

  @Test
  void publisherKilledAfterItsPublishReachedLambda_nextPublishDeletesTheDuplicate()
      throws Exception {
    // In each region another publisher's version 1 lands just before this one's, whose
    // PublishLayerVersion reaches Lambda (version 2); then the process is killed, before it can
    // de-duplicate.
    CountDownLatch forwarded = new CountDownLatch(REGIONS.size());
    for (String region : REGIONS) {
      proxy.when(
          publishIn(region),
          1,
          new FaultProxy.Then(
              () -> otherPublisher(region), new FaultProxy.ForwardThenSignalAndHang(forwarded)));
    }
    Path manifest = dir.resolve("manifest.json");
    Files.write(manifest, artifact.manifestJson());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("killed.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PublishMain.class.getName(),
                layer,
                artifact.zip().toString(),
                artifact.sha256Hex(),
                manifest.toString(),
                String.join(",", REGIONS),
                "0")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    Process child = pb.start();
    try {
      assertThat(forwarded.await(90, TimeUnit.SECONDS))
          .as("both publishes reached moto; output: %s", out)
          .isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL: no de-duplication, no clean-up
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    for (String region : REGIONS) {
      assertThat(versionsWithArchive(region)).as(region).containsExactly(2L, 1L);
    }

    proxy.clearRules();
    assertRerunKeepsOnlyTheLowestVersion();
  }

  @Test
  void listingOutageDuringDeduplication_nextPublishDeletesTheDuplicate() throws Exception {
    // Another publisher's version 1 lands just before ours (version 2); after our publish every
    // ListLayerVersions fails, so our de-duplication cannot run and the region fails.
    for (String region : REGIONS) {
      proxy.when(
          publishIn(region), 1, new FaultProxy.BeforeForwarding(() -> otherPublisher(region)));
    }
    Predicate<FaultProxy.Seen> listingAfterPublish =
        s ->
            s.service().equals("lambda")
                && s.method().equals("GET")
                && s.path().matches(".*/layers/" + layer + "/versions/?(\\?.*)?")
                && proxy.count(publishIn(s.region())) > 0;
    proxy.when(
        listingAfterPublish,
        Integer.MAX_VALUE,
        FaultProxy.lambdaError(503, "ServiceException", "Lambda is unavailable"));

    PublishResult first = publish();

    for (String region : REGIONS) {
      assertThat(first.region(region).ok()).as(first.toString()).isFalse();
      assertThat(first.region(region).error()).contains("de-duplicate").contains("rerun");
      assertThat(versionsWithArchive(region)).as(region).containsExactly(2L, 1L);
    }

    proxy.clearRules();
    assertRerunKeepsOnlyTheLowestVersion();
  }

  @Test
  void secondVersionMadeWithTheAwsCli_nextPublishKeepsVersionOneAndReportsIt() throws Exception {
    PublishResult first = publish();
    assertThat(first.ok()).as(first.toString()).isTrue();
    for (String region : REGIONS) {
      assertThat(first.region(region).version()).isEqualTo(1);
      assertThat(first.region(region).published()).as("this run created v1").isTrue();
    }
    // The README's manual reproduction: a second version with the same Description and content.
    for (String region : REGIONS) {
      LayerVersionDetails v1 = direct.describe(layer, 1L, region);
      Python.Result r =
          Python.exec(
              List.of(
                  "aws",
                  "--endpoint-url",
                  MotoServer.endpoint().toString(),
                  "--region",
                  region,
                  "--output",
                  "json",
                  "lambda",
                  "publish-layer-version",
                  "--layer-name",
                  layer,
                  "--description",
                  VersionMarker.description(v1.description(), artifact.sha256Hex()),
                  "--compatible-runtimes",
                  "python3.12",
                  "python3.13",
                  "--zip-file",
                  "fileb://" + artifact.zip()),
              "",
              Map.of(
                  "AWS_ACCESS_KEY_ID", "testing",
                  "AWS_SECRET_ACCESS_KEY", "testing",
                  "AWS_EC2_METADATA_DISABLED", "true",
                  "AWS_CONFIG_FILE", "/dev/null",
                  "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
              60);
      assertThat(r.code()).as(r.stderr()).isZero();
      assertThat(versionsWithArchive(region)).as(region).containsExactly(2L, 1L);
    }

    assertRerunKeepsOnlyTheLowestVersion();
    // and the rerun after that changes nothing
    assertRerunKeepsOnlyTheLowestVersion();
  }

  @Test
  void nothingToClean_costsNoCallBeyondTheAdoptionCheck() throws Exception {
    // v1 = this archive, v2 = another one, v3 = this archive again (a roll-back): the newest run
    // of this archive is v3 alone; v1 is history below another archive and stays.
    String region = "us-east-1";
    otherPublisher(region);
    TestLayers.Artifact other = TestLayers.build(dir, layer, Map.of("attrs", "24.2.0"));
    publishDirectly(
        region,
        VersionMarker.description("test layer", other.sha256Hex()),
        Files.readAllBytes(other.zip()));
    otherPublisher(region);
    Predicate<FaultProxy.Seen> getVersion =
        s ->
            s.service().equals("lambda")
                && s.method().equals("GET")
                && s.path().matches(".*/layers/" + layer + "/versions/\\d+");
    Predicate<FaultProxy.Seen> delete =
        s -> s.service().equals("lambda") && s.method().equals("DELETE");

    PublishResult result =
        publisher.publish(
            TestLayers.request(layer, artifact, List.of(region)), PublishListener.NONE);

    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(result.region(region).version()).isEqualTo(3);
    assertThat(result.region(region).published()).isFalse();
    assertThat(proxy.count(getVersion)).as(proxy.summary().toString()).isEqualTo(1);
    assertThat(proxy.count(delete)).isZero();
    assertThat(versionsWithArchive(region)).containsExactly(3L, 1L);
  }

  @Test
  void versionWhoseMarkerNamesThisArchiveButWhoseBytesDiffer_isNotAdopted() throws Exception {
    // The newest version's Description names this archive, but Lambda's CodeSha256 says its bytes
    // are other ones: it is not "already published", and a new version is made.
    String region = "us-east-1";
    TestLayers.Artifact other = TestLayers.build(dir, layer, Map.of("attrs", "24.2.0"));
    publishDirectly(
        region,
        VersionMarker.description("test layer", artifact.sha256Hex()),
        Files.readAllBytes(other.zip()));

    PublishResult result =
        publisher.publish(
            TestLayers.request(layer, artifact, List.of(region)), PublishListener.NONE);

    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(result.region(region).version()).isEqualTo(2);
    assertThat(result.region(region).published()).isTrue();
    assertThat(direct.describe(layer, 2L, region).codeSha256()).isEqualTo(artifact.codeSha256());
  }

  @Test
  void versionWithoutCodeSha256_isNotTakenForThisArchive() throws Exception {
    // Lambda always reports CodeSha256; an answer without it confirms nothing.
    String region = "us-east-1";
    publishDirectly(
        region, VersionMarker.description("test layer", artifact.sha256Hex()), zipBytes());
    proxy.when(
        s ->
            s.service().equals("lambda")
                && s.method().equals("GET")
                && s.path().matches(".*/layers/" + layer + "/versions/1"),
        1,
        new FaultProxy.Respond(
            200,
            Map.of("Content-Type", "application/json"),
            "{\"Version\":1,\"Description\":\""
                + VersionMarker.description("test layer", artifact.sha256Hex())
                + "\",\"LayerVersionArn\":\"arn:aws:lambda:us-east-1:"
                + MotoServer.ACCOUNT
                + ":layer:"
                + layer
                + ":1\",\"Content\":{\"CodeSize\":100}}"));

    PublishResult result =
        publisher.publish(
            TestLayers.request(layer, artifact, List.of(region)), PublishListener.NONE);

    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(proxy.faultsInjected()).isEqualTo(1);
    assertThat(result.region(region).version()).isEqualTo(2);
    assertThat(result.region(region).published()).isTrue();
  }

  private byte[] zipBytes() {
    try {
      return Files.readAllBytes(artifact.zip());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static LambdaClient directLambda(String region) {
    return LambdaClient.builder()
        .region(Region.of(region))
        .endpointOverride(MotoServer.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
        .build();
  }
}
