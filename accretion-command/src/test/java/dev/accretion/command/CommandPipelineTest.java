package dev.accretion.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom builders end to end through the layer pipeline: the command builder (chosen by id) and a
 * plug-in builder of static data files that the test compiles into its own jar and loads in its own
 * class loader.
 */
class CommandPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Path source;
  final List<BuildEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectories(dir.resolve("tools"));
    Files.writeString(source.resolve("greet.sh"), "#!/bin/sh\necho hello\n");
  }

  BuildContext context() {
    return new BuildContext(
        Map.of("PATH", System.getenv("PATH")),
        dir.resolve("home"),
        dir,
        dir.resolve("cache"),
        events::add);
  }

  static Target target(String runtime, Architecture arch) throws AccretionException {
    return Target.of(RuntimeMatrix.load().get(runtime), arch);
  }

  static Map<String, byte[]> entries(Path zip) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        out.put(e.name(), e.isDirectory() ? null : archive.readAllBytes(e, 64 << 20));
      }
    }
    return out;
  }

  BuildRequest command(String script, Path out) throws AccretionException {
    return BuildRequest.of(
            source,
            List.of(
                target("python3.12", Architecture.X86_64),
                target("python3.12", Architecture.ARM64)),
            out,
            context())
        .withBuilder("command")
        .withOptions(
            BuilderOptions.of(Map.of("command", List.of("sh", "-c", script)))
                .with("timeout", "20"));
  }

  @Test
  void commandBuilder_endToEnd_zipManifestAndDeclaredPackages() throws Exception {
    String script =
        """
        set -e
        mkdir -p "$ARTIFACTS_DIR/bin" "$ARTIFACTS_DIR/python"
        cp greet.sh "$ARTIFACTS_DIR/bin/greet"; chmod 755 "$ARTIFACTS_DIR/bin/greet"
        echo "ARCH = '$ACCRETION_ARCH'" > "$ARTIFACTS_DIR/python/arch.py"
        echo '{"packages": [{"name": "greet", "version": "0.1"}]}' > "$ARTIFACTS_DIR/.accretion-packages.json"
        echo done for $ACCRETION_ARCH
        """;
    LayerPipeline pipeline = new LayerPipeline(BuilderRegistry.load());
    BuildResult result = pipeline.build(command(script, dir.resolve("dist")));
    assertThat(result.builderId()).isEqualTo("command");
    assertThat(result.selectorKey()).isEmpty();
    assertThat(result.artifacts()).hasSize(2); // python/arch.py differs per architecture
    BuiltArtifact arm =
        result.artifacts().stream()
            .filter(a -> a.architectures().contains("arm64"))
            .findFirst()
            .orElseThrow();
    Map<String, byte[]> zip = entries(arm.zip());
    assertThat(zip).containsKeys("bin/greet", "python/arch.py", "accretion/tools/manifest.json");
    assertThat(zip).doesNotContainKey(".accretion-packages.json");
    assertThat(new String(zip.get("python/arch.py"), StandardCharsets.UTF_8))
        .isEqualTo("ARCH = 'arm64'\n");
    try (ZipArchive archive = ZipArchive.open(arm.zip(), ZipLimits.unlimited())) {
      assertThat(archive.entry("bin/greet").orElseThrow().isExecutable()).isTrue();
    }
    JsonNode manifest = JSON.readTree(zip.get("accretion/tools/manifest.json"));
    assertThat(manifest.path("packages").get(0).path("name").asText()).isEqualTo("greet");
    assertThat(events).contains(new BuildEvent.Output("done for arm64"));
    // same command again: same bytes (the pipeline's zip does not depend on when it ran)
    BuildResult again = pipeline.build(command(script, dir.resolve("dist2")));
    BuiltArtifact arm2 =
        again.artifacts().stream()
            .filter(a -> a.architectures().contains("arm64"))
            .findFirst()
            .orElseThrow();
    assertThat(Files.readAllBytes(arm2.zip())).isEqualTo(Files.readAllBytes(arm.zip()));
  }

  @Test
  void failingCommand_failsTheBuild_andWritesNothing() throws Exception {
    LayerPipeline pipeline = new LayerPipeline(BuilderRegistry.load());
    assertThatThrownBy(() -> pipeline.build(command("echo oops >&2; exit 7", dir.resolve("dist"))))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.problem()).contains("exit code 7");
              assertThat(e.advice()).contains("oops");
            });
    assertThat(dir.resolve("dist"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  @Test
  void commandPastItsTimeout_failsTheBuild() throws Exception {
    LayerPipeline pipeline = new LayerPipeline(BuilderRegistry.load());
    BuildRequest request =
        command("sleep 60", dir.resolve("dist"))
            .withOptions(
                BuilderOptions.of(Map.of("command", List.of("sh", "-c", "sleep 60")))
                    .with("timeout", "1"));
    assertThatThrownBy(() -> pipeline.build(request))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.problem()).contains("longer than 1 s"));
  }

  @Test
  void commandWritingOutsideItsFolders_getsOnlyArtifactsDirIntoTheLayer() throws Exception {
    LayerPipeline pipeline = new LayerPipeline(BuilderRegistry.load());
    String script =
        """
        echo x > ../outside.txt; echo y > "$HOME/y.txt"; echo z > greet.sh
        echo in > "$ARTIFACTS_DIR/in.txt"
        """;
    BuildResult result = pipeline.build(command(script, dir.resolve("dist")));
    Map<String, byte[]> zip = entries(result.artifacts().get(0).zip());
    assertThat(zip.keySet().stream().filter(k -> !k.startsWith("accretion/") && !k.endsWith("/")))
        .containsExactly("in.txt");
    assertThat(Files.readString(source.resolve("greet.sh"))).isEqualTo("#!/bin/sh\necho hello\n");
  }

  /** Compiles the example plug-in (src/test/resources/plugin) into a jar of its own. */
  static Path pluginJar(Path work) throws Exception {
    Path src = Path.of("src/test/resources/plugin/example/StaticFilesBuilder.java");
    Path classes = Files.createDirectories(work.resolve("plugin-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "21",
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            src.toString());
    assertThat(rc).as("javac of the plug-in").isZero();
    Path jar = work.resolve("static-files-plugin.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("META-INF/services/dev.accretion.pipeline.spi.Builder"));
      j.write("example.StaticFilesBuilder\n".getBytes(StandardCharsets.UTF_8));
      List<Path> files = new ArrayList<>();
      try (var walk = Files.walk(classes)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
      for (Path f : files) {
        j.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        j.write(Files.readAllBytes(f));
      }
    }
    return jar;
  }

  @Test
  void pluginJar_isLoadedInItsOwnClassLoader_andBuildsEndToEnd() throws Exception {
    Path jar = pluginJar(dir);
    assertThatThrownBy(() -> Class.forName("example.StaticFilesBuilder"))
        .isInstanceOf(ClassNotFoundException.class);
    BuilderRegistry registry = BuilderRegistry.load().withPlugins(List.of(jar));
    assertThat(registry.byId("static-files")).isPresent();
    assertThat(registry.byId("static-files").get().getClass().getClassLoader())
        .isNotSameAs(getClass().getClassLoader());

    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("cities.csv"), "name,country\nLisbon,PT\n");
    Files.writeString(data.resolve("layer.static"), "data/cities.csv = cities.csv\n");
    BuildResult result =
        new LayerPipeline(registry)
            .build(
                BuildRequest.of(
                    data.resolve("layer.static"),
                    List.of(target("nodejs22.x", Architecture.X86_64)),
                    dir.resolve("dist"),
                    context()));
    assertThat(result.builderId()).isEqualTo("static-files");
    Map<String, byte[]> zip = entries(result.artifacts().get(0).zip());
    assertThat(new String(zip.get("data/cities.csv"), StandardCharsets.UTF_8))
        .isEqualTo("name,country\nLisbon,PT\n");
    JsonNode manifest = JSON.readTree(zip.get("accretion/static-data/manifest.json"));
    assertThat(manifest.path("packages").get(0).path("name").asText()).isEqualTo("static-data");
  }
}
