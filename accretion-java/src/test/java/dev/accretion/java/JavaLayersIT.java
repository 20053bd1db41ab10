package dev.accretion.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.testkit.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real dependency sets from Maven Central, built through the layer pipeline: the jars in the zip's
 * {@code java/lib} are exactly (names and sha256) what {@code mvn dependency:copy-dependencies
 * -DincludeScope=runtime} copies for the same pom and settings (a settings.xml with a mirror of
 * Central, used by both), and a handler compiled with {@code --release 21} runs on {@code java -cp
 * 'layer/java/lib/*:classes'} under a JDK 21+ (Temurin 25) using every dependency of its set
 * (against moto and the machine's PostgreSQL where the set talks to a service).
 */
class JavaLayersIT {

  /** Shared by the sets: the resolver's local repository is filled once per run. */
  @TempDir static Path shared;

  static Path settings;
  static Path home;

  @BeforeAll
  static void setUp() throws IOException {
    home = Files.createDirectories(shared.resolve("home"));
    settings = shared.resolve("settings.xml");
    // a mirror of Central (to Central itself): the settings mapping is exercised on every set
    Files.writeString(
        settings,
        """
        <settings>
          <mirrors>
            <mirror>
              <id>central-mirror</id>
              <url>https://repo.maven.apache.org/maven2</url>
              <mirrorOf>central</mirrorOf>
            </mirror>
          </mirrors>
        </settings>
        """);
  }

  static Path copySet(String name, Path to) throws IOException {
    Path from = Path.of("src/test/resources/java-sets");
    Path root = from.resolve(name.contains("/") ? name.substring(0, name.indexOf('/')) : name);
    Path base = to.resolve("sets");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.toList()) {
        Path dest = base.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return base.resolve(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lambda",
        "jackson",
        "awssdk",
        "postgresql",
        "guava",
        "logging",
        "bom/layer",
        "netty",
        "scopes"
      })
  void layer_equalsMavenCopyDependencies_andHandlerRunsOnIt(String set, @TempDir Path dir)
      throws Exception {
    Path project = copySet(set, dir);
    Path pom = project.resolve("pom.xml");
    // through the layer pipeline (builder found with ServiceLoader), then the zip unpacked
    BuildResult result =
        new LayerPipeline(BuilderRegistry.load())
            .build(
                BuildRequest.of(
                        pom,
                        List.of(SessionDriver.target("java21", Architecture.X86_64)),
                        dir.resolve("dist"),
                        new BuildContext(Map.of(), home, project, shared.resolve("cache"), e -> {}))
                    .withOptions(BuilderOptions.none().with("settings", settings.toString())));
    assertThat(result.builderId()).isEqualTo("java");
    unzip(result.artifacts().get(0).zip(), dir.resolve("layer"));

    Map<String, String> ours = JavaTools.digests(dir.resolve("layer/java/lib"));
    Map<String, String> maven = JavaTools.copyDependencies(pom, settings, dir.resolve("mvn-out"));
    assertThat(ours).as("java/lib vs mvn dependency:copy-dependencies").isEqualTo(maven);
    assertThat(ours).isNotEmpty();

    String[] args =
        set.equals("awssdk") || set.equals("bom/layer")
            ? new String[] {MotoServer.endpoint().toString()}
            : new String[0];
    String out =
        JavaTools.compileAndRun(
            dir.resolve("layer"), project.resolve("Handler.java"), dir.resolve("run"), args);
    assertThat(out).contains("OK");
  }

  static void unzip(Path zip, Path to) throws Exception {
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        Path dest = to.resolve(e.name());
        if (e.isDirectory()) {
          Files.createDirectories(dest);
        } else {
          Files.createDirectories(dest.getParent());
          Files.write(dest, archive.readAllBytes(e, 256 << 20));
        }
      }
    }
  }

  @Test
  void conflicts_areSettledNearestWins_andTheLoserIsInTheNotes(@TempDir Path dir) throws Exception {
    Path pom = copySet("scopes", dir).resolve("pom.xml");
    SessionDriver.Result result =
        new SessionDriver(shared.resolve("cache"), home, Map.of())
            .build(
                pom,
                BuilderOptions.none().with("settings", settings.toString()),
                SessionDriver.target("java17", Architecture.ARM64),
                dir.resolve("layer"));
    assertThat(result.resolution().notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("commons-codec:commons-codec 1.11 requested by")
                    .contains("lost to 1.17.1"));
    assertThat(result.resolution().packages())
        .extracting(p -> p.name())
        .doesNotContain("junit:junit", "org.projectlombok:lombok")
        .contains("joda-time:joda-time", "commons-logging:commons-logging");
  }

  @Test
  void nativeLibrariesInsideJars_areListedWithTheirElfFacts(@TempDir Path dir) throws Exception {
    Path pom = copySet("netty", dir).resolve("pom.xml");
    SessionDriver.Result result =
        new SessionDriver(shared.resolve("cache"), home, Map.of())
            .build(
                pom,
                BuilderOptions.none().with("settings", settings.toString()),
                SessionDriver.target("java21", Architecture.ARM64),
                dir.resolve("layer"));
    InstalledPackage aarch64 =
        result.installed().stream()
            .filter(p -> p.opened().pkg().name().endsWith(":jar:linux-aarch_64"))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> libs =
        (List<Map<String, Object>>) aarch64.opened().facts().get("nativeLibraries");
    assertThat(libs)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.get("path").toString()).endsWith(".so");
              assertThat(l).containsEntry("format", "elf").containsEntry("machine", "AArch64");
            });
    assertThat(aarch64.files().get(0).path())
        .isEqualTo("java/lib/netty-transport-native-epoll-4.2.10.Final-linux-aarch_64.jar");
  }
}
