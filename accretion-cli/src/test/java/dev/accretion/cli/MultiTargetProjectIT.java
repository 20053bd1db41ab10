package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A project layer whose four targets need four zips becomes four Lambda layers; the read commands
 * find each by the project layer's name and the target, and each target's SSM parameter holds its
 * own layer's ARN.
 */
class MultiTargetProjectIT {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.run(MotoServer.environment(dir, "us-east-1"), dir, args);
  }

  /** One zip per target (contents differ by runtime and architecture, as native wheels do). */
  private List<String> fourZips(String layer, String version) throws Exception {
    List<String> paths = new ArrayList<>();
    for (String arch : List.of("x86_64", "arm64")) {
      for (String runtime : List.of("python3.12", "python3.13")) {
        String name = "dist/" + layer + "-" + runtime + "-" + arch + ".zip";
        TestZips.write(
            dir.resolve(name),
            Map.of("numpy", version + "+" + runtime + "." + arch, "idna", "3.10"),
            List.of(runtime),
            List.of(arch));
        paths.add(name);
      }
    }
    return paths;
  }

  private void project(String layer, List<String> zips, String ssmParameter) throws Exception {
    Files.writeString(
        dir.resolve("accretion.toml"),
        "[layers."
            + layer
            + "]\n"
            + "artifact = ["
            + String.join(", ", zips.stream().map(z -> "\"" + z + "\"").toList())
            + "]\n"
            + "runtimes = [\"python3.12\", \"python3.13\"]\n"
            + "architectures = [\"x86_64\", \"arm64\"]\n"
            + "regions = [\"us-east-1\", \"eu-west-1\"]\n"
            + "ssm-parameter = \""
            + ssmParameter
            + "\"\n");
  }

  private static SsmClient ssm(String region) {
    return SsmClient.builder()
        .region(Region.of(region))
        .endpointOverride(MotoServer.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
        .build();
  }

  private static String arn(String region, String lambdaLayer, int version) {
    return "arn:aws:lambda:"
        + region
        + ":"
        + MotoServer.ACCOUNT
        + ":layer:"
        + lambdaLayer
        + ":"
        + version;
  }

  @Test
  void fourLambdaLayers_areFoundByTheProjectNameAndTarget() throws Exception {
    String layer = TestZips.unique("multi");
    project(layer, fourZips(layer, "1.0"), "/layers/" + layer + "/{runtime}/{arch}/arn");

    CliRun publish = run("publish", "--json");

    assertThat(publish.code()).as(publish.toString()).isZero();
    assertThat(publish.json().get("layers").findValuesAsText("name"))
        .containsExactly(
            layer + "-python312-x86_64",
            layer + "-python313-x86_64",
            layer + "-python312-arm64",
            layer + "-python313-arm64");
    for (String region : REGIONS) {
      try (SsmClient ssm = ssm(region)) {
        for (String arch : List.of("x86_64", "arm64")) {
          for (String runtime : List.of("python3.12", "python3.13")) {
            String lambdaLayer = layer + "-" + runtime.replace(".", "") + "-" + arch;
            String expected = arn(region, lambdaLayer, 1);
            CliRun arn =
                run("arn", layer, "--runtime", runtime, "--arch", arch, "--region", region);
            assertThat(arn.code()).as(arn.toString()).isZero();
            assertThat(arn.out()).isEqualTo(expected + "\n");
            CliRun describe =
                run(
                    "describe",
                    layer + ":1",
                    "--runtime",
                    runtime,
                    "--arch",
                    arch,
                    "--region",
                    region,
                    "--json");
            assertThat(describe.code()).as(describe.toString()).isZero();
            assertThat(describe.json().get("name").asText()).isEqualTo(lambdaLayer);
            assertThat(describe.out()).contains("1.0+" + runtime + "." + arch);
            String parameter = "/layers/" + layer + "/" + runtime + "/" + arch + "/arn";
            assertThat(ssm.getParameter(b -> b.name(parameter)).parameter().value())
                .as(parameter + " in " + region)
                .isEqualTo(expected);
          }
        }
      }
    }

    // ls: the Lambda layers of the project layer, filtered by target
    CliRun ls = run("ls", layer, "--arch", "arm64", "--region", "eu-west-1", "--json");
    assertThat(ls.code()).as(ls.toString()).isZero();
    assertThat(ls.json().get("layers").findValuesAsText("name"))
        .containsExactly(layer + "-python312-arm64", layer + "-python313-arm64");
    assertThat(run("ls", layer, "--json").json().get("layers")).hasSize(8);

    // an incomplete target that fits two of them: exit 2, naming both and what to add
    CliRun ambiguous = run("arn", layer, "--arch", "arm64");
    assertThat(ambiguous.code()).as(ambiguous.toString()).isEqualTo(2);
    assertThat(ambiguous.err())
        .contains(
            layer
                + " is published as 2 Lambda layers in us-east-1 for arm64: "
                + layer
                + "-python312-arm64 (python3.12 on arm64), "
                + layer
                + "-python313-arm64 (python3.13 on arm64)")
        .contains("choose one with --runtime");
    // a target nobody serves: not found, naming what there is
    CliRun missing = run("arn", layer, "--runtime", "python3.11", "--arch", "arm64");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no layer of " + layer + " in us-east-1 is for python3.11");

    // diff and prune by project name + target
    List<String> zips = fourZips(layer, "2.0");
    project(layer, zips, "/layers/" + layer + "/{runtime}/{arch}/arn");
    assertThat(run("publish").code()).isZero();
    CliRun diff =
        run("diff", layer, "1", "2", "--runtime", "python3.13", "--arch", "x86_64", "--json");
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.json().get("name").asText()).isEqualTo(layer + "-python313-x86_64");
    assertThat(diff.json().get("changed").findValuesAsText("to"))
        .containsExactly("2.0+python3.13.x86_64");
    CliRun prune =
        run(
            "prune",
            layer,
            "--keep",
            "1",
            "--runtime",
            "python3.12",
            "--arch",
            "arm64",
            "--yes",
            "--json");
    assertThat(prune.code()).as(prune.toString()).isZero();
    assertThat(prune.json().get("regions").findValuesAsText("layer"))
        .containsOnly(layer + "-python312-arm64")
        .hasSize(2);
    for (JsonNode r : prune.json().get("regions")) {
      assertThat(r.get("deleted").findValuesAsText("version")).containsExactly("1");
    }
    CliRun all = run("prune", layer, "--keep", "1", "--region", "us-east-1");
    assertThat(all.code()).as(all.toString()).isZero();
    assertThat(all.out()).contains("Dry run: 3 versions would be deleted");

    // the zips come to be shared per architecture: the newer split wins for every target
    for (String arch : List.of("x86_64", "arm64")) {
      TestZips.write(
          dir.resolve("dist/shared-" + arch + ".zip"),
          Map.of("idna", "3.10"),
          List.of("python3.12", "python3.13"),
          List.of(arch));
    }
    project(
        layer,
        List.of("dist/shared-x86_64.zip", "dist/shared-arm64.zip"),
        "/layers/" + layer + "/{runtime}/{arch}/arn");
    assertThat(run("publish").code()).isZero();
    CliRun shared = run("arn", layer, "--runtime", "python3.13", "--arch", "arm64");
    assertThat(shared.out()).isEqualTo(arn("us-east-1", layer + "-arm64", 1) + "\n");
  }

  @Test
  void ssmParameterThatFourLambdaLayersWouldShare_isRefusedBeforeAnythingIsPublished()
      throws Exception {
    String layer = TestZips.unique("shared-ssm");
    project(layer, fourZips(layer, "1.0"), "/layers/" + layer + "/arn");

    CliRun publish = run("publish");

    assertThat(publish.code()).as(publish.toString()).isEqualTo(1);
    assertThat(publish.err())
        .contains("ssm-parameter '/layers/" + layer + "/arn' would be written by both")
        .contains("put {runtime} and {arch} in the name")
        .contains("/layers/" + layer + "/{runtime}/{arch}/arn");
    CliRun arn = run("arn", layer, "--runtime", "python3.12", "--arch", "arm64");
    assertThat(arn.code()).isEqualTo(1);
    assertThat(arn.err()).contains("has no versions in us-east-1");
  }
}
