package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code template update} and {@code template LAYER} against moto: layers published with two
 * versions, real-world-shaped SAM and CloudFormation templates rewritten with a byte-level check of
 * exactly what changed, {@code --check} before and after, and every result (and every generated
 * template) passing cfn-lint.
 */
class TemplatesIT {
  private static final String ACCOUNT = "123456789012";
  private static final Path FIXTURES =
      Path.of("..", "accretion-templates/src/test/resources/templates");

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.run(MotoServer.environment(dir, "us-east-1"), dir, args);
  }

  private void publish(
      String layer, String zip, Map<String, String> packages, String regions, String... more)
      throws Exception {
    TestZips.write(dir.resolve(zip), packages, List.of("python3.12"), List.of("x86_64"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "publish", zip, "--layer", layer, "--runtime", "python3.12", "--regions", regions));
    args.addAll(List.of(more));
    CliRun r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isZero();
  }

  private static String arn(String region, String layer, int version) {
    return "arn:aws:lambda:" + region + ":" + ACCOUNT + ":layer:" + layer + ":" + version;
  }

  /**
   * The text with {@code from} replaced by {@code to} on the one line that contains {@code line}.
   */
  private static String change(String text, String line, String from, String to) {
    String[] lines = text.split("(?<=\n)", -1);
    int found = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(line)) {
        assertThat(found).as("one line contains " + line).isEqualTo(-1);
        found = i;
      }
    }
    assertThat(found).as("a line contains " + line).isNotNegative();
    assertThat(lines[found]).contains(from);
    lines[found] = lines[found].replace(from, to);
    return String.join("", lines);
  }

  @Test
  void update_rewritesExactlyTheOutdatedArns_checkBeforeAndAfter_cfnLintPasses() throws Exception {
    String deps = TestZips.unique("tdeps");
    String tools = TestZips.unique("ttools");
    // deps: 1 in both regions, 2 in us-east-1 only; tools: 1 in both, 2 in eu-west-1 only
    publish(deps, "d1.zip", Map.of("idna", "3.7"), "us-east-1,eu-west-1");
    publish(
        deps,
        "d2.zip",
        Map.of("idna", "3.10"),
        "us-east-1",
        "--license",
        "MIT",
        "--share",
        "111122223333");
    publish(tools, "t1.zip", Map.of("six", "1.16.0"), "us-east-1,eu-west-1");
    publish(tools, "t2.zip", Map.of("six", "1.17.0"), "eu-west-1");

    String sam =
        Files.readString(FIXTURES.resolve("sam-app.yaml"))
            .replace("acc-deps", deps)
            .replace("acc-tools", tools);
    String json =
        Files.readString(FIXTURES.resolve("stack.json"))
            .replace("acc-deps", deps)
            .replace("acc-tools", tools);
    Files.writeString(dir.resolve("sam-app.yaml"), sam);
    Files.writeString(dir.resolve("stack.json"), json);
    byte[] samBefore = Files.readAllBytes(dir.resolve("sam-app.yaml"));
    byte[] jsonBefore = Files.readAllBytes(dir.resolve("stack.json"));

    String samWant = sam;
    samWant = change(samWant, "Default: arn:aws:lambda:us-east-1", deps + ":1", deps + ":2");
    samWant = change(samWant, "Default: \"arn:aws:lambda:eu-west-1", tools + ":1", tools + ":2");
    samWant = change(samWant, "DEPS = ", deps + ":1", deps + ":2");
    samWant = change(samWant, "- !Sub arn:${AWS::Partition}", deps + ":1", deps + ":2");
    samWant =
        change(samWant, "{{accretion:", "{{accretion:" + tools + "}}", arn("us-east-1", tools, 1));
    samWant = change(samWant, "TOOLS: !Select", tools + ":1", tools + ":2");
    samWant = change(samWant, "ENCODED: !Base64", deps + ":1", deps + ":2");
    samWant = change(samWant, "Value: !Sub \"arn:", deps + ":1", deps + ":2");
    String jsonWant = json;
    jsonWant =
        change(jsonWant, "\"Default\": \"arn:aws:lambda:us-east-1", deps + ":1", deps + ":2");
    jsonWant =
        change(jsonWant, "{{accretion:", "{{accretion:" + deps + "}}", arn("us-east-1", deps, 2));

    // --check: exit 1, nothing written
    CliRun check =
        run("template", "update", "sam-app.yaml", "stack.json", "--region", "us-east-1", "--check");
    assertThat(check.code()).as(check.toString()).isEqualTo(1);
    assertThat(check.out())
        .contains(
            "sam-app.yaml:10:14  out of date  "
                + arn("us-east-1", deps, 1)
                + " -> "
                + arn("us-east-1", deps, 2))
        .contains(
            "left alone (other-account)  arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38")
        .contains("left alone (unknown)")
        .contains("2 templates: 10 out of date, 4 current, 4 left alone");
    assertThat(Files.readAllBytes(dir.resolve("sam-app.yaml"))).isEqualTo(samBefore);
    assertThat(Files.readAllBytes(dir.resolve("stack.json"))).isEqualTo(jsonBefore);

    // update: exactly the expected bytes
    CliRun update =
        run("template", "update", "sam-app.yaml", "stack.json", "--region", "us-east-1", "--json");
    assertThat(update.code()).as(update.toString()).isZero();
    JsonNode report = update.json();
    assertThat(report.get("outOfDate").asInt()).isEqualTo(10);
    assertThat(report.at("/files/0/written").asBoolean()).isTrue();
    assertThat(report.at("/files/1/references/2/status").asText()).isEqualTo("other-account");
    assertThat(report.at("/files/1/references/2/note").asText()).contains("111122223333");
    assertThat(Files.readAllBytes(dir.resolve("sam-app.yaml")))
        .isEqualTo(samWant.getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readAllBytes(dir.resolve("stack.json")))
        .isEqualTo(jsonWant.getBytes(StandardCharsets.UTF_8));

    // --check after: exit 0
    CliRun after =
        run("template", "update", "sam-app.yaml", "stack.json", "--region", "us-east-1", "--check");
    assertThat(after.code()).as(after.toString()).isZero();
    assertThat(after.out()).contains("0 out of date, 14 current");

    // template LAYER: both formats, and the SSM variant
    CliRun cfn = run("template", deps, "--region", "us-east-1", "--output", "layer-cfn.yaml");
    assertThat(cfn.code()).as(cfn.toString()).isZero();
    String cfnText = Files.readString(dir.resolve("layer-cfn.yaml"));
    CliRun samLayer = run("template", deps, "--region", "us-east-1", "--format", "sam", "--json");
    assertThat(samLayer.code()).as(samLayer.toString()).isZero();
    String samText = samLayer.json().get("template").asText();
    Files.writeString(dir.resolve("layer-sam.yaml"), samText);
    assertThat(samLayer.json().get("layerVersionArn").asText())
        .isEqualTo(arn("us-east-1", deps, 2));
    String digest = sha256(dir.resolve("d2.zip"));
    assertThat(cfnText)
        .contains("Type: AWS::Lambda::LayerVersion\n    DeletionPolicy: Retain")
        .contains("S3Bucket: !Sub \"accretion-${AWS::AccountId}-${AWS::Region}\"")
        .contains("S3Key: accretion/" + deps + "/" + digest + ".zip\n")
        .contains("CompatibleRuntimes:\n        - python3.12")
        .contains("CompatibleArchitectures:\n        - x86_64")
        .contains("LicenseInfo: MIT")
        .contains("Type: AWS::Lambda::LayerVersionPermission")
        .contains("Principal: \"111122223333\"")
        .contains("Name: !Sub \"${AWS::StackName}-LayerVersionArn\"");
    assertThat(samText)
        .contains("Type: AWS::Serverless::LayerVersion")
        .contains("Key: accretion/" + deps + "/" + digest + ".zip\n")
        .contains("RetentionPolicy: Retain");
    CliRun ssm =
        run(
            "template",
            deps,
            "--region",
            "us-east-1",
            "--format",
            "sam",
            "--ssm-parameter",
            "/layers/" + deps + "/{runtime}/{arch}/arn",
            "--output",
            "ssm-sam.yaml");
    assertThat(ssm.code()).as(ssm.toString()).isZero();
    CliRun ssmCfn =
        run(
            "template",
            deps,
            "--region",
            "us-east-1",
            "--ssm-parameter",
            "/layers/" + deps + "/{runtime}/{arch}/arn",
            "--output",
            "ssm-cfn.yaml");
    assertThat(ssmCfn.code()).as(ssmCfn.toString()).isZero();
    assertThat(Files.readString(dir.resolve("ssm-sam.yaml")))
        .contains("- \"{{resolve:ssm:/layers/" + deps + "/python3.12/x86_64/arn}}\"")
        .contains("Runtime: python3.12");

    cfnLint(
        "sam-app.yaml",
        "stack.json",
        "layer-cfn.yaml",
        "layer-sam.yaml",
        "ssm-sam.yaml",
        "ssm-cfn.yaml");
  }

  @Test
  void update_placeholderOfUnpublishedLayer_failsNamingIt_otherChangesWritten() throws Exception {
    String deps = TestZips.unique("tdeps");
    publish(deps, "d1.zip", Map.of("idna", "3.7"), "us-east-1");
    publish(deps, "d2.zip", Map.of("idna", "3.10"), "us-east-1");
    // a layer published without Accretion (the AWS CLI): not managed, left alone
    String foreign = TestZips.unique("tforeign");
    awsCli(
        "lambda",
        "publish-layer-version",
        "--layer-name",
        foreign,
        "--zip-file",
        "fileb://" + dir.resolve("d1.zip"),
        "--region",
        "us-east-1");
    awsCli(
        "lambda",
        "publish-layer-version",
        "--layer-name",
        foreign,
        "--zip-file",
        "fileb://" + dir.resolve("d2.zip"),
        "--region",
        "us-east-1");
    String missing = TestZips.unique("nope");
    String text =
        "Layers:\n  - '{{accretion:"
            + missing
            + "}}'\n  - "
            + arn("us-east-1", deps, 1)
            + "  # keep\n  - "
            + arn("us-east-1", foreign, 1)
            + "\n";
    Files.writeString(dir.resolve("t.yaml"), text);
    CliRun r = run("template", "update", "t.yaml");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("t.yaml:2:6: {{accretion:" + missing + "}}").contains(missing);
    assertThat(r.out())
        .contains("t.yaml:4:5  left alone (unmanaged)  " + arn("us-east-1", foreign, 1))
        .contains("1 template: 1 updated, 0 current, 1 left alone, 1 failed");
    assertThat(Files.readString(dir.resolve("t.yaml")))
        .isEqualTo(text.replace(arn("us-east-1", deps, 1), arn("us-east-1", deps, 2)));
    CliRun bad = run("template", "update", "missing.yaml");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("missing.yaml: no such file");
  }

  /** The AWS CLI ({@code python3.11 -m awscli}) against moto with dummy credentials. */
  private void awsCli(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Python.of("3.11").executable().toString());
    command.add("-m");
    command.add("awscli");
    command.add("--endpoint-url");
    command.add(MotoServer.endpoint().toString());
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
    assertThat(p.exitValue())
        .as("aws " + String.join(" ", args) + "\n" + Files.readString(out))
        .isZero();
  }

  @Test
  void readmeExamples_runAsWritten() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir"), "..", "README.md"));
    int at = readme.indexOf("### `template`, `template update`");
    assertThat(at).isNotNegative();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("```sh\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find(at)).isTrue();
    String block = m.group(1).replace("\\\n", " ");
    // the second block: template update on the reader's own files
    assertThat(m.find()).isTrue();
    String updates = m.group(1);
    // the README's web-deps (of its accretion.toml): web-deps-arm64 serving both runtimes
    String layer = TestZips.unique("tweb");
    TestZips.write(
        dir.resolve("w.zip"),
        Map.of("idna", "3.7"),
        List.of("python3.12", "python3.13"),
        List.of("arm64"));
    CliRun p =
        run(
            "publish",
            "w.zip",
            "--layer",
            layer + "-arm64",
            "--runtime",
            "python3.12,python3.13",
            "--regions",
            "us-east-1");
    assertThat(p.code()).as(p.toString()).isZero();
    List<String> ran = new ArrayList<>();
    for (String line : block.lines().toList()) {
      if (!line.startsWith("./accretion template")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      java.util.regex.Matcher w =
          java.util.regex.Pattern.compile("'([^']*)'|(\\S+)")
              .matcher(line.substring("./accretion ".length()));
      while (w.find()) {
        args.add((w.group(1) != null ? w.group(1) : w.group(2)).replace("web-deps", layer));
      }
      CliRun r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(line + "\n" + r).isZero();
      ran.add(line);
    }
    assertThat(ran).hasSize(3);
    assertThat(Files.readString(dir.resolve("layer.yaml")))
        .contains("LayerName: " + layer + "-arm64")
        .contains("- python3.13");

    // template.yaml names version 1, infra/stack.json version 2 (the latest): the first line
    // rewrites template.yaml, the second (--check) then finds both current
    TestZips.write(
        dir.resolve("w2.zip"),
        Map.of("idna", "3.8"),
        List.of("python3.12", "python3.13"),
        List.of("arm64"));
    CliRun p2 =
        run(
            "publish",
            "w2.zip",
            "--layer",
            layer + "-arm64",
            "--runtime",
            "python3.12,python3.13",
            "--regions",
            "us-east-1");
    assertThat(p2.code()).as(p2.toString()).isZero();
    String v1 = arn("us-east-1", layer + "-arm64", 1);
    String v2 = arn("us-east-1", layer + "-arm64", 2);
    String yaml =
        "# my function\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
            + "    Properties:\n      Runtime: python3.12\n      Layers:\n        - "
            + v1
            + "  # deps\n";
    Files.writeString(dir.resolve("template.yaml"), yaml);
    Files.createDirectories(dir.resolve("infra"));
    Files.writeString(
        dir.resolve("infra/stack.json"),
        "{\"Parameters\": {\"Deps\": {\"Default\": \"" + v2 + "\"}}}\n");
    List<String> updateLines =
        updates.lines().filter(l -> l.startsWith("./accretion template update")).toList();
    assertThat(updateLines).hasSize(2);
    for (String line : updateLines) {
      String command = line.substring("./accretion ".length()).replaceAll("\\s+#.*$", "");
      CliRun r = run(command.trim().split("\\s+"));
      assertThat(r.code()).as(line + "\n" + r).isZero();
    }
    assertThat(Files.readString(dir.resolve("template.yaml"))).isEqualTo(yaml.replace(v1, v2));
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /**
   * cfn-lint (python3.11's cfnlint) on files of {@link #dir}: must exit 0. A missing cfn-lint
   * fails.
   */
  private void cfnLint(String... files) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Python.of("3.11").executable().toString());
    command.add("-c");
    command.add("import sys; from cfnlint.runner import main; sys.exit(main())");
    command.addAll(List.of(files));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Path out = dir.resolve("cfn-lint.out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();
    assertThat(p.exitValue())
        .as("cfn-lint " + String.join(" ", files) + ":\n" + Files.readString(out))
        .isZero();
  }
}
