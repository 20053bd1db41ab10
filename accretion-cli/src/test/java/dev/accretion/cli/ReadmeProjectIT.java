package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The README's {@code accretion.toml} example, run as written against moto: its listing built from
 * the machine's wheel mirror (through the user's pip configuration, as a user would) for two
 * runtimes × two architectures, published, then every read command finds each target's Lambda layer
 * by the project layer's name and {@code --runtime}/{@code --arch}, and each target's SSM parameter
 * holds its own layer's ARN. The only change to the example is a unique layer name, because tests
 * share one moto server.
 */
class ReadmeProjectIT {
  private static final List<String> RUNTIMES = List.of("python3.12", "python3.13");
  private static final List<String> ARCHS = List.of("x86_64", "arm64");

  @TempDir Path dir;

  /** The fenced block of {@code language} that follows {@code after} in the README. */
  private static String block(String readme, String after, String language) {
    int at = readme.indexOf(after);
    assertThat(at).as("README has " + after).isNotNegative();
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find(at)).as("a ```" + language + " block after " + after).isTrue();
    return m.group(1);
  }

  private Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(MotoServer.environment(dir, "us-east-1"));
    // the user's own pip configuration names the local wheel mirror
    env.put("HOME", System.getProperty("user.home"));
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("PIP_") || k.startsWith("XDG_CONFIG")) {
                env.put(k, v);
              }
            });
    env.put("ACCRETION_CACHE_DIR", dir.resolve("cache").toString());
    env.put("HOOK_SECRET", "readme-example-secret");
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), dir.resolve("project"), args);
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

  @Test
  void readmeExample_publishesFourTargets_thenReadCommandsFindEachByTheProjectName()
      throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir"), "..", "README.md"));
    String toml = block(readme, "#### `accretion.toml`", "toml");
    String requirements = block(readme, "#### `accretion.toml`", "text");
    assertThat(toml).contains("[layers.web-deps]").contains("{runtime}").contains("{arch}");
    String layer = "web-deps-" + UUID.randomUUID().toString().substring(0, 8).replace('-', 'x');
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("accretion.toml"), toml.replace("web-deps", layer));
    Files.writeString(project.resolve("requirements.txt"), requirements);

    CliRun publish = run("publish", "--json");

    assertThat(publish.code()).as(publish.toString()).isZero();
    // the example's webhook (https://ci.example/hook) can't be reached: one line, no failure
    assertThat(publish.err())
        .containsPattern(
            "accretion: warning: "
                + layer
                + "[-a-z0-9_]*: webhook https://ci.example/hook failed after 4 attempts: unknown"
                + " host ci.example; the layer was published, the webhook was not told")
        .doesNotContain("java.net")
        .doesNotContain("Exception");
    List<String> published = publish.json().findValuesAsText("name");
    assertThat(published).isNotEmpty().allMatch(n -> n.startsWith(layer + "-"));

    // what each target's Lambda layer is, from `ls LAYER`
    CliRun ls = run("ls", layer, "--json");
    assertThat(ls.code()).as(ls.toString()).isZero();
    JsonNode layers = ls.json().get("layers");
    assertThat(layers).hasSize(published.size());
    String region = "us-east-1";
    try (SsmClient ssm = ssm(region)) {
      for (String runtime : RUNTIMES) {
        for (String arch : ARCHS) {
          String expected = null;
          for (JsonNode l : layers) {
            if (l.get("runtimes").toString().contains("\"" + runtime + "\"")
                && l.get("architectures").toString().contains("\"" + arch + "\"")) {
              assertThat(expected).as("one Lambda layer serves " + runtime + " " + arch).isNull();
              expected = l.get("layerVersionArn").asText();
            }
          }
          assertThat(expected).as(runtime + " " + arch + " in " + ls.out()).isNotNull();

          CliRun arn = run("arn", layer, "--runtime", runtime, "--arch", arch);
          assertThat(arn.code()).as(arn.toString()).isZero();
          assertThat(arn.out().strip()).isEqualTo(expected);

          CliRun describe = run("describe", layer, "--runtime", runtime, "--arch", arch, "--json");
          assertThat(describe.code()).as(describe.toString()).isZero();
          JsonNode d = describe.json();
          assertThat(d.get("layerVersionArn").asText()).isEqualTo(expected);
          assertThat(d.get("runtimes").toString()).contains(runtime);
          assertThat(d.get("architectures").toString()).contains(arch);
          assertThat(d.get("packages").findValuesAsText("name"))
              .contains("urllib3", "idna", "certifi");

          String parameter = "/layers/" + layer + "/" + runtime + "/" + arch + "/arn";
          assertThat(ssm.getParameter(b -> b.name(parameter)).parameter().value())
              .as(parameter)
              .isEqualTo(expected);
        }
      }
    }

    // a second version of every Lambda layer: the listing gains a package
    Files.writeString(project.resolve("requirements.txt"), requirements + "six\n");
    CliRun again = run("publish", "--json");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.json().findValuesAsText("version")).containsOnly("2");

    for (String runtime : RUNTIMES) {
      for (String arch : ARCHS) {
        CliRun diff = run("diff", layer, "1", "2", "--runtime", runtime, "--arch", arch, "--json");
        assertThat(diff.code()).as(diff.toString()).isZero();
        assertThat(diff.json().get("added").findValuesAsText("name")).containsExactly("six");
        assertThat(diff.json().get("removed")).isEmpty();
      }
    }

    // prune one target's Lambda layer only
    CliRun prune =
        run(
            "prune",
            layer,
            "--keep",
            "1",
            "--runtime",
            "python3.13",
            "--arch",
            "arm64",
            "--yes",
            "--json");
    assertThat(prune.code()).as(prune.toString()).isZero();
    JsonNode pruned = prune.json().get("regions");
    assertThat(pruned).hasSize(1);
    assertThat(pruned.get(0).get("deleted").findValuesAsText("version")).containsExactly("1");
    String arm = pruned.get(0).get("layer").asText();
    // the other Lambda layers still have both versions: a dry run over all of them says so
    CliRun dry = run("prune", layer, "--keep", "1", "--json");
    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.json().get("regions")).hasSize(published.size());
    for (JsonNode r : dry.json().get("regions")) {
      assertThat(r.get("deleted").findValuesAsText("version"))
          .as(r.get("layer").asText())
          .isEqualTo(r.get("layer").asText().equals(arm) ? List.of() : List.of("1"));
    }
    CliRun arn = run("arn", layer, "--runtime", "python3.13", "--arch", "arm64");
    assertThat(arn.out().strip()).endsWith(":layer:" + arm + ":2");

    // without a target the name is ambiguous: a usage error naming the Lambda layers
    CliRun ambiguous = run("arn", layer);
    assertThat(ambiguous.code()).as(ambiguous.toString()).isEqualTo(2);
    assertThat(ambiguous.err())
        .contains(layer + " is published as " + published.size() + " Lambda layers in us-east-1")
        .contains("choose one with --runtime and --arch");
  }
}
