package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.MotoServer;
import dev.accretion.testkit.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accretion publish <zip> --layer ...} from flags alone, read back by the AWS CLI (an
 * independent client: botocore, not the Java SDK), and multi-target project layers.
 */
class PublishZipIT {
  @TempDir Path dir;

  private Map<String, String> env() {
    return MotoServer.environment(dir, "us-east-1");
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), dir, args);
  }

  /** The AWS CLI ({@code python3.11 -m awscli}) against moto with dummy credentials. */
  private JsonNode awsCli(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Python.of("3.11").executable().toString());
    command.add("-m");
    command.add("awscli");
    command.add("--endpoint-url");
    command.add(MotoServer.endpoint().toString());
    command.add("--output");
    command.add("json");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    pb.environment().put("AWS_CONFIG_FILE", dir.resolve("none").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString());
    Path out = dir.resolve("aws-cli.out");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("aws " + String.join(" ", args) + "\n" + text).isZero();
    return new ObjectMapper().readTree(text);
  }

  @Test
  void zip_publishedWithFlags_isReadBackByTheAwsCli() throws Exception {
    String layer = TestZips.unique("cli-zip");
    Path zip =
        TestZips.write(
            dir.resolve("build/deps-python3.12-arm64.zip"),
            Map.of("pydantic", "2.9.2", "pydantic-core", "2.23.4"),
            List.of("python3.12", "python3.13"),
            List.of("arm64"));
    String ssm = "/accretion/cli-test/" + layer;

    CliRun publish =
        run(
            "publish",
            "build/deps-python3.12-arm64.zip",
            "--layer",
            layer,
            "--runtime",
            "python3.12",
            "--regions",
            "eu-central-1,us-west-2",
            "--share",
            "public",
            "--share",
            "111122223333,o-a1b2c3d4e5",
            "--description",
            "pydantic for 3.12",
            "--license",
            "MIT",
            "--ssm-parameter",
            ssm,
            "--sns",
            "--json");

    assertThat(publish.code()).as(publish.toString()).isZero();
    assertThat(publish.err()).isEmpty();
    JsonNode region = publish.json().at("/layers/0/regions/0");
    assertThat(region.get("region").asText()).isEqualTo("eu-central-1");
    assertThat(region.get("published").asBoolean()).isTrue();
    String digest = publish.json().at("/layers/0/digest").asText();
    assertThat(digest).isEqualTo(sha256(zip));

    // the AWS CLI sees the version, its marker, runtimes, architecture and license
    JsonNode versions =
        awsCli("lambda", "list-layer-versions", "--layer-name", layer, "--region", "eu-central-1");
    JsonNode v = versions.get("LayerVersions").get(0);
    assertThat(versions.get("LayerVersions")).hasSize(1);
    assertThat(v.get("Version").asLong()).isEqualTo(1);
    assertThat(v.get("LayerVersionArn").asText()).isEqualTo(region.get("layerVersionArn").asText());
    assertThat(v.get("Description").asText())
        .isEqualTo("pydantic for 3.12 [accretion sha256:" + digest + "]");
    assertThat(v.get("CompatibleRuntimes"))
        .extracting(JsonNode::asText)
        .containsExactly("python3.12");
    assertThat(v.get("CompatibleArchitectures"))
        .extracting(JsonNode::asText)
        .containsExactly("arm64");
    assertThat(v.get("LicenseInfo").asText()).isEqualTo("MIT");
    JsonNode full =
        awsCli(
            "lambda",
            "get-layer-version",
            "--layer-name",
            layer,
            "--version-number",
            "1",
            "--region",
            "eu-central-1");
    assertThat(full.at("/Content/CodeSha256").asText())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(java.util.HexFormat.of().parseHex(digest)));
    // the sharing statements, with Accretion's statement ids
    JsonNode policy =
        new ObjectMapper()
            .readTree(
                awsCli(
                        "lambda",
                        "get-layer-version-policy",
                        "--layer-name",
                        layer,
                        "--version-number",
                        "1",
                        "--region",
                        "eu-central-1")
                    .get("Policy")
                    .asText());
    List<String> sids = new ArrayList<>();
    policy.get("Statement").forEach(s -> sids.add(s.get("Sid").asText()));
    assertThat(sids)
        .containsExactlyInAnyOrder(
            "accretion-public", "accretion-account-111122223333", "accretion-org-o-a1b2c3d4e5");
    // the SSM parameter holds the region's ARN
    JsonNode param = awsCli("ssm", "get-parameter", "--name", ssm, "--region", "us-west-2");
    assertThat(param.at("/Parameter/Value").asText())
        .isEqualTo("arn:aws:lambda:us-west-2:123456789012:layer:" + layer + ":1");
    // the SNS topic exists
    JsonNode topics = awsCli("sns", "list-topics", "--region", "us-west-2");
    List<String> arns = new ArrayList<>();
    topics.get("Topics").forEach(t -> arns.add(t.get("TopicArn").asText()));
    assertThat(arns).contains("arn:aws:sns:us-west-2:123456789012:accretion-" + layer);

    // describe shows the sharing too
    CliRun describe = run("describe", layer, "--region", "us-west-2");
    assertThat(describe.out())
        .containsPattern("Sharing +public, org:o-a1b2c3d4e5, account 111122223333")
        .containsPattern("Runtimes +python3\\.12\n")
        .containsPattern("Architectures +arm64");
    JsonNode dj = run("describe", layer, "--region", "us-west-2", "--json").json();
    assertThat(dj.get("public").asBoolean()).isTrue();
    assertThat(dj.get("license").asText()).isEqualTo("MIT");

    // arn by architecture; the wrong architecture has none
    assertThat(run("arn", layer, "--region", "us-west-2", "--arch", "arm64").out())
        .isEqualTo("arn:aws:lambda:us-west-2:123456789012:layer:" + layer + ":1\n");
  }

  @Test
  void project_bothArchitecturesAndPerRuntimeZips_followTheNamingRule() throws Exception {
    String pure = TestZips.unique("cli-pure");
    String nat = TestZips.unique("cli-nat");
    TestZips.write(
        dir.resolve("dist/pure.zip"),
        Map.of("requests", "2.32.3"),
        List.of("python3.12", "python3.13"),
        List.of("x86_64", "arm64"));
    TestZips.write(
        dir.resolve("dist/nat-311.zip"),
        Map.of("numpy", "2.2.6"),
        List.of("python3.11"),
        List.of("x86_64"));
    TestZips.write(
        dir.resolve("dist/nat-312.zip"),
        Map.of("numpy", "2.3.1"),
        List.of("python3.12"),
        List.of("x86_64"));
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [defaults]
        regions = ["ca-central-1"]

        [layers.%s]
        artifact = "dist/pure.zip"
        runtimes = ["python3.12", "python3.13"]
        architectures = ["x86_64", "arm64"]

        [layers.%s]
        artifact = ["dist/nat-312.zip", "dist/nat-311.zip"]
        runtimes = ["python3.11", "python3.12"]
        """
            .formatted(pure, nat));

    CliRun publish = run("publish", "--json");

    assertThat(publish.code()).as(publish.toString()).isZero();
    List<String> names = new ArrayList<>();
    publish.json().get("layers").forEach(l -> names.add(l.get("name").asText()));
    assertThat(names)
        .containsExactly(pure + "-x86_64", pure + "-arm64", nat + "-python311", nat + "-python312");
    JsonNode arm = run("describe", pure + "-arm64", "--json").json();
    assertThat(arm.get("region").asText()).isEqualTo("ca-central-1"); // from the project
    assertThat(arm.get("architectures")).extracting(JsonNode::asText).containsExactly("arm64");
    assertThat(arm.get("runtimes"))
        .extracting(JsonNode::asText)
        .containsExactly("python3.12", "python3.13");
    JsonNode n311 = run("describe", nat + "-python311", "--json").json();
    assertThat(n311.get("runtimes")).extracting(JsonNode::asText).containsExactly("python3.11");
    assertThat(n311.at("/packages/0/version").asText()).isEqualTo("2.2.6");
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void oneRegionFailing_exitsOneWithPartialResultsAndARerunFinishesIt() throws Exception {
    String layer = TestZips.unique("cli-partial");
    TestZips.write(
        dir.resolve("dist/p.zip"),
        Map.of("attrs", "24.2.0"),
        List.of("python3.12"),
        List.of("x86_64"));
    Map<String, String> env = env();
    CliRun partial;
    try (RegionFailingProxy proxy = new RegionFailingProxy(MotoServer.endpoint(), "eu-west-2")) {
      env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
      partial =
          CliRun.run(
              env,
              dir,
              "publish",
              "dist/p.zip",
              "--layer",
              layer,
              "--regions",
              "us-east-2,eu-west-2",
              "--json");
      assertThat(proxy.refused()).isPositive();
    }

    assertThat(partial.code()).as(partial.toString()).isEqualTo(1);
    JsonNode regions = partial.json().at("/layers/0/regions");
    assertThat(regions.get(0).get("region").asText()).isEqualTo("us-east-2");
    assertThat(regions.get(0).get("published").asBoolean()).isTrue();
    assertThat(regions.get(0).has("error")).isFalse();
    assertThat(regions.get(1).get("region").asText()).isEqualTo("eu-west-2");
    assertThat(regions.get(1).get("published").asBoolean()).isFalse();
    assertThat(regions.get(1).get("layerVersionArn").isNull()).isTrue();
    assertThat(regions.get(1).get("error").asText())
        .contains("in eu-west-2")
        .contains("Access Denied")
        .contains("rerun to finish this region");
    assertThat(partial.err())
        .contains("accretion: error: " + layer + " in eu-west-2: could not ")
        .contains("rerun to finish this region");

    // a rerun finishes the missing region and leaves the other as it was
    CliRun rerun =
        run("publish", "dist/p.zip", "--layer", layer, "--regions", "us-east-2,eu-west-2");
    assertThat(rerun.code()).as(rerun.toString()).isZero();
    assertThat(rerun.out())
        .containsPattern(layer + " +us-east-2 +1 +unchanged")
        .containsPattern(layer + " +eu-west-2 +1 +published")
        .contains("1 layer, 2 regions: 1 published, 1 unchanged, 0 failed");
  }

  @Test
  void zip_underAProjectLayerName_takesThatLayersSettings() throws Exception {
    String layer = TestZips.unique("cli-settings");
    TestZips.write(
        dir.resolve("dist/s.zip"),
        Map.of("six", "1.16.0"),
        List.of("python3.12"),
        List.of("x86_64"));
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [layers.%s]
        listing = "requirements.txt"
        runtimes = ["python3.12"]
        regions = ["eu-north-1"]
        sharing = "public"
        description = "from the project"

        [layers.other]
        listing = "other.txt"
        runtimes = ["python3.12"]
        webhooks = [{ url = "https://hooks.example/x", secret-env = "UNSET_HOOK_SECRET" }]
        """
            .formatted(layer));

    CliRun publish = run("publish", "dist/s.zip", "--layer", layer, "--json");

    assertThat(publish.code()).as(publish.toString()).isZero();
    assertThat(publish.json().at("/layers/0/regions/0/region").asText()).isEqualTo("eu-north-1");
    JsonNode d = run("describe", layer, "--json").json();
    assertThat(d.get("public").asBoolean()).isTrue();
    assertThat(d.get("description").asText()).isEqualTo("from the project");
    // flags override the project
    CliRun override =
        run("publish", "dist/s.zip", "--layer", layer, "--share", "private", "--json");
    assertThat(override.code()).as(override.toString()).isZero();
    assertThat(run("describe", layer, "--json").json().get("public").asBoolean()).isFalse();
  }
}
