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
 * {@code accretion build [LAYER...]} without a listing builds the layers of {@code accretion.toml};
 * each layer's {@code builder}, {@code source}, {@code command}, {@code timeout}, {@code builders}
 * and builder options reach its builder, and wrong keys are errors naming file and line.
 */
class ProjectBuildCliTest {
  @TempDir Path temp;

  private Path project;
  private SimpleIndexBuilder index;

  @BeforeEach
  void inputs() throws Exception {
    project = Files.createDirectories(temp.resolve("proj"));
    index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    Files.writeString(project.resolve("requirements.txt"), "tiny\n");
    Files.createDirectories(temp.resolve("home"));
  }

  private CliRun run(Path cwd, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--cache-dir", temp.resolve("cache").toString()));
    return CliRun.run(
        Map.of(
            "HOME", temp.resolve("home").toString(),
            "PIP_CONFIG_FILE", "/dev/null",
            "PATH", "/usr/bin:/bin"),
        cwd,
        all.toArray(String[]::new));
  }

  private void projectFile(String text) throws Exception {
    Files.writeString(project.resolve("accretion.toml"), text);
  }

  private String pythonLayer(String name) {
    // index-url is a python builder option: without it reaching the builder, nothing resolves
    return """
        [layers.%s]
        listing = "requirements.txt"
        runtimes = ["python3.12"]
        index-url = "%s"
        """
        .formatted(name, index.url());
  }

  @Test
  void build_withoutListing_buildsEveryLayerIntoDistBesideTheProjectFile() throws Exception {
    projectFile(pythonLayer("web") + "\n" + pythonLayer("jobs"));
    CliRun r = run(project, "build", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().get("artifacts")).hasSize(2);
    assertThat(BuilderFixtures.zips(project.resolve("dist")))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("jobs-python3.12-x86_64.zip", "web-python3.12-x86_64.zip");
    // the named layers only
    CliRun one = run(project, "build", "jobs", "-o", "only");
    assertThat(one.code()).as(one.toString()).isZero();
    assertThat(BuilderFixtures.zips(project.resolve("only")))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("jobs-python3.12-x86_64.zip");
  }

  @Test
  void build_withProjectFlag_fromAnotherFolder() throws Exception {
    projectFile(pythonLayer("web"));
    CliRun r = run(temp, "build", "--project", "proj/accretion.toml");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(project.resolve("dist/web-python3.12-x86_64.zip")).isRegularFile();
  }

  @Test
  void build_usageErrors_unknownLayerTargetsFlagsNoProject() throws Exception {
    projectFile(pythonLayer("web"));
    CliRun unknown = run(project, "build", "nope");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("nope is neither a file nor a layer").contains("web");
    CliRun targets = run(project, "build", "web", "--runtime", "python3.13");
    assertThat(targets.code()).as(targets.toString()).isEqualTo(2);
    assertThat(targets.err()).contains("--runtime/--arch: only for building a listing");
    Path empty = Files.createDirectories(temp.resolve("empty"));
    CliRun none = run(empty, "build");
    assertThat(none.code()).as(none.toString()).isEqualTo(2);
    assertThat(none.err()).contains("no accretion.toml in");
  }

  @Test
  void commandLayer_runsTheCommandInACopyOfTheSourceForEachTarget() throws Exception {
    Path tools = Files.createDirectories(project.resolve("tools"));
    Files.writeString(tools.resolve("greeting.txt"), "hi\n");
    projectFile(
        """
        [layers.tools]
        builder = "command"
        source = "tools"
        command = ["sh", "-c", "mkdir -p \\"$ARTIFACTS_DIR/bin\\" && cp greeting.txt \\"$ARTIFACTS_DIR/bin/greeting-$ACCRETION_ARCH.txt\\" && echo \\"$KEEP\\" > \\"$ARTIFACTS_DIR/bin/keep.txt\\""]
        runtimes = ["python3.12"]
        architectures = ["arm64"]
        timeout = 60
        pass-env = ["KEEP"]
        """);
    // 'tools' is the layer, though a folder of that name is beside the project file
    CliRun r =
        CliRun.run(
            Map.of(
                "HOME", temp.resolve("home").toString(),
                "PATH", "/usr/bin:/bin",
                "KEEP", "kept"),
            project,
            "build",
            "tools",
            "--cache-dir",
            temp.resolve("cache").toString(),
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(BuilderFixtures.files(zip)).contains("bin/greeting-arm64.txt", "bin/keep.txt");
    try (var z = new java.util.zip.ZipFile(zip.toFile())) {
      assertThat(new String(z.getInputStream(z.getEntry("bin/keep.txt")).readAllBytes()))
          .isEqualTo("kept\n");
    }
  }

  @Test
  void commandLayer_timeoutFromTheProjectFileStopsTheCommand() throws Exception {
    Files.createDirectories(project.resolve("tools"));
    projectFile(
        """
        [layers.slow]
        builder = "command"
        source = "tools"
        command = ["sleep", "30"]
        runtimes = ["python3.12"]
        timeout = 1
        """);
    long start = System.nanoTime();
    CliRun r = run(project, "build");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("accretion.toml:1: layers.slow").contains("ran longer than 1 s");
    assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(25);
  }

  @Test
  void builders_pluginJarsOfTheProjectFileBuildTheirLayers() throws Exception {
    BuilderFixtures.pluginJar(project);
    Files.writeString(project.resolve("data.txt"), "hello\n");
    Files.writeString(project.resolve("layer.static"), "data/hello.txt = data.txt\n");
    projectFile(
        """
        builders = ["plugins/static-files.jar"]

        [layers.data]
        builder = "static-files"
        listing = "layer.static"
        runtimes = ["nodejs22.x"]
        """);
    CliRun r = run(project, "build", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(BuilderFixtures.files(zip)).contains("data/hello.txt");
  }

  @Test
  void javaLayer_settingsRelativeToTheProjectFile() throws Exception {
    Path repository = BuilderFixtures.mavenRepository(temp.resolve("repo"));
    BuilderFixtures.mirrorSettings(project.resolve("maven/settings.xml"), repository);
    Files.writeString(project.resolve("maven.txt"), BuilderFixtures.ONLY_LOCAL + "\n");
    projectFile(
        """
        [layers.jvm]
        listing = "maven.txt"
        runtimes = ["java21"]
        settings = "maven/settings.xml"
        """);
    CliRun r = run(temp, "build", "--project", "proj/accretion.toml", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(BuilderFixtures.files(zip)).contains("java/lib/only-local-1.0.jar");
  }

  @Test
  void projectFile_wrongKeysAndRuntimes_areErrorsNamingFileLineAndKey() throws Exception {
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    projectFile(
        """
        [layers.jvm]
        listing = "pom.xml"
        runtimes = ["java21"]
        ofline = true

        [layers.py]
        listing = "requirements.txt"
        runtimes = ["java21"]

        [layers.tools]
        builder = "comand"
        source = "tools"
        runtimes = ["python3.12"]
        """);
    CliRun r = run(project, "build");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains("accretion.toml:4: layers.jvm.ofline: unknown key")
        .contains("java builder (its options: global-settings, offline, repository, settings)")
        .contains("accretion.toml:8: layers.py.runtimes:")
        .contains("java21 (a java runtime)")
        .contains("accretion.toml:11: layers.tools.builder: there is no builder 'comand'");
    // publish reads the file the same way, before any AWS call
    CliRun publish = run(project, "publish");
    assertThat(publish.code()).as(publish.toString()).isEqualTo(1);
    assertThat(publish.err()).contains("accretion.toml:4: layers.jvm.ofline: unknown key");
  }

  @Test
  void readmeCommandBuilderExample_buildsAsWritten() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir"), "..", "README.md"));
    int at = readme.indexOf("### Custom builders: commands and plug-ins");
    assertThat(at).as("README has the custom builders section").isNotNegative();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("```toml\\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find(at)).isTrue();
    projectFile(m.group(1));
    Path tools = Files.createDirectories(project.resolve("tools"));
    Files.writeString(
        tools.resolve("Makefile"),
        "layer:\n\tmkdir -p \"$(ARTIFACTS_DIR)/bin\"\n"
            + "\techo $(ACCRETION_RUNTIME) > \"$(ARTIFACTS_DIR)/bin/runtime.txt\"\n");
    CliRun r = run(project, "build", "tools", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    Path zip = Path.of(r.json().get("artifacts").get(0).get("path").asText());
    assertThat(zip.getFileName().toString()).isEqualTo("tools-python3.12-x86_64+arm64.zip");
    assertThat(BuilderFixtures.files(zip)).contains("bin/runtime.txt");
  }
}
