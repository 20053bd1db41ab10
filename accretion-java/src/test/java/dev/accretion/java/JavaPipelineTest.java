package dev.accretion.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.LockRequest;
import dev.accretion.pipeline.LockResult;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java builder end to end through the layer pipeline (builder found with ServiceLoader), on a
 * Maven repository the test writes: jars whole under java/lib, manifest, SBOM and lock, one zip for
 * targets whose files are identical, byte-identical rebuilds across cache folders and time zones,
 * the selector cache, and a lock that builds without resolving.
 */
class JavaPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestRepository repo;
  Path home;
  Path project;
  LayerPipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepository(dir.resolve("repo"));
    home = Files.createDirectories(dir.resolve("home"));
    project = Files.createDirectories(dir.resolve("project"));
    repo.artifact("org.example", "core", "1.0").publish();
    repo.artifact("org.example", "util", "1.5").dependsOn("org.example:core:1.0").publish();
    repo.artifact("org.example", "app", "3.0").dependsOn("org.example:util:1.5").publish();
    pipeline = new LayerPipeline(BuilderRegistry.load());
  }

  BuildContext context(String cache) {
    return new BuildContext(Map.of(), home, project, dir.resolve(cache), e -> {});
  }

  BuilderOptions local() {
    return BuilderOptions.none().with("repository", "local::" + repo.url());
  }

  static Target target(String runtime, Architecture arch) throws AccretionException {
    return SessionDriver.target(runtime, arch);
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

  Path listing() throws Exception {
    Path p = project.resolve("maven.txt");
    Files.writeString(p, "org.example:app:3.0\n");
    return p;
  }

  @Test
  void build_laysOutJarsWhole_withManifestSbomAndLock_sharedByBothArchitectures() throws Exception {
    BuildResult result =
        pipeline.build(
            BuildRequest.of(
                    listing(),
                    List.of(
                        target("java21", Architecture.X86_64),
                        target("java21", Architecture.ARM64)),
                    dir.resolve("dist"),
                    context("cache"))
                .withOptions(local())
                .withName("deps"));
    assertThat(result.builderId()).isEqualTo("java");
    BuiltArtifact a = result.artifacts().get(0);
    assertThat(result.artifacts()).hasSize(1);
    assertThat(a.architectures()).containsExactly("x86_64", "arm64");
    Map<String, byte[]> zip = entries(a.zip());
    assertThat(zip.keySet())
        .contains(
            "java/lib/app-3.0.jar",
            "java/lib/core-1.0.jar",
            "java/lib/util-1.5.jar",
            "accretion/deps/manifest.json");
    assertThat(zip.get("java/lib/util-1.5.jar"))
        .isEqualTo(Files.readAllBytes(repo.artifact("org.example", "util", "1.5").jar()));
    try (ZipArchive archive = ZipArchive.open(a.zip(), ZipLimits.unlimited())) {
      assertThat(archive.entry("java/lib/app-3.0.jar").orElseThrow().method())
          .as("a jar is copied whole, STORED")
          .isEqualTo(ZipEntryInfo.STORED);
    }
    JsonNode manifest = JSON.readTree(zip.get("accretion/deps/manifest.json"));
    assertThat(manifest.path("builder").path("id").asText()).isEqualTo("java");
    JsonNode app = manifest.path("packages").get(0);
    assertThat(app.path("name").asText()).isEqualTo("org.example:app");
    assertThat(app.path("purl").asText()).isEqualTo("pkg:maven/org.example/app@3.0");
    assertThat(app.path("groupId").asText()).isEqualTo("org.example");
    assertThat(app.path("javaVersion").asInt()).isEqualTo(8);
    assertThat(app.path("license").asText()).isEqualTo("Test License");
    assertThat(a.sbom()).exists();
    assertThat(a.locks()).isNotEmpty();
    assertThat(a.locks().get(0).getFileName().toString()).endsWith(".java-lock.json");
  }

  @Test
  void rebuild_isByteIdentical_acrossCacheFoldersAndTimeZones_andThenACacheHit() throws Exception {
    Path list = listing();
    List<Target> t = List.of(target("java17", Architecture.X86_64));
    BuildResult first =
        pipeline.build(
            BuildRequest.of(list, t, dir.resolve("out1"), context("c1")).withOptions(local()));
    TimeZone before = TimeZone.getDefault();
    BuildResult second;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      second =
          pipeline.build(
              BuildRequest.of(list, t, dir.resolve("out2"), context("c2")).withOptions(local()));
    } finally {
      TimeZone.setDefault(before);
    }
    assertThat(Files.readAllBytes(second.artifacts().get(0).zip()))
        .isEqualTo(Files.readAllBytes(first.artifacts().get(0).zip()));
    List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    BuildResult third =
        pipeline.build(
            BuildRequest.of(
                    list,
                    t,
                    dir.resolve("out3"),
                    new BuildContext(Map.of(), home, project, dir.resolve("c1"), events::add))
                .withOptions(local()));
    System.out.println("EVENTS " + events);
    assertThat(third.fromCache()).isTrue();
    assertThat(Files.readAllBytes(third.artifacts().get(0).zip()))
        .isEqualTo(Files.readAllBytes(first.artifacts().get(0).zip()));
  }

  @Test
  void aBuildInAnotherProcess_withUmask077AndAnotherTimeZone_givesTheSameBytes() throws Exception {
    Path list = listing();
    Target t = target("java21", Architecture.X86_64);
    BuildResult here =
        pipeline.build(
            BuildRequest.of(list, List.of(t), dir.resolve("out1"), context("c1"))
                .withOptions(local()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                "-c",
                "umask 077 && exec \"$0\" -cp \"$CP\" dev.accretion.java.JavaBenchMain \"$@\"",
                java,
                list.toString(),
                "java21",
                "x86_64",
                dir.resolve("c2").toString(),
                dir.resolve("out2").toString(),
                "repository=local::" + repo.url())
            .redirectErrorStream(true);
    pb.environment().put("CP", System.getProperty("java.class.path"));
    pb.environment().put("TZ", "Asia/Tokyo");
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    Path other = Path.of(out.strip().substring(out.strip().lastIndexOf(' ') + 1));
    assertThat(Files.readAllBytes(other))
        .isEqualTo(Files.readAllBytes(here.artifacts().get(0).zip()));
  }

  @Test
  void lock_thenABuildFromTheLock_resolvesNothing() throws Exception {
    Path list = listing();
    Target t = target("java21", Architecture.X86_64);
    LockResult lock =
        pipeline.lock(
            new LockRequest(list, null, null, local(), List.of(t), null, false, context("c1")));
    Path lockFile = lock.locks().get(0).file();
    assertThat(lockFile.getFileName().toString()).isEqualTo("java-lock.json");
    // no POM is left: only a build that resolves nothing succeeds
    try (var files = Files.walk(repo.root)) {
      for (Path f : files.filter(f -> f.toString().contains(".pom")).toList()) {
        Files.delete(f);
      }
    }
    BuildResult fromLock =
        pipeline.build(
            BuildRequest.of(lockFile, List.of(t), dir.resolve("out"), context("c2"))
                .withOptions(local()));
    assertThat(entries(fromLock.artifacts().get(0).zip()).keySet())
        .contains("java/lib/app-3.0.jar", "java/lib/core-1.0.jar", "java/lib/util-1.5.jar");
  }

  @Test
  void aPythonRuntime_forAJavaListing_isAUsageErrorNamingBoth() throws Exception {
    Path list = listing();
    assertThatThrownBy(
            () ->
                pipeline.build(
                    BuildRequest.of(
                        list,
                        List.of(target("python3.12", Architecture.X86_64)),
                        dir.resolve("out"),
                        context("c"))))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.USAGE);
              assertThat(e.getMessage()).contains("python3.12").contains("java");
            });
  }

  @Test
  void aJarForANewerJava_failsTheBuildNamingJarAndRuntime() throws Exception {
    repo.artifact("org.example", "modern", "1.0").major(61).publish();
    Path list = project.resolve("modern.coordinates");
    Files.writeString(list, "org.example:modern:1.0\n");
    assertThatThrownBy(
            () ->
                pipeline.build(
                    BuildRequest.of(
                            list,
                            List.of(target("java11", Architecture.ARM64)),
                            dir.resolve("out"),
                            context("c"))
                        .withOptions(local())))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.getMessage()).contains("modern-1.0.jar").contains("java11");
            });
    assertThat(dir.resolve("out"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }
}
