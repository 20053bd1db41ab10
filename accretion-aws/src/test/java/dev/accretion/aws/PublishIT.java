package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * End to end against moto through the SDK: three layers to four regions, republish unchanged,
 * change one package, notifications through SNS into SQS, sharing in the layer version policy, SSM,
 * and every read-back command. Steps run in order on shared state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishIT {
  private static final List<String> REGIONS =
      List.of("us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORG = "o-abcdef1234";

  private Path dir;
  private LayerPublisher publisher;
  private LayerCatalog catalog;
  private final String open = TestLayers.uniqueName("open");
  private final String team = TestLayers.uniqueName("team");
  private final String org = TestLayers.uniqueName("org");
  private final Map<String, TestLayers.Artifact> artifacts = new HashMap<>();
  private final Map<String, PublishResult> firstResults = new HashMap<>();
  private TestLayers.Artifact changed;
  private PublishResult changedResult;
  private final Map<String, String> queues = new LinkedHashMap<>(); // region -> queue url

  private static final Map<String, String> OPEN_V1 =
      Map.of("requests", "2.32.3", "chardet", "5.2.0", "certifi", "2024.8.30");
  private static final Map<String, String> OPEN_V2 =
      Map.of("requests", "2.32.4", "urllib3", "2.2.3", "certifi", "2024.8.30");

  @BeforeAll
  void publishThreeLayersToFourRegions() throws Exception {
    dir = Files.createTempDirectory("publish-it");
    publisher = new LayerPublisher(MotoServer.settings());
    catalog = new LayerCatalog(MotoServer.settings(), null);
    artifacts.put(open, TestLayers.build(dir, open, OPEN_V1));
    artifacts.put(team, TestLayers.build(dir, team, Map.of("boto3", "1.35.0")));
    artifacts.put(org, TestLayers.build(dir, org, Map.of("numpy", "2.2.6", "pandas", "2.2.3")));
    // A consumer subscribes an SQS queue to the open layer's topic in every region.
    for (String region : REGIONS) {
      try (SnsClient sns = AwsTestClients.sns(region);
          SqsClient sqs = AwsTestClients.sqs(region)) {
        String topic = sns.createTopic(b -> b.name(Notifications.topicName(open))).topicArn();
        String url = sqs.createQueue(b -> b.queueName(open + "-consumer")).queueUrl();
        String arn =
            sqs.getQueueAttributes(
                    b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn));
        queues.put(region, url);
      }
    }
    for (String layer : List.of(open, team, org)) {
      firstResults.put(
          layer, publisher.publish(request(layer, artifacts.get(layer)), PublishListener.NONE));
    }
  }

  @AfterAll
  void close() {
    publisher.close();
    catalog.close();
  }

  private PublishRequest request(String layer, TestLayers.Artifact a) {
    Sharing sharing =
        layer.equals(open)
            ? Sharing.publicAccess()
            : layer.equals(team)
                ? Sharing.accounts(List.of("222222222222", "111111111111"))
                : Sharing.organization(ORG);
    return new PublishRequest(
        layer,
        a.zip(),
        a.sha256Hex(),
        "content:" + layer,
        List.of("python3.12", "python3.13"),
        List.of("x86_64"),
        "Accretion test layer " + layer,
        "MIT",
        REGIONS,
        sharing,
        null,
        a.manifestJson(),
        layer.equals(org) ? "/accretion/" + layer + "/latest" : null,
        Notifications.sns());
  }

  /**
   * Receives and deletes the queue's messages in a region: waits for {@code expected} of them, or
   * when 0 is expected, drains what is there (moto delivers SNS to SQS within the Publish call).
   */
  private List<Message> receive(String region, int expected) {
    List<Message> out = new ArrayList<>();
    try (SqsClient sqs = AwsTestClients.sqs(region)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      do {
        List<Message> got =
            sqs.receiveMessage(
                    b ->
                        b.queueUrl(queues.get(region))
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(expected == 0 ? 0 : 1))
                .messages();
        for (Message m : got) {
          out.add(m);
          sqs.deleteMessage(b -> b.queueUrl(queues.get(region)).receiptHandle(m.receiptHandle()));
        }
      } while (expected > 0 && out.size() < expected && System.nanoTime() < deadline);
    }
    return out;
  }

  @Test
  @Order(1)
  void firstPublish_createsVersionOneOfEveryLayerInEveryRegion() {
    for (String layer : List.of(open, team, org)) {
      PublishResult r = firstResults.get(layer);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.regions()).extracting(RegionResult::region).containsExactlyElementsOf(REGIONS);
      for (RegionResult region : r.regions()) {
        assertThat(region.published()).isTrue();
        assertThat(region.version()).isEqualTo(1);
        assertThat(region.layerVersionArn())
            .isEqualTo("arn:aws:lambda:" + region.region() + ":123456789012:layer:" + layer + ":1");
      }
    }
  }

  @Test
  @Order(2)
  void firstPublish_notifiesEachRegionWithEveryPackageAdded() throws Exception {
    TestLayers.Artifact a = artifacts.get(open);
    for (String region : REGIONS) {
      List<Message> messages = receive(region, 1);
      assertThat(messages).as("messages in " + region).hasSize(1);
      JsonNode envelope = JSON.readTree(messages.get(0).body());
      LayerPublishedEvent event = LayerPublishedEvent.parse(envelope.get("Message").asText());
      assertThat(event.layer()).isEqualTo(open);
      assertThat(event.sha256()).isEqualTo(a.sha256Hex());
      assertThat(event.versions()).hasSize(4).allMatch(LayerPublishedEvent.VersionRef::isNew);
      assertThat(event.previousSha256()).isNull();
      assertThat(event.diff().added())
          .containsExactly(
              new PackageVersion("certifi", "2024.8.30"),
              new PackageVersion("chardet", "5.2.0"),
              new PackageVersion("requests", "2.32.3"));
      assertThat(event.diff().removed()).isEmpty();
      assertThat(event.diff().changed()).isEmpty();
      JsonNode attributes = envelope.get("MessageAttributes");
      assertThat(attributes.get("layer").get("Type").asText()).isEqualTo("String");
      assertThat(attributes.get("layer").get("Value").asText()).isEqualTo(open);
      assertThat(attributes.get("runtime").get("Type").asText()).isEqualTo("String.Array");
      assertThat(JSON.readTree(attributes.get("runtime").get("Value").asText()))
          .containsExactly(
              JSON.getNodeFactory().textNode("python3.12"),
              JSON.getNodeFactory().textNode("python3.13"));
      assertThat(attributes.get("architecture").get("Value").asText()).isEqualTo("[\"x86_64\"]");
    }
  }

  @Test
  @Order(3)
  void republishUnchanged_createsNoVersionAnywhereAndSendsNothing() throws Exception {
    for (String layer : List.of(open, team, org)) {
      PublishResult r =
          publisher.publish(request(layer, artifacts.get(layer)), PublishListener.NONE);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.regions()).allMatch(x -> !x.published() && x.version() == 1);
    }
    for (String region : REGIONS) {
      for (String layer : List.of(open, team, org)) {
        assertThat(catalog.versions(layer, region)).hasSize(1);
      }
      assertThat(receive(region, 0)).isEmpty();
    }
  }

  @Test
  @Order(4)
  void changeOnePackage_createsExactlyOneVersionPerRegionAndAnnouncesTheDiff() throws Exception {
    changed = TestLayers.build(dir, open, OPEN_V2);
    changedResult = publisher.publish(request(open, changed), PublishListener.NONE);

    assertThat(changedResult.ok()).as(changedResult.toString()).isTrue();
    assertThat(changedResult.regions()).allMatch(r -> r.published() && r.version() == 2);
    for (String region : REGIONS) {
      assertThat(catalog.versions(open, region))
          .extracting(LayerVersionInfo::version)
          .containsExactly(2L, 1L);
      assertThat(catalog.versions(team, region)).hasSize(1);
      List<Message> messages = receive(region, 1);
      assertThat(messages).hasSize(1);
      LayerPublishedEvent event =
          LayerPublishedEvent.parse(JSON.readTree(messages.get(0).body()).get("Message").asText());
      assertThat(event.sha256()).isEqualTo(changed.sha256Hex());
      assertThat(event.previousSha256()).isEqualTo(artifacts.get(open).sha256Hex());
      assertThat(event.diff().added()).containsExactly(new PackageVersion("urllib3", "2.2.3"));
      assertThat(event.diff().removed()).containsExactly(new PackageVersion("chardet", "5.2.0"));
      assertThat(event.diff().changed())
          .containsExactly(new PackageDiff.Change("requests", "2.32.3", "2.32.4"));
      assertThat(event.versions())
          .extracting(LayerPublishedEvent.VersionRef::region)
          .containsExactlyElementsOf(REGIONS);
      assertThat(event.versions())
          .allSatisfy(
              v -> {
                assertThat(v.layerVersionArn()).endsWith(":" + open + ":2");
                assertThat(v.previousVersionArn()).endsWith(":" + open + ":1");
              });
      assertThat(receive(region, 0)).as("exactly one message in " + region).isEmpty();
    }
  }

  @Test
  @Order(5)
  void sharing_isVisibleInTheLayerVersionPolicyAndReapplyingIsANoOp() throws Exception {
    for (String region : REGIONS) {
      try (LambdaClient lambda = AwsTestClients.lambda(region)) {
        JsonNode openPolicy = policy(lambda, open, 2);
        assertThat(openPolicy.get("Statement")).hasSize(1);
        JsonNode statement = openPolicy.get("Statement").get(0);
        assertThat(statement.get("Sid").asText()).isEqualTo("accretion-public");
        assertThat(statement.get("Action").asText()).isEqualTo("lambda:GetLayerVersion");
        assertThat(statement.get("Principal").asText()).isEqualTo("*");

        JsonNode teamPolicy = policy(lambda, team, 1);
        List<String> sids = new ArrayList<>();
        teamPolicy.get("Statement").forEach(s -> sids.add(s.get("Sid").asText()));
        // republished in step 3: still exactly one statement per account
        assertThat(sids)
            .containsExactlyInAnyOrder(
                "accretion-account-111111111111", "accretion-account-222222222222");

        JsonNode orgPolicy = policy(lambda, org, 1);
        assertThat(orgPolicy.get("Statement")).hasSize(1);
        JsonNode orgStatement = orgPolicy.get("Statement").get(0);
        assertThat(orgStatement.get("Sid").asText()).isEqualTo("accretion-org-" + ORG);
        // AWS puts the organization in Condition.StringEquals["aws:PrincipalOrgID"]; moto 5.2.1
        // keeps the request's OrganizationId field as is. Either way the grant is read back.
        assertThat(orgStatement.toString()).contains(ORG);
        assertThat(catalog.describe(org, 1L, region).grants())
            .containsExactly(new Sharing.Grant("accretion-org-" + ORG, "*", ORG));
      }
    }
  }

  private static JsonNode policy(LambdaClient lambda, String layer, long version) throws Exception {
    return JSON.readTree(
        lambda.getLayerVersionPolicy(b -> b.layerName(layer).versionNumber(version)).policy());
  }

  @Test
  @Order(6)
  void manifestAndArchive_areStagedBesideEachOtherUnderTheDigest() {
    for (String region : REGIONS) {
      try (S3Client s3 = AwsTestClients.s3(region)) {
        String bucket = "accretion-123456789012-" + region;
        String prefix = "accretion/" + open + "/";
        List<String> keys =
            s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key().substring(prefix.length()))
                .toList();
        assertThat(keys)
            .contains(
                changed.sha256Hex() + ".zip",
                changed.sha256Hex() + ".manifest.json",
                artifacts.get(open).sha256Hex() + ".zip",
                "versions/1.json",
                "versions/2.json");
        byte[] manifest =
            s3.getObjectAsBytes(
                    b -> b.bucket(bucket).key(prefix + changed.sha256Hex() + ".manifest.json"))
                .asByteArray();
        assertThat(manifest).isEqualTo(changed.manifestJson());
      }
    }
  }

  @Test
  @Order(7)
  void ssmParameter_holdsTheLatestArnOfItsRegion() {
    for (String region : REGIONS) {
      try (var ssm = AwsTestClients.ssm(region)) {
        String value =
            ssm.getParameter(b -> b.name("/accretion/" + org + "/latest")).parameter().value();
        assertThat(value).isEqualTo(firstResults.get(org).region(region).layerVersionArn());
      }
    }
  }

  @Test
  @Order(8)
  void describe_showsRuntimesSizeDigestSharingAndTheManifest() throws Exception {
    LayerVersionDetails d = catalog.describe(open, null, "eu-west-1");

    assertThat(d.version()).isEqualTo(2);
    assertThat(d.layerVersionArn()).endsWith(":" + open + ":2");
    assertThat(d.compatibleRuntimes()).containsExactly("python3.12", "python3.13");
    assertThat(d.compatibleArchitectures()).containsExactly("x86_64");
    assertThat(d.codeSha256()).isEqualTo(changed.codeSha256());
    assertThat(d.sha256()).isEqualTo(changed.sha256Hex());
    assertThat(d.codeSize()).isEqualTo(Files.size(changed.zip()));
    assertThat(d.description()).isEqualTo("Accretion test layer " + open);
    assertThat(d.licenseInfo()).isEqualTo("MIT");
    assertThat(d.isPublic()).isTrue();
    assertThat(d.created()).isNotNull();
    assertThat(d.manifest().packages())
        .containsExactly(
            new PackageVersion("certifi", "2024.8.30"),
            new PackageVersion("requests", "2.32.4"),
            new PackageVersion("urllib3", "2.2.3"));

    LayerVersionDetails team1 = catalog.describe(team, 1L, "sa-east-1");
    assertThat(team1.isPublic()).isFalse();
    assertThat(team1.grants())
        .extracting(Sharing.Grant::principal)
        .containsExactlyInAnyOrder("111111111111", "222222222222");
  }

  @Test
  @Order(9)
  void describe_ofAMissingVersionSaysWhichExist() {
    assertThatThrownBy(() -> catalog.describe(open, 7L, "us-east-1"))
        .hasMessageContaining("has no version 7")
        .hasMessageContaining("1, 2");
  }

  @Test
  @Order(10)
  void diff_listsAddedRemovedAndChangedPackages() throws Exception {
    PackageDiff diff = catalog.diff(open, 1, 2, "ap-southeast-2");

    assertThat(diff.added()).containsExactly(new PackageVersion("urllib3", "2.2.3"));
    assertThat(diff.removed()).containsExactly(new PackageVersion("chardet", "5.2.0"));
    assertThat(diff.changed())
        .containsExactly(new PackageDiff.Change("requests", "2.32.3", "2.32.4"));
    assertThat(catalog.diff(open, 2, 2, "ap-southeast-2").isEmpty()).isTrue();
  }

  @Test
  @Order(11)
  void arn_isTheNewestVersionMatchingRuntimeAndArchitecture() throws Exception {
    String v2 = changedResult.region("us-east-1").layerVersionArn();
    assertThat(catalog.latestArn(open, "us-east-1", null, null)).contains(v2);
    assertThat(catalog.latestArn(open, "us-east-1", "python3.13", "x86_64")).contains(v2);
    assertThat(catalog.latestArn(open, "us-east-1", "python3.9", null)).isEmpty();
    assertThat(catalog.latestArn(open, "us-east-1", null, "arm64")).isEmpty();
  }

  @Test
  @Order(12)
  void ls_listsManagedLayersWithTheirLatestVersionPerRegionAndSkipsOthers() throws Exception {
    String foreign = TestLayers.uniqueName("foreign");
    try (LambdaClient lambda = AwsTestClients.lambda("us-east-1")) {
      lambda.publishLayerVersion(
          b ->
              b.layerName(foreign)
                  .description("published by hand")
                  .content(c -> c.zipFile(SdkBytes.fromByteArray(new byte[] {'P', 'K', 5, 6}))));
    }

    List<ManagedLayer> layers = catalog.list(REGIONS);

    assertThat(layers).extracting(ManagedLayer::layerName).doesNotContain(foreign);
    List<ManagedLayer> openLayers =
        layers.stream().filter(l -> l.layerName().equals(open)).toList();
    assertThat(openLayers).extracting(ManagedLayer::region).containsExactlyElementsOf(REGIONS);
    assertThat(openLayers)
        .allSatisfy(
            l -> {
              assertThat(l.latest().version()).isEqualTo(2);
              assertThat(l.latest().sha256()).isEqualTo(changed.sha256Hex());
              assertThat(l.latest().created()).isNotNull();
            });
    assertThat(layers.stream().filter(l -> l.layerName().equals(team))).hasSize(4);
    assertThat(layers.stream().filter(l -> l.layerName().equals(org))).hasSize(4);
  }

  @Test
  @Order(13)
  void awsCli_readsBackWhatWasPublished() throws Exception {
    Python.Result r =
        Python.exec(
            List.of(
                "aws",
                "--endpoint-url",
                MotoServer.endpoint().toString(),
                "--region",
                "ap-southeast-2",
                "--output",
                "json",
                "lambda",
                "list-layer-versions",
                "--layer-name",
                open),
            "",
            Map.of(
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            60);
    assertThat(r.code()).as(r.stderr()).isZero();
    JsonNode versions = JSON.readTree(r.stdout()).get("LayerVersions");
    assertThat(versions).hasSize(2);
    List<String> descriptions = new ArrayList<>();
    versions.forEach(v -> descriptions.add(v.get("Description").asText()));
    assertThat(descriptions)
        .containsExactlyInAnyOrder(
            VersionMarker.description(
                "Accretion test layer " + open, artifacts.get(open).sha256Hex()),
            VersionMarker.description("Accretion test layer " + open, changed.sha256Hex()));
  }

  @Test
  @Order(14)
  void prune_isDryRunByDefaultAndNeverDeletesTheLatest() throws Exception {
    PruneResult dry = catalog.prune(new PruneRequest(open, "us-east-1", 1, null, true));
    assertThat(dry.deleted()).extracting(LayerVersionInfo::version).containsExactly(1L);
    assertThat(dry.kept()).extracting(LayerVersionInfo::version).containsExactly(2L);
    assertThat(catalog.versions(open, "us-east-1")).hasSize(2);

    PruneResult young =
        catalog.prune(new PruneRequest(open, "us-east-1", 1, Duration.ofDays(30), false));
    assertThat(young.deleted()).isEmpty();

    PruneResult real = catalog.prune(new PruneRequest(open, "us-east-1", 1, null, false));
    assertThat(real.deleted()).extracting(LayerVersionInfo::version).containsExactly(1L);
    assertThat(catalog.versions(open, "us-east-1"))
        .extracting(LayerVersionInfo::version)
        .containsExactly(2L);

    PruneResult again = catalog.prune(new PruneRequest(open, "us-east-1", 1, null, false));
    assertThat(again.deleted()).isEmpty();
    assertThat(again.kept()).extracting(LayerVersionInfo::version).containsExactly(2L);
  }
}
