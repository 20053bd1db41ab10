package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused with a clear message and exit 1 or 2 before any AWS call: the AWS endpoint
 * is a local server that counts the requests it gets, and every test asserts it got none.
 */
class PublishBadInputTest {
  @TempDir Path dir;

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startRecordingEndpoint() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    server.start();
    TestZips.write(
        dir.resolve("dist/ok.zip"),
        Map.of("requests", "2.32.3"),
        List.of("python3.12"),
        List.of("x86_64"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
    assertThat(requests.get()).as("requests sent to AWS").isZero();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("none").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString());
    env.put("HOME", dir.toString());
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), dir, args);
  }

  private CliRun runWithout(List<String> unset, String... args) {
    Map<String, String> env = env();
    unset.forEach(env::remove);
    return CliRun.run(env, dir, args);
  }

  private static void assertFails(CliRun run, int code, String... messages) {
    assertThat(run.code()).as(run.toString()).isEqualTo(code);
    assertThat(run.out()).as(run.toString()).isEmpty();
    for (String m : messages) {
      assertThat(run.err()).as(run.toString()).contains(m);
    }
    assertThat(run.err()).doesNotContain("internal error").doesNotContain("Exception");
  }

  @Test
  void unknownRegion_isRefused() {
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--regions", "us-east-1,us-nowhere-1"),
        1,
        "accretion: error: cannot publish layer 'deps'",
        "region 'us-nowhere-1' is not an AWS region name");
    assertFails(run("ls", "--region", "mars-1"), 1, "region 'mars-1' is not an AWS region name");
  }

  @Test
  void badLayerName_isRefused() {
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "my.layer"),
        1,
        "layer name 'my.layer' may contain only letters, digits, '-' and '_'");
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "x".repeat(141)),
        1,
        "is 141 characters; Lambda allows 1 to 140");
    // a read command's layer name is part of the request: a usage error
    assertFails(run("describe", "bad/name"), 2, "layer name 'bad/name'");
  }

  @Test
  void descriptionOrLicenseTooLong_isRefused() {
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--description", "d".repeat(200)),
        1,
        "description is 200 characters; Lambda allows 256 and Accretion's marker takes 84,"
            + " so shorten it to at most 172");
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--license", "l".repeat(513)),
        1,
        "license info is 513 characters; Lambda allows at most 512");
  }

  @Test
  void missingCredentials_isRefusedNamingTheVariables() {
    assertFails(
        runWithout(
            List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
            "publish",
            "dist/ok.zip",
            "--layer",
            "deps"),
        1,
        "no AWS credentials found",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        "AWS_PROFILE");
    assertFails(
        runWithout(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), "ls"),
        1,
        "no AWS credentials found");
  }

  @Test
  void missingRegion_isRefusedNamingAwsRegion() {
    assertFails(
        runWithout(List.of("AWS_REGION"), "publish", "dist/ok.zip", "--layer", "deps"),
        1,
        "no AWS region given",
        "AWS_REGION");
    assertFails(runWithout(List.of("AWS_REGION"), "arn", "deps"), 1, "no AWS region given");
  }

  @Test
  void zipOverTheUnzippedLimit_isRefused() throws Exception {
    Path big = dir.resolve("dist/big.zip");
    // 262,144,001 zero bytes: one over Lambda's limit, a few hundred KB zipped
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(big))) {
      z.setLevel(Deflater.BEST_SPEED);
      z.putNextEntry(new ZipEntry("python/blob.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 250; i++) {
        z.write(zeros);
      }
      z.write(new byte[262_144_001 - 250 * (1 << 20)]);
      z.closeEntry();
    }
    Files.copy(dir.resolve("dist/ok.json"), dir.resolve("dist/big.json"));

    assertFails(
        run("publish", "dist/big.zip", "--layer", "deps"),
        1,
        "unzips to 262144001 bytes; Lambda allows 262144000 (250 MiB)",
        "split it into several layers");
  }

  @Test
  void zipProblems_areRefused() throws Exception {
    assertFails(run("publish", "dist/ok.zip"), 2, "publishing a zip needs --layer NAME");
    assertFails(
        run("publish", "dist/ok.zip", "dist/ok.zip", "--layer", "deps"), 2, "give exactly one zip");
    assertFails(
        run("publish", "dist/missing.zip", "--layer", "deps"),
        1,
        "layer zip " + dir.resolve("dist/missing.zip") + " does not exist");
    Files.copy(dir.resolve("dist/ok.zip"), dir.resolve("dist/orphan.zip"));
    assertFails(
        run("publish", "dist/orphan.zip", "--layer", "deps"),
        1,
        "has no readable manifest beside it",
        "orphan.json");
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--runtime", "python3.11"),
        1,
        "ok.zip was built for python3.12 on x86_64: it does not serve runtime python3.11");
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--share", "friends"),
        2,
        "--share: 'friends' is not private, public");
    assertFails(
        run(
            "publish",
            "dist/ok.zip",
            "--layer",
            "deps",
            "--webhook",
            "https://h.example",
            "--webhook-secret-env",
            "NOPE"),
        1,
        "--webhook-secret-env NOPE: that environment variable is not set");
    assertFails(
        run("publish", "dist/ok.zip", "--layer", "deps", "--ssm-parameter", "bad name"),
        1,
        "SSM parameter name 'bad name' is not valid");
  }

  @Test
  void badEndpointVariable_isRefused() {
    Map<String, String> env = env();
    env.put("AWS_ENDPOINT_URL", "localhost:4566");
    CliRun run = CliRun.run(env, dir, "ls");
    assertFails(run, 1, "AWS_ENDPOINT_URL='localhost:4566' is not an endpoint URL");
  }

  @Test
  void projectProblems_areAllReportedWithKeyAndLine() throws Exception {
    assertFails(run("publish"), 2, "no accretion.toml in");
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [defaults]
        regions = ["us-east-1", "eu-nowhere-9"]

        [layers.deps]
        artifact = "dist/ok.zip"
        runtimes = ["python3.12"]
        sharing = "everyone"
        """);
    assertFails(
        run("publish"),
        1,
        "accretion.toml:2: defaults.regions: region 'eu-nowhere-9' is not an AWS region name",
        "accretion.toml:7: layers.deps.sharing: 'everyone' is not private");
    // read commands look at the project file too
    assertFails(run("ls"), 1, "accretion.toml:2: defaults.regions");
  }

  @Test
  void projectLayerProblems_areAllReportedBeforePublishingAnything() throws Exception {
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [layers.deps]
        artifact = "dist/ok.zip"
        runtimes = ["python3.12", "python3.13"]
        regions = ["eu-west-1"]

        [layers.other]
        listing = "requirements.txt"
        runtimes = ["python3.12"]

        [layers.fine]
        artifact = "dist/ok.zip"
        runtimes = ["python3.12"]
        description = "%s"
        """
            .formatted("d".repeat(172)));

    assertFails(
        run("publish"),
        1,
        "accretion.toml:1: layers.deps: no zip serves python3.13 on x86_64",
        "accretion.toml:6: layers.other: listing '",
        "requirements.txt' does not exist",
        "(2 problems)");
    assertFails(
        run("publish", "nope", "deps"), 1, "has no layer 'nope' (its layers: deps, other, fine)");
    assertFails(
        run("publish", "fine", "--share", "public"),
        2,
        "--share: only for publishing a zip with --layer");
  }

  @Test
  void missingWebhookSecret_refusesOnlyTheLayerThatNeedsIt() throws Exception {
    Files.writeString(
        dir.resolve("accretion.toml"),
        """
        [layers.hooked]
        artifact = "dist/ok.zip"
        runtimes = ["python3.12"]
        webhooks = [{ url = "https://hooks.example/x", secret-env = "HOOK_SECRET" }]
        """);

    assertFails(
        run("publish", "hooked"),
        1,
        "accretion.toml:4: layers.hooked.webhooks[0].secret-env: environment variable HOOK_SECRET"
            + " is not set");
    assertFails(run("publish", "dist/ok.zip", "--layer", "hooked"), 1, "HOOK_SECRET is not set");
  }

  @Test
  void readCommandUsageErrors() {
    assertFails(run("describe", "deps:x"), 2, "the version after ':' must be a positive number");
    assertFails(run("prune", "deps", "--keep", "0"), 2, "--keep must be at least 1");
    assertFails(run("prune", "deps"), 2, "Missing required option: '--keep=N'");
    assertFails(run("diff", "deps", "1"), 2, "Missing required parameter: 'V2'");
    assertFails(
        run("arn", "deps", "--runtime", "python2.1"),
        2,
        "runtime 'python2.1' is not a Lambda runtime identifier");
    assertFails(run("ls", "--arch", "arm64"), 2, "--runtime and --arch filter the layers of one");
    assertFails(
        run("describe", "deps", "--region", "us-east-1", "--region", "eu-west-1"),
        2,
        "give one --region");
  }

  @Test
  void help_listsThePublishingCommands() {
    CliRun help = run("--help");
    assertThat(help.out())
        .contains("publish")
        .contains("ls")
        .contains("describe")
        .contains("diff")
        .contains("arn")
        .contains("prune");
    CliRun publishHelp = run("publish", "--help");
    assertThat(publishHelp.code()).isZero();
    assertThat(publishHelp.out()).contains("--layer=NAME").contains("<layer>-arm64");
  }
}
