package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildListener;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nodejs builder through the real layer pipeline (fetch into the content-addressed cache with
 * digest checks, ELF check, reproducible zip, manifest and SBOM): the zip holds what npm ci
 * installs, the same bytes come out whatever the time zone, cache folder or input order, and a
 * small set's zip digest is pinned.
 */
class PipelineBuildIT {
  @TempDir Path tmp;
  static final Path SETS = Path.of("src/test/resources/npm-sets");

  /** The events of the builds this test ran. */
  final List<dev.accretion.pipeline.spi.BuildEvent> events =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  BuildResult build(Path listing, List<Target> targets, Path cache, Path out) throws Exception {
    BuildListener record = events::add;
    BuildContext ctx =
        new BuildContext(SessionBuild.cleanEnv(), tmp.resolve("home"), tmp, cache, record);
    return new LayerPipeline(BuilderRegistry.load())
        .build(BuildRequest.of(listing, targets, out, ctx));
  }

  Path copySet(String name) throws Exception {
    Path p = Files.createTempDirectory(tmp, name);
    for (String f : List.of("package.json", "package-lock.json")) {
      Files.copy(SETS.resolve(name).resolve(f), p.resolve(f));
    }
    return p;
  }

  /**
   * Through the pipeline as the CLI runs it: npm tarballs download 32 at once (not the pipeline's
   * usual 8), counted at a registry that holds the answers until 32 are in flight (each for at most
   * 5 s, so a slow client start cannot make the count smaller).
   */
  @Test
  void tarballsDownload32AtOnce() throws Exception {
    try (RegistryFixture registry = new RegistryFixture().holdTarballsUntil(32, 5000)) {
      Map<String, Object> deps = new java.util.LinkedHashMap<>();
      Map<String, Object> packages = new java.util.LinkedHashMap<>();
      packages.put("", NodeBuilderFixtureTest.m("name", "app", "dependencies", deps));
      for (int i = 0; i < 40; i++) {
        String name = "p" + i;
        String url =
            registry.publish(
                NodeBuilderFixtureTest.m("name", name, "version", "1.0.0"),
                Map.of("index.js", "module.exports = " + i + ";\n"));
        deps.put(name, "1.0.0");
        packages.put(
            "node_modules/" + name,
            NodeBuilderFixtureTest.m(
                "version",
                "1.0.0",
                "resolved",
                url,
                "integrity",
                registry.integrity(name, "1.0.0")));
      }
      Path project = Files.createTempDirectory(tmp, "many");
      Files.writeString(
          project.resolve("package.json"),
          dev.accretion.node.json.JsonText.write(
              NodeBuilderFixtureTest.m("name", "app", "version", "1.0.0", "dependencies", deps)));
      Files.writeString(
          project.resolve("package-lock.json"), NodeBuilderFixtureTest.lockOf(packages));
      Files.writeString(project.resolve(".npmrc"), "registry=" + registry.url() + "\n");
      Target t = SessionBuild.target("nodejs22.x", Architecture.X86_64);
      BuildResult r =
          build(
              project.resolve("package.json"),
              List.of(t),
              tmp.resolve("cache-many"),
              tmp.resolve("dist-many"));
      assertThat(r.artifacts()).hasSize(1);
      assertThat(registry.mostTarballsInFlight()).isEqualTo(32);
    }
  }

  @Test
  void expressThroughThePipeline_zipHoldsWhatNpmCiInstalls() throws Exception {
    Path project = copySet("express");
    NodeTools.run(
            List.of(
                "npm",
                "ci",
                "--omit=dev",
                "--ignore-scripts",
                "--os=linux",
                "--cpu=x64",
                "--no-audit",
                "--no-fund",
                "--loglevel=error"),
            project,
            null,
            Map.of())
        .requireSuccess("npm ci");
    Map<String, String> npm = NpmCiDifferentialIT.tree(project.resolve("node_modules"));
    Target t = SessionBuild.target("nodejs20.x", Architecture.X86_64);
    BuildResult r =
        build(
            project.resolve("package.json"), List.of(t), tmp.resolve("cache"), tmp.resolve("dist"));
    assertThat(r.builderId()).isEqualTo("nodejs");
    // one Resolving and one Resolved per target (the session reported them a second time once)
    assertThat(events)
        .filteredOn(e -> e instanceof dev.accretion.pipeline.spi.BuildEvent.Resolved)
        .hasSize(1);
    assertThat(events)
        .filteredOn(e -> e instanceof dev.accretion.pipeline.spi.BuildEvent.Resolving)
        .hasSize(1);
    BuiltArtifact a = r.artifacts().get(0);
    Map<String, String> zip = new TreeMap<>();
    try (ZipFile z = new ZipFile(a.zip().toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        if (e.isDirectory()
            || !e.getName().startsWith("nodejs/node_modules/")
            || e.getName().endsWith("/.package-lock.json")) {
          continue;
        }
        try (InputStream in = z.getInputStream(e)) {
          zip.put(
              e.getName().substring("nodejs/node_modules/".length()),
              SessionBuild.sha256Hex(in.readAllBytes()));
        }
      }
    }
    Map<String, String> npmNoExec = new TreeMap<>();
    npm.forEach((k, v) -> npmNoExec.put(k, v.replace(" x", "")));
    assertThat(zip).isEqualTo(npmNoExec);
    String manifest = Files.readString(a.manifest());
    assertThat(manifest).contains("pkg:npm/express@").contains("\"integrity\"");
    assertThat(Files.readString(a.sbom())).contains("pkg:npm/express@");
    assertThat(a.locks()).isNotEmpty();
  }

  @Test
  void sameBytes_whateverTheTimeZoneCacheAndOrder_andAPinnedDigest() throws Exception {
    Target t = SessionBuild.target("nodejs22.x", Architecture.ARM64);
    Path a = copySet("golden");
    TimeZone tz = TimeZone.getDefault();
    String first;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      BuildResult fr =
          build(
              a.resolve("package.json"), List.of(t), tmp.resolve("cache-a"), tmp.resolve("dist-a"));
      first = fr.artifacts().get(0).sha256Hex();
      // unchanged: the selector cache answers
      BuildResult again =
          build(
              a.resolve("package.json"),
              List.of(t),
              tmp.resolve("cache-a"),
              tmp.resolve("dist-a2"));
      assertThat(again.fromCache()).isTrue();
      assertThat(again.artifacts().get(0).sha256Hex()).isEqualTo(first);
      TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
      Path b = copySet("golden");
      var lock =
          dev.accretion.node.json.JsonText.parseObject(
              Files.readString(b.resolve("package-lock.json")));
      var packages = dev.accretion.node.json.JsonValues.map(lock, "packages");
      List<Map.Entry<String, Object>> entries = new ArrayList<>(packages.entrySet());
      Collections.shuffle(entries, new Random(11));
      var shuffled = new java.util.LinkedHashMap<String, Object>();
      entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
      lock.put("packages", shuffled);
      Files.writeString(
          b.resolve("package-lock.json"), dev.accretion.node.json.JsonText.write(lock));
      String second =
          build(
                  b.resolve("package.json"),
                  List.of(t),
                  tmp.resolve("cache-b"),
                  tmp.resolve("dist-b"))
              .artifacts()
              .get(0)
              .sha256Hex();
      assertThat(second).isEqualTo(first);
    } finally {
      TimeZone.setDefault(tz);
    }
    assertThat(first).as("the golden set's zip digest").isEqualTo(GOLDEN);
  }

  /** The golden set (ms, is-number, left-pad from the npm registry) for nodejs22.x on arm64. */
  static final String GOLDEN = "0cc871b15171660ff1e0623281943b594526af912da5c1b8da1078c607a3ef94";
}
