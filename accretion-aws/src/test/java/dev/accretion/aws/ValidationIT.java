package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused before any AWS call: every test goes through the fault proxy and checks it
 * saw no request at all.
 */
class ValidationIT {
  @TempDir Path dir;
  private FaultProxy proxy;
  private LayerPublisher publisher;
  private TestLayers.Artifact artifact;
  private PublishRequest good;

  @BeforeEach
  void setUp() throws Exception {
    proxy = new FaultProxy(MotoServer.endpoint());
    publisher = new LayerPublisher(MotoServer.settings().withEndpointOverride(proxy.endpoint()));
    artifact = TestLayers.build(dir, "valid", Map.of("six", "1.16.0"));
    good = TestLayers.request("valid", artifact, List.of("us-east-1"));
  }

  @AfterEach
  void tearDown() throws Exception {
    publisher.close();
    proxy.close();
  }

  private static PublishRequest with(
      PublishRequest r,
      String layerName,
      Path zip,
      String sha,
      List<String> runtimes,
      List<String> archs,
      String description,
      String license,
      List<String> regions,
      String bucketPattern,
      byte[] manifest,
      String ssm) {
    return new PublishRequest(
        layerName == null ? r.layerName() : layerName,
        zip == null ? r.zip() : zip,
        sha == null ? r.sha256Hex() : sha,
        r.contentDigest(),
        runtimes == null ? r.compatibleRuntimes() : runtimes,
        archs == null ? r.compatibleArchitectures() : archs,
        description == null ? r.description() : description,
        license == null ? r.licenseInfo() : license,
        regions == null ? r.regions() : regions,
        r.sharing(),
        bucketPattern == null ? r.stagingBucketPattern() : bucketPattern,
        manifest == null ? r.manifestJson() : manifest,
        ssm,
        r.notifications());
  }

  private void assertRefused(UnaryOperator<PublishRequest> change, String... messageParts) {
    PublishRequest bad = change.apply(good);
    var thrown = assertThatThrownBy(() -> publisher.publish(bad, PublishListener.NONE));
    thrown.isInstanceOf(AccretionException.class);
    for (String part : messageParts) {
      thrown.hasMessageContaining(part);
    }
    assertThat(proxy.seen()).as("requests sent to AWS").isEmpty();
  }

  @Test
  void layerName_withForbiddenCharacters_isRefused() {
    assertRefused(
        r -> with(r, "my.layer", null, null, null, null, null, null, null, null, null, null),
        "layer name 'my.layer' may contain only letters, digits, '-' and '_'");
  }

  @Test
  void layerName_over140Characters_isRefused() {
    String name = "a".repeat(141);
    assertRefused(
        r -> with(r, name, null, null, null, null, null, null, null, null, null, null),
        "is 141 characters; Lambda allows 1 to 140");
  }

  @Test
  void description_thatDoesNotFitWithTheMarker_isRefused() {
    String text = "d".repeat(VersionMarker.MAX_USER_DESCRIPTION + 1);
    assertRefused(
        r -> with(r, null, null, null, null, null, text, null, null, null, null, null),
        "description is " + text.length() + " characters",
        "at most " + VersionMarker.MAX_USER_DESCRIPTION);
  }

  @Test
  void description_ofTheLongestAllowedLength_fitsLambdasLimit() {
    String full =
        VersionMarker.description("d".repeat(VersionMarker.MAX_USER_DESCRIPTION), "a".repeat(64));
    assertThat(full).hasSize(256);
  }

  @Test
  void licenseInfo_over512Characters_isRefused() {
    assertRefused(
        r -> with(r, null, null, null, null, null, null, "L".repeat(513), null, null, null, null),
        "license info is 513 characters; Lambda allows at most 512");
  }

  @Test
  void moreThan15Runtimes_isRefused() {
    List<String> runtimes =
        List.of(
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "java11",
            "java17",
            "java21",
            "ruby3.2",
            "ruby3.3",
            "provided.al2",
            "provided.al2023",
            "dotnet8");
    assertRefused(
        r -> with(r, null, null, null, runtimes, null, null, null, null, null, null, null),
        "16 compatible runtimes given; Lambda allows at most 15");
  }

  @Test
  void unknownRuntimeAndArchitecture_areRefusedTogether() {
    assertRefused(
        r ->
            with(
                r,
                null,
                null,
                null,
                List.of("python2.8"),
                List.of("aarch64"),
                null,
                null,
                null,
                null,
                null,
                null),
        "runtime 'python2.8' is not a Lambda runtime identifier",
        "architecture 'aarch64' is not one of Lambda's: x86_64, arm64",
        "(2 problems)");
  }

  @Test
  void unknownRegion_isRefused() {
    assertRefused(
        r ->
            with(
                r,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("us-east-1", "us-nowhere-1"),
                null,
                null,
                null),
        "region 'us-nowhere-1' is not an AWS region name");
  }

  @Test
  void bucketPatternWithoutRegionOrInvalidName_isRefused() {
    assertRefused(
        r ->
            with(r, null, null, null, null, null, null, null, null, "layers-{account}", null, null),
        "has no {region}");
    assertRefused(
        r -> with(r, null, null, null, null, null, null, null, null, "Layers_{region}", null, null),
        "not a valid S3 bucket name");
  }

  @Test
  void archiveThatUnzipsOver250MiB_isRefused() throws IOException {
    Path big = dir.resolve("big.zip");
    try (OutputStream out = Files.newOutputStream(big);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("python/zeros.bin"));
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < 251; i++) {
        z.write(block);
      }
      z.closeEntry();
    }
    String sha = java.util.HexFormat.of().formatHex(TestLayers.sha256(Files.readAllBytes(big)));
    assertRefused(
        r -> with(r, null, big, sha, null, null, null, null, null, null, null, null),
        "unzips to 263192576 bytes; Lambda allows 262144000",
        "split it into several layers");
  }

  @Test
  void archiveWhoseDigestDiffersFromTheBuild_isRefused() {
    assertRefused(
        r -> with(r, null, null, "0".repeat(64), null, null, null, null, null, null, null, null),
        "has sha256 " + artifact.sha256Hex() + ", not the " + "0".repeat(64));
  }

  @Test
  void missingArchiveAndBadManifest_areRefused() {
    assertRefused(
        r ->
            with(
                r,
                null,
                dir.resolve("absent.zip"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "{\"pkgs\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                null),
        "absent.zip does not exist",
        "has no \"packages\" array");
  }

  @Test
  void badSsmParameterName_isRefused() {
    assertRefused(
        r -> with(r, null, null, null, null, null, null, null, null, null, null, "bad name!"),
        "SSM parameter name 'bad name!' is not valid");
  }

  // ---- environment: a child JVM with a controlled environment, talking to the proxy ----------

  private String runChild(List<String> regions, Map<String, String> extraEnv) throws Exception {
    Path manifest = dir.resolve("manifest.json");
    Files.write(manifest, artifact.manifestJson());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("child.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PublishMain.class.getName(),
                "valid",
                artifact.zip().toString(),
                artifact.sha256Hex(),
                manifest.toString(),
                regions.isEmpty() ? "-" : String.join(",", regions),
                "0")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    // Never ask an instance metadata service: the tests stay on loopback.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.putAll(extraEnv);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out);
    assertThat(p.exitValue()).as(output).isEqualTo(2);
    return output;
  }

  @Test
  void missingCredentials_areRefusedNamingTheStandardVariables() throws Exception {
    String output = runChild(List.of("us-east-1"), Map.of());

    assertThat(output)
        .contains("REFUSED no AWS credentials found")
        .contains("AWS_ACCESS_KEY_ID")
        .contains("AWS_SECRET_ACCESS_KEY")
        .contains("AWS_PROFILE");
    assertThat(proxy.seen()).isEmpty();
  }

  @Test
  void missingRegion_isRefusedNamingAwsRegion() throws Exception {
    String output =
        runChild(
            List.of(),
            Map.of(
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY));

    assertThat(output).contains("REFUSED no AWS region given").contains("AWS_REGION");
    assertThat(proxy.seen()).isEmpty();
  }

  @Test
  void allProblems_areReportedAtOnce() {
    List<String> many = new ArrayList<>(Collections.nCopies(2, "python3.12"));
    assertRefused(
        r ->
            with(
                r,
                "bad name",
                null,
                null,
                many,
                null,
                null,
                "L".repeat(600),
                null,
                null,
                null,
                null),
        "layer name 'bad name'",
        "listed twice",
        "license info",
        "(3 problems)");
  }
}
