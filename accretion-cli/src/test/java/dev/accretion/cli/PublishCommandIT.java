package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accretion publish} and the read commands end to end against moto, in-process, with AWS
 * configured only through the command's environment ({@code AWS_ENDPOINT_URL}, dummy keys).
 */
class PublishCommandIT {
  private static final List<String> REGIONS =
      List.of("us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1");

  @TempDir Path dir;

  private Map<String, String> env() {
    return MotoServer.environment(dir, "us-east-1");
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), dir, args);
  }

  private String project(List<String> names) {
    StringBuilder toml =
        new StringBuilder(
            """
            [defaults]
            regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]
            runtimes = ["python3.12", "python3.13"]
            description = "CLI test layer"
            license = "MIT"

            """);
    for (String name : names) {
      toml.append("[layers.").append(name).append("]\n");
      toml.append("artifact = \"dist/").append(name).append(".zip\"\n\n");
    }
    return toml.toString();
  }

  private void zip(String name, String requestsVersion) throws Exception {
    TestZips.write(
        dir.resolve("dist/" + name + ".zip"),
        Map.of("requests", requestsVersion, "idna", "3.10", "urllib3", "2.2.3"),
        List.of("python3.12", "python3.13"),
        List.of("x86_64"));
  }

  @Test
  void project_threeLayersFourRegions_thenUnchanged_thenOneNewVersionPerRegion() throws Exception {
    List<String> names =
        List.of(TestZips.unique("cli-a"), TestZips.unique("cli-b"), TestZips.unique("cli-c"));
    for (String n : names) {
      zip(n, "2.32.3");
    }
    Files.writeString(dir.resolve("accretion.toml"), project(names));

    // first publish: a version 1 everywhere
    CliRun first = run("publish", "--json");
    assertThat(first.code()).as(first.toString()).isZero();
    JsonNode layers = first.json().get("layers");
    assertThat(first.json().fieldNames()).toIterable().containsExactly("layers");
    assertThat(layers).hasSize(3);
    Map<String, String> arns = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      JsonNode layer = layers.get(i);
      assertThat(layer.fieldNames()).toIterable().containsExactly("name", "digest", "regions");
      assertThat(layer.get("name").asText()).isEqualTo(names.get(i));
      assertThat(layer.get("digest").asText()).matches("[0-9a-f]{64}");
      List<String> regions = new ArrayList<>();
      for (JsonNode r : layer.get("regions")) {
        assertThat(r.fieldNames())
            .toIterable()
            .containsExactly("region", "layerVersionArn", "version", "published");
        regions.add(r.get("region").asText());
        assertThat(r.get("published").asBoolean()).isTrue();
        assertThat(r.get("version").asLong()).isEqualTo(1);
        assertThat(r.get("layerVersionArn").asText())
            .isEqualTo(
                "arn:aws:lambda:"
                    + r.get("region").asText()
                    + ":123456789012:layer:"
                    + names.get(i)
                    + ":1");
        arns.put(names.get(i) + "/" + r.get("region").asText(), r.get("layerVersionArn").asText());
      }
      assertThat(regions).containsExactlyElementsOf(REGIONS);
    }

    // unchanged: no new version anywhere, the same ARNs
    CliRun again = run("publish", "--json");
    assertThat(again.code()).as(again.toString()).isZero();
    for (JsonNode layer : again.json().get("layers")) {
      for (JsonNode r : layer.get("regions")) {
        assertThat(r.get("published").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.get("layerVersionArn").asText())
            .isEqualTo(arns.get(layer.get("name").asText() + "/" + r.get("region").asText()));
      }
    }

    // one package of one layer changes: exactly one new version per region, for that layer only
    String changed = names.get(1);
    zip(changed, "2.32.4");
    CliRun third = run("publish");
    assertThat(third.code()).as(third.toString()).isZero();
    assertThat(third.out())
        .containsPattern(changed + " +sa-east-1 +2 +published +arn:aws:lambda:sa-east-1:")
        .containsPattern(names.get(0) + " +us-east-1 +1 +unchanged")
        .contains("3 layers, 12 regions: 4 published, 8 unchanged, 0 failed");
    assertThat(third.out().lines().findFirst().orElseThrow())
        .matches("LAYER +REGION +VERSION +STATUS +ARN");

    // only the named layer, one region, JSON
    CliRun named = run("publish", changed, "--regions", "eu-west-1", "--json");
    assertThat(named.code()).as(named.toString()).isZero();
    assertThat(named.json().at("/layers/0/name").asText()).isEqualTo(changed);
    assertThat(named.json().at("/layers/0/regions/0/version").asLong()).isEqualTo(2);
    assertThat(named.json().at("/layers/0/regions/0/published").asBoolean()).isFalse();
    assertThat(named.json().get("layers")).hasSize(1);

    readCommands(names, changed);
  }

  private void readCommands(List<String> names, String changed) throws Exception {
    // diff: the changed package, human and JSON
    CliRun diff = run("diff", changed, "1", "2", "--region", "eu-west-1");
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out())
        .startsWith(changed + " 1 -> 2 in eu-west-1:")
        .containsPattern("~ +requests +2\\.32\\.3 +2\\.32\\.4")
        .contains("0 added, 0 removed, 1 changed");
    JsonNode diffJson = run("diff", changed, "1", "2", "--region", "eu-west-1", "--json").json();
    assertThat(diffJson.get("added")).isEmpty();
    assertThat(diffJson.get("removed")).isEmpty();
    assertThat(diffJson.at("/changed/0/name").asText()).isEqualTo("requests");
    assertThat(diffJson.at("/changed/0/from").asText()).isEqualTo("2.32.3");
    assertThat(diffJson.at("/changed/0/to").asText()).isEqualTo("2.32.4");
    CliRun same = run("diff", names.get(0), "1", "1", "--region", "eu-west-1");
    assertThat(same.out()).contains("no package changes");

    // describe: latest by default (region from the project and AWS_REGION), a given version
    CliRun describe = run("describe", changed);
    assertThat(describe.code()).as(describe.toString()).isZero();
    assertThat(describe.out())
        .containsPattern("Layer +" + changed + ":2 in us-east-1")
        .containsPattern("Runtimes +python3\\.12, python3\\.13")
        .containsPattern("Description +CLI test layer\n")
        .containsPattern("License +MIT")
        .containsPattern("Sharing +private")
        .containsPattern("Digest +sha256:[0-9a-f]{64}")
        .contains("Packages (3):")
        .containsPattern("  requests +2\\.32\\.4");
    JsonNode d1 = run("describe", changed + ":1", "--region", "ap-southeast-2", "--json").json();
    assertThat(d1.get("version").asLong()).isEqualTo(1);
    assertThat(d1.get("region").asText()).isEqualTo("ap-southeast-2");
    assertThat(d1.get("architectures")).extracting(JsonNode::asText).containsExactly("x86_64");
    assertThat(d1.get("public").asBoolean()).isFalse();
    assertThat(d1.get("codeSize").asLong()).isPositive();
    assertThat(d1.get("packages"))
        .extracting(p -> p.get("name").asText() + "==" + p.get("version").asText())
        .containsExactlyInAnyOrder("idna==3.10", "requests==2.32.3", "urllib3==2.2.3");

    // arn: just the ARN; filters by runtime and architecture
    CliRun arn = run("arn", changed, "--region", "sa-east-1", "--runtime", "python3.13");
    assertThat(arn.code()).as(arn.toString()).isZero();
    assertThat(arn.out())
        .isEqualTo("arn:aws:lambda:sa-east-1:123456789012:layer:" + changed + ":2\n");
    CliRun noMatch = run("arn", changed, "--region", "sa-east-1", "--arch", "arm64");
    assertThat(noMatch.code()).isEqualTo(1);
    assertThat(noMatch.out()).isEmpty();
    assertThat(noMatch.err())
        .contains(
            "no version of layer "
                + changed
                + " in sa-east-1 is for arm64 (latest: version 2 for python3.12, python3.13 on"
                + " x86_64)");

    // ls: every managed layer with its latest version
    JsonNode ls = run("ls", "--region", "eu-west-1", "--json").json();
    Map<String, Long> latest = new HashMap<>();
    for (JsonNode l : ls.get("layers")) {
      latest.put(l.get("name").asText(), l.get("version").asLong());
      assertThat(l.get("region").asText()).isEqualTo("eu-west-1");
    }
    assertThat(latest)
        .containsEntry(names.get(0), 1L)
        .containsEntry(changed, 2L)
        .containsEntry(names.get(2), 1L);
    CliRun lsHuman = run("ls", "--region", "eu-west-1");
    assertThat(lsHuman.out().lines().findFirst().orElseThrow())
        .matches("LAYER +REGION +VERSION +PUBLISHED +RUNTIMES +ARCH +DIGEST");
    assertThat(lsHuman.out())
        .containsPattern(
            changed
                + " +eu-west-1 +2 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ +python3\\.12,python3\\.13"
                + " +x86_64 +[0-9a-f]{12}");

    // prune: a dry run deletes nothing; --yes deletes version 1, never the latest
    CliRun dry = run("prune", changed, "--keep", "1", "--region", "eu-west-1");
    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .containsPattern("eu-west-1 +2 +\\S+ \\S+ +keep")
        .containsPattern("eu-west-1 +1 +\\S+ \\S+ +would delete")
        .contains("Dry run: 1 version would be deleted; rerun with --yes to delete.");
    assertThat(run("describe", changed + ":1", "--region", "eu-west-1").code()).isZero();
    CliRun young =
        run("prune", changed, "--keep", "1", "--older-than", "1", "--region", "eu-west-1");
    assertThat(young.out())
        .containsPattern("eu-west-1 +1 +\\S+ \\S+ +keep")
        .contains("Dry run: 0 versions would be deleted");
    JsonNode pruned =
        run("prune", changed, "--keep", "1", "--region", "eu-west-1", "--yes", "--json").json();
    assertThat(pruned.get("dryRun").asBoolean()).isFalse();
    assertThat(pruned.at("/regions/0/deleted/0/version").asLong()).isEqualTo(1);
    assertThat(pruned.at("/regions/0/kept/0/version").asLong()).isEqualTo(2);
    CliRun gone = run("describe", changed + ":1", "--region", "eu-west-1");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err())
        .contains("has no version 1 in eu-west-1")
        .contains("its versions there: 2");
    CliRun keepsLatest = run("prune", changed, "--keep", "1", "--region", "eu-west-1", "--yes");
    assertThat(keepsLatest.out()).contains("Deleted 0 versions.");
    // other regions untouched
    assertThat(run("describe", changed + ":1", "--region", "us-east-1").code()).isZero();
  }
}
