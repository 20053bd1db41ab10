package dev.accretion.aws.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.aws.Sharing;
import dev.accretion.aws.Webhook;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFileTest {
  private static final Path FILE = Path.of("/proj/accretion.toml");

  private static ProjectFile parse(String text) throws Exception {
    return ProjectFile.parse(FILE, text, Map.of("HOOK_SECRET", "s3cret"));
  }

  @Test
  void parse_appliesDefaultsAndReadsEveryKey() throws Exception {
    ProjectFile p =
        parse(
            """
            [defaults]
            regions = ["us-east-1", "eu-west-1"]
            runtimes = ["python3.12"]
            sns = true

            [layers.web-deps]
            listing = "web/requirements.txt"
            architectures = ["x86_64", "arm64"]
            sharing = ["public", "123456789012", "o-abcdef1234"]
            description = "Web deps"
            license = "MIT"
            ssm-parameter = "/layers/web-deps/arn"
            webhooks = [{ url = "https://ci.example/hook", secret-env = "HOOK_SECRET" }]

            [layers.jobs]
            listing = "jobs.txt"
            regions = ["ap-southeast-2"]
            """);

    assertThat(p.layers())
        .extracting(ProjectFile.LayerConfig::name)
        .containsExactly("web-deps", "jobs");
    ProjectFile.LayerConfig web = p.layer("web-deps");
    assertThat(web.listing()).isEqualTo(Path.of("/proj/web/requirements.txt"));
    assertThat(web.runtimes()).containsExactly("python3.12");
    assertThat(web.architectures()).containsExactly("x86_64", "arm64");
    assertThat(web.regions()).containsExactly("us-east-1", "eu-west-1");
    assertThat(web.sharing().grants())
        .containsOnlyKeys(
            "accretion-public", "accretion-account-123456789012", "accretion-org-o-abcdef1234");
    assertThat(web.notifications().snsTopic()).isTrue();
    assertThat(web.notifications().webhooks())
        .containsExactly(new Webhook(URI.create("https://ci.example/hook"), "s3cret"));
    assertThat(web.line()).isEqualTo(6);

    ProjectFile.LayerConfig jobs = p.layer("jobs");
    assertThat(jobs.regions()).containsExactly("ap-southeast-2");
    assertThat(jobs.architectures()).containsExactly("x86_64");
    assertThat(jobs.sharing()).isEqualTo(Sharing.privateOnly());
  }

  @Test
  void parse_unknownKeyNamesTheKeyAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    [layers.a]
                    listing = "r.txt"
                    runtimes = ["python3.12"]
                    regionz = ["us-east-1"]
                    """))
        .hasMessageContaining("accretion.toml:4: layers.a.regionz: unknown key");
  }

  @Test
  void parse_badValuesNameTheKeyAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    [defaults]
                    regions = ["us-nowhere-1"]

                    [layers.a]
                    listing = "r.txt"
                    runtimes = ["python2.8"]
                    sharing = "friends"
                    sns = "yes"
                    """))
        .hasMessageContaining("accretion.toml:2: defaults.regions: region 'us-nowhere-1'")
        .hasMessageContaining("accretion.toml:6: layers.a.runtimes: runtime 'python2.8'")
        .hasMessageContaining("accretion.toml:7: layers.a.sharing: 'friends' is not private")
        .hasMessageContaining("accretion.toml:8: layers.a.sns: must be true or false");
  }

  @Test
  void parse_scheduleIsCheckedForTheService() throws Exception {
    parse(
        """
        [defaults]
        schedule = "weekly"

        [layers.a]
        listing = "r.txt"
        runtimes = ["python3.12"]
        regions = ["us-east-1"]
        schedule = "0 3 * * *"
        """);
    assertThatThrownBy(
            () ->
                parse(
                    """
                    [layers.a]
                    listing = "r.txt"
                    runtimes = ["python3.12"]
                    schedule = "every day"
                    """))
        .hasMessageContaining("accretion.toml:4: layers.a.schedule: invalid schedule:")
        .hasMessageContaining("daily, weekly, monthly");
    assertThatThrownBy(() -> parse("[layers.a]\nlisting = \"r.txt\"\nschedule = 3\n"))
        .hasMessageContaining("layers.a.schedule: must be a string");
  }

  @Test
  void parse_missingListingAndRuntimesAreErrors() {
    assertThatThrownBy(() -> parse("[layers.a]\nsns = true\n"))
        .hasMessageContaining("layers.a.listing: missing")
        .hasMessageContaining("layers.a.runtimes: missing");
  }

  @Test
  void parse_missingWebhookSecretVariableMakesOnlyThatLayerUnpublishable() throws Exception {
    ProjectFile p =
        parse(
            """
            [layers.a]
            listing = "r.txt"
            runtimes = ["python3.12"]
            webhooks = [{ url = "https://x.example/h", secret-env = "NOPE" }]

            [layers.b]
            listing = "r.txt"
            runtimes = ["python3.12"]
            """);

    assertThat(p.layer("a").missingSecrets())
        .singleElement()
        .asString()
        .contains("accretion.toml:4: layers.a.webhooks[0].secret-env")
        .contains("NOPE is not set");
    assertThat(p.layer("b").missingSecrets()).isEmpty();
    assertThatThrownBy(
            () ->
                p.layer("a")
                    .publishRequest(
                        "a",
                        Path.of("a.zip"),
                        "ab".repeat(32),
                        "",
                        List.of(),
                        List.of(),
                        new byte[0],
                        null))
        .hasMessageContaining("NOPE is not set");
  }

  @Test
  void parse_tomlSyntaxErrorNamesTheLine() {
    assertThatThrownBy(() -> parse("[layers.a]\nlisting = \n"))
        .hasMessageContaining("accretion.toml:2:");
  }

  @Test
  void parse_badLayerNameIsAnError() {
    assertThatThrownBy(
            () -> parse("[layers.\"my.layer\"]\nlisting = \"r\"\nruntimes = [\"python3.12\"]\n"))
        .hasMessageContaining("accretion.toml:1: layers.my.layer: layer name 'my.layer'");
  }

  @Test
  void parse_artifactIsAStringOrAListOfZipsRelativeToTheFile() throws Exception {
    ProjectFile p =
        parse(
            """
            [layers.one]
            artifact = "dist/one.zip"
            runtimes = ["python3.12"]

            [layers.two]
            artifact = ["dist/two-x86_64.zip", "dist/two-arm64.zip"]
            listing = "two/requirements.txt"
            runtimes = ["python3.12"]
            architectures = ["x86_64", "arm64"]
            """);

    assertThat(p.layer("one").artifacts()).containsExactly(Path.of("/proj/dist/one.zip"));
    assertThat(p.layer("one").listing()).isNull();
    assertThat(p.layer("two").artifacts())
        .containsExactly(Path.of("/proj/dist/two-x86_64.zip"), Path.of("/proj/dist/two-arm64.zip"));
    assertThat(p.layer("two").listing()).isEqualTo(Path.of("/proj/two/requirements.txt"));
    assertThat(p.layer("two").where()).isEqualTo("accretion.toml:5: layers.two");
    assertThat(p.secretsResolved()).isTrue();
  }

  @Test
  void parse_moreBadValuesNameTheKeyAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    [defaults]
                    artifact = "x.zip"

                    [layers.a]
                    artifact = "dist/a.tar.gz"
                    runtimes = ["python3.12", "python3.12"]
                    ssm-parameter = "no spaces allowed"
                    staging-bucket = "Bucket_{region}"
                    description = "%s"
                    regions = ["eu-west-1", "eu-west-1"]
                    sharing = ["private", "public"]
                    """
                        .formatted("d".repeat(173))))
        .hasMessageContaining("accretion.toml:2: defaults.artifact: belongs to a layer")
        .hasMessageContaining("accretion.toml:5: layers.a.artifact: 'dist/a.tar.gz' is not a .zip")
        .hasMessageContaining("accretion.toml:6: layers.a.runtimes: 'python3.12' is listed twice")
        .hasMessageContaining("accretion.toml:7: layers.a.ssm-parameter: SSM parameter name")
        .hasMessageContaining("accretion.toml:8: layers.a.staging-bucket: staging bucket pattern")
        .hasMessageContaining("accretion.toml:9: layers.a.description: is 173 characters")
        .hasMessageContaining("accretion.toml:10: layers.a.regions: 'eu-west-1' is listed twice")
        .hasMessageContaining("accretion.toml:11: layers.a.sharing: sharing 'private' cannot");
  }

  @Test
  void parse_wrongTypesNameTheKeyAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    [layers.a]
                    listing = 3
                    runtimes = "python3.12"
                    architectures = [1]
                    webhooks = "https://x.example"
                    """))
        .hasMessageContaining("accretion.toml:2: layers.a.listing: must be a string")
        .hasMessageContaining("accretion.toml:3: layers.a.runtimes: must be an array of strings")
        .hasMessageContaining(
            "accretion.toml:4: layers.a.architectures: must be an array of strings")
        .hasMessageContaining("accretion.toml:5: layers.a.webhooks: must be an array");
  }

  @Test
  void readIgnoringSecrets_acceptsAnUnsetSecretVariableButCannotPlan(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("accretion.toml");
    java.nio.file.Files.writeString(
        file,
        """
        [layers.a]
        artifact = "a.zip"
        runtimes = ["python3.12"]
        regions = ["eu-west-1"]
        webhooks = [{ url = "https://x.example/h", secret-env = "UNSET_SECRET" }]
        """);

    ProjectFile p = ProjectFile.readIgnoringSecrets(file);

    assertThat(p.secretsResolved()).isFalse();
    assertThat(p.layer("a").regions()).containsExactly("eu-west-1");
    assertThat(ProjectFile.find(dir)).contains(file);
    assertThat(p.layer("a").missingSecrets()).isEmpty();
    assertThat(ProjectFile.read(file, Map.of()).layer("a").missingSecrets())
        .singleElement()
        .asString()
        .contains("UNSET_SECRET is not set");
  }
}
