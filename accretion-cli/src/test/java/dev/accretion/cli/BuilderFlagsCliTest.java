package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder flags of {@code build}, {@code lock} and {@code publish} reach the builder as its
 * option keys: each test fails if its flag were dropped or mapped to another key. No network: the
 * Java builder resolves from a file-based repository the flags point to, the Node.js builder is
 * pointed at a closed port.
 */
class BuilderFlagsCliTest {
  @TempDir Path temp;

  private Path repository;

  @BeforeEach
  void inputs() throws Exception {
    repository = BuilderFixtures.mavenRepository(temp.resolve("repo"));
    Files.writeString(temp.resolve("maven.txt"), BuilderFixtures.ONLY_LOCAL + "\n");
    Files.createDirectories(temp.resolve("home"));
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--cache-dir", temp.resolve("cache").toString()));
    return CliRun.run(
        Map.of("HOME", temp.resolve("home").toString(), "PIP_CONFIG_FILE", "/dev/null"),
        temp,
        all.toArray(String[]::new));
  }

  @Test
  void settings_flagMirrorsResolutionToTheSettingsRepository() throws Exception {
    Path settings = BuilderFixtures.mirrorSettings(temp.resolve("ci/settings.xml"), repository);
    CliRun r =
        run(
            "build",
            "maven.txt",
            "--runtime",
            "java21",
            "-s",
            temp.relativize(settings).toString(),
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(BuilderFixtures.files(zip)).contains("java/lib/only-local-1.0.jar");
    // the long form, and lock, take it too
    CliRun lock =
        run(
            "lock",
            "maven.txt",
            "--runtime",
            "java21",
            "--settings",
            settings.toString(),
            "-o",
            "locked.java-lock.json");
    assertThat(lock.code()).as(lock.toString()).isZero();
    assertThat(Files.readString(temp.resolve("locked.java-lock.json"))).contains("only-local");
  }

  @Test
  void globalSettings_flagIsReadAsMavensGlobalSettings() throws Exception {
    Path global = BuilderFixtures.mirrorSettings(temp.resolve("global.xml"), repository);
    CliRun r =
        run("build", "maven.txt", "--runtime", "java17", "-gs", global.toString(), "-o", "out");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(BuilderFixtures.files(BuilderFixtures.zips(temp.resolve("out")).get(0)))
        .contains("java/lib/only-local-1.0.jar");
  }

  @Test
  void repository_flagAddsARepositorySearchedBeforeCentral() throws Exception {
    CliRun r =
        run(
            "build",
            "maven.txt",
            "--runtime",
            "java21",
            "--repository",
            "integ::" + repository.toUri(),
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("org.example.integ:only-local");
  }

  @Test
  void offline_flagResolvesFromTheLocalRepositoryOnly() throws Exception {
    // with --offline not even the flagged repository is asked: nothing is in the local repository
    CliRun r =
        run(
            "build",
            "maven.txt",
            "--runtime",
            "java21",
            "--repository",
            "integ::" + repository.toUri(),
            "--offline");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).containsIgnoringCase("offline");
  }

  @Test
  void registry_flagIsTheRegistryThePackageJsonIsResolvedAgainst() throws Exception {
    Path app = Files.createDirectories(temp.resolve("app"));
    Files.writeString(
        app.resolve("package.json"),
        "{\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}");
    CliRun r =
        run(
            "build",
            "app/package.json",
            "--runtime",
            "nodejs22.x",
            "--registry",
            "http://127.0.0.1:9/closed-registry/");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("127.0.0.1:9");
  }

  @Test
  void workspace_flagNamesTheWorkspaceToBuild() throws Exception {
    Path app = Files.createDirectories(temp.resolve("mono"));
    Files.writeString(
        app.resolve("package.json"),
        "{\"name\": \"mono\", \"version\": \"1.0.0\", \"workspaces\": [\"packages/*\"]}");
    Path api = Files.createDirectories(app.resolve("packages/api"));
    Files.writeString(api.resolve("package.json"), "{\"name\": \"api\", \"version\": \"1.0.0\"}");
    Files.writeString(
        app.resolve("package-lock.json"),
        """
        {"name": "mono", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
         "packages": {
           "": {"name": "mono", "version": "1.0.0", "workspaces": ["packages/*"]},
           "node_modules/api": {"resolved": "packages/api", "link": true},
           "packages/api": {"name": "api", "version": "1.0.0"}
         }}
        """);
    CliRun wrong =
        run("build", "mono/package.json", "--runtime", "nodejs22.x", "--workspace", "nope");
    assertThat(wrong.code()).as(wrong.toString()).isNotZero();
    assertThat(wrong.err()).contains("nope");
    CliRun right =
        run("build", "mono/package.json", "--runtime", "nodejs22.x", "--workspace", "api");
    assertThat(right.code()).as(right.toString()).isZero();
    assertThat(right.err() + right.out()).contains("api");
  }

  @Test
  void eachFlag_reachesTheBuilderAsItsOptionKey() throws Exception {
    // a builder refuses the keys it does not take, naming them: so each flag's key shows
    SimpleIndexBuilder index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    Files.writeString(temp.resolve("requirements.txt"), "tiny\n");
    String[][] cases = {
      {"--allow-unbuilt", "sharp", "allow-unbuilt"},
      {"--workspace", "api", "workspace"},
      {"--registry", "https://registry.example/", "registry"},
      {"-s", "settings.xml", "settings"},
      {"-gs", "settings.xml", "global-settings"},
      {"--repository", "a::https://repo.example/", "repository"},
      {"--offline", null, "offline"},
    };
    for (String[] c : cases) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "build", "requirements.txt", "--runtime", "python3.12", "-i", index.url(), c[0]));
      if (c[1] != null) {
        args.add(c[1]);
      }
      CliRun r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(c[0] + ": " + r).isEqualTo(2);
      assertThat(r.err())
          .as(c[0])
          .contains("the python builder does not take the option(s) " + c[2]);
    }
    // and without them the same build works
    CliRun ok = run("build", "requirements.txt", "--runtime", "python3.12", "-i", index.url());
    assertThat(ok.code()).as(ok.toString()).isZero();
  }

  @Test
  void builder_flagChoosesTheBuilder() throws Exception {
    Files.writeString(temp.resolve("deps.list"), BuilderFixtures.ONLY_LOCAL + "\n");
    CliRun unknown = run("build", "deps.list", "--runtime", "java21", "--builder", "nope");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("there is no builder 'nope'");
    CliRun node = run("build", "maven.txt", "--runtime", "java21", "--builder", "nodejs");
    assertThat(node.code()).as(node.toString()).isEqualTo(2);
    assertThat(node.err()).contains("is a nodejs listing").contains("java21");
  }

  @Test
  void runtime_decidesTheBuilderOfAListingTwoBuildersRecognise() throws Exception {
    // maven.txt is a requirements file's name too: java21 makes it the java builder's
    Path settings = BuilderFixtures.mirrorSettings(temp.resolve("s.xml"), repository);
    CliRun java =
        run("build", "maven.txt", "--runtime", "java21", "-s", settings.toString(), "--json");
    assertThat(java.code()).as(java.toString()).isZero();
    // and a Java listing for a Python runtime is a usage error naming both
    CliRun py = run("build", "pom.xml", "--runtime", "python3.12", "--format", "pom");
    assertThat(py.code()).as(py.toString()).isEqualTo(2);
    assertThat(py.err()).contains("java listing").contains("python3.12 (a python runtime)");
  }

  @Test
  void builderPath_loadsAPluginWhoseBuilderReadsItsListing() throws Exception {
    Path jar = BuilderFixtures.pluginJar(temp);
    Files.writeString(temp.resolve("data.txt"), "hello\n");
    Files.writeString(temp.resolve("layer.static"), "data/hello.txt = data.txt\n");
    CliRun without = run("build", "layer.static", "--runtime", "python3.12");
    assertThat(without.code()).as(without.toString()).isEqualTo(2);
    CliRun r =
        run(
            "build",
            "layer.static",
            "--runtime",
            "python3.12",
            "--builder-path",
            temp.relativize(jar).toString(),
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(BuilderFixtures.files(zip)).contains("data/hello.txt");
  }

  @Test
  void publish_takesTheFlagsForAListingAndRefusesThemForAZip() throws Exception {
    CliRun zip = run("publish", "dist/x.zip", "--layer", "x", "--offline");
    assertThat(zip.code()).as(zip.toString()).isEqualTo(2);
    assertThat(zip.err()).contains("builder flags");
  }
}
