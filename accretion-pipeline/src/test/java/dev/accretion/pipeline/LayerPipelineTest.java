package dev.accretion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private FakeBuilder builder;
  private LayerPipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    builder = new FakeBuilder();
    pipeline = new LayerPipeline(BuilderRegistry.of(List.of(builder)));
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

  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private FakeProject twoPackages(Path root) throws Exception {
    return new FakeProject(root)
        .listing("alpha 1.0\nbeta 2.0\n")
        .pkg("alpha", "1.0", "alpha/__init__.py\tA = 1", "*alpha/big.txt\t" + "text ".repeat(400))
        .pkg("beta", "2.0", "beta/__init__.py\tB = 2");
  }

  @Test
  void build_writesTheZipWithItsManifestBesideItTheSbomAndALockPerTarget() throws Exception {
    FakeProject p = twoPackages(temp);
    BuildResult result = pipeline.build(p.request("python3.12/x86_64"));

    assertThat(result.fromCache()).isFalse();
    assertThat(result.builderId()).isEqualTo("fake");
    assertThat(result.layerName()).isEqualTo("fakelayer");
    BuiltArtifact a = result.artifacts().get(0);
    assertThat(a.zip()).isEqualTo(p.out.resolve("fakelayer-python3.12-x86_64.zip"));
    assertThat(files(p.out))
        .containsExactly(
            "fake.fakelayer-python312-x86_64.lock",
            "fakelayer-python3.12-x86_64.cdx.json",
            "fakelayer-python3.12-x86_64.json",
            "fakelayer-python3.12-x86_64.zip");
    assertThat(a.packages())
        .extracting(BuiltArtifact.PackageSize::name)
        .containsExactly("alpha", "beta");
    Map<String, byte[]> zip = entries(a.zip());
    assertThat(zip.keySet())
        .containsExactly(
            "accretion/",
            "accretion/fakelayer/",
            "accretion/fakelayer/manifest.json",
            "fake/",
            "fake/alpha/",
            "fake/alpha/__init__.py",
            "fake/alpha/big.txt",
            "fake/beta/",
            "fake/beta/__init__.py");
    assertThat(new String(zip.get("fake/alpha/big.txt"), StandardCharsets.UTF_8))
        .isEqualTo("text ".repeat(400));
    try (ZipArchive archive = ZipArchive.open(a.zip(), ZipLimits.unlimited())) {
      assertThat(archive.entry("fake/alpha/big.txt").orElseThrow().method())
          .as("compressed by the pipeline's own encoder")
          .isEqualTo(ZipEntryInfo.DEFLATED);
    }
    JsonNode inside = JSON.readTree(zip.get("accretion/fakelayer/manifest.json"));
    assertThat(inside.path("schema").asText()).isEqualTo("accretion/layer-manifest/v2");
    assertThat(inside.path("builder").path("id").asText()).isEqualTo("fake");
    assertThat(inside.path("language").asText()).isEqualTo("python");
    JsonNode alpha = inside.path("packages").get(0);
    assertThat(alpha.path("ecosystem").asText()).isEqualTo("generic");
    assertThat(alpha.path("purl").asText()).isEqualTo("pkg:generic/alpha@1.0");
    assertThat(alpha.path("flavour").asText()).as("the builder's facts").isEqualTo("plain");
    assertThat(alpha.path("lines").asInt()).isEqualTo(2);
    assertThat(alpha.path("license").asText()).isEqualTo("MIT");
    assertThat(alpha.path("files").asInt()).isEqualTo(2);
    assertThat(alpha.has("url")).isFalse();
    JsonNode beside = JSON.readTree(a.manifest().toFile());
    assertThat(beside.path("packages").get(0).path("url").asText()).startsWith("file:");
    assertThat(beside.path("files").path("locks").get(0).asText())
        .isEqualTo("fake.fakelayer-python312-x86_64.lock");
    assertThat(beside.path("listing").path("format").asText()).isEqualTo("fake");
    JsonNode sbom = JSON.readTree(a.sbom().toFile());
    assertThat(sbom.path("components").get(0).path("purl").asText())
        .isEqualTo("pkg:generic/alpha@1.0");
    assertThat(Files.readString(a.locks().get(0))).contains("alpha 1.0 ");

    // the same inputs in another place give the same zip
    FakeProject q = twoPackages(temp.resolve("again"));
    BuiltArtifact b = pipeline.build(q.request("python3.12/x86_64")).artifacts().get(0);
    assertThat(b.sha256Hex()).isEqualTo(a.sha256Hex());
  }

  @Test
  void build_targetsWithIdenticalFilesShareOneZipAndSplitsAreExplained() throws Exception {
    FakeProject p = twoPackages(temp);
    BuildResult shared =
        pipeline.build(p.request("python3.13/x86_64", "python3.12/x86_64", "python3.12/arm64"));
    assertThat(shared.artifacts()).hasSize(1);
    assertThat(shared.artifacts().get(0).zip())
        .hasFileName("fakelayer-python3.12-x86_64+python3.12-arm64+python3.13-x86_64.zip");
    assertThat(shared.artifacts().get(0).locks()).hasSize(3);
    assertThat(p.events(PipelineEvent.Split.class)).isEmpty();

    FakeProject q =
        new FakeProject(temp.resolve("q"))
            .listing("tool 1.0\n")
            .pkg("tool", "1.0", "bin/tool\t#!/var/lang/bin/{runtime}", "tool/x.py\tX = 1");
    BuildResult split = pipeline.build(q.request("python3.12/x86_64", "python3.13/x86_64"));
    assertThat(split.artifacts()).hasSize(2);
    List<PipelineEvent.Split> events = q.events(PipelineEvent.Split.class);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).differences().get(0))
        .contains("python3.12/x86_64 and python3.13/x86_64 need separate zips")
        .contains("files differ (1): fake/bin/tool (other content)");
    assertThat(split.warnings()).anySatisfy(w -> assertThat(w).contains("need separate zips"));
    JsonNode beside = JSON.readTree(split.artifacts().get(0).manifest().toFile());
    assertThat(beside.path("split").get(0).asText()).contains("fake/bin/tool");
  }

  @Test
  void build_downloadsEightAtOnce_orAsManyAsTheSessionAsks() throws Exception {
    StringBuilder listing = new StringBuilder();
    FakeProject p = new FakeProject(temp.resolve("p"));
    for (int i = 0; i < 40; i++) {
      listing.append("pkg").append(i).append(" 1.0\n");
      p.pkg("pkg" + i, "1.0", "fake/pkg" + i + "\t" + i);
    }
    p.listing(listing.toString());
    // downloads wait until 8 are in progress (each at most 3 s): a slow start cannot count fewer
    builder.holdDownloadsUntil(BuildSession.DEFAULT_FETCH_CONCURRENCY, 3000);
    pipeline.build(p.request("python3.12/x86_64"));
    assertThat(builder.downloads.get()).isEqualTo(40);
    assertThat(builder.inFlight.most()).isEqualTo(BuildSession.DEFAULT_FETCH_CONCURRENCY);

    FakeProject q = new FakeProject(temp.resolve("q"));
    StringBuilder more = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      more.append("other").append(i).append(" 1.0\n");
      q.pkg("other" + i, "1.0", "fake/other" + i + "\t" + i);
    }
    q.listing(more.toString());
    builder.fetchConcurrency = 20;
    builder.holdDownloadsUntil(20, 3000);
    pipeline.build(q.request("python3.12/x86_64"));
    assertThat(builder.inFlight.most()).isEqualTo(20);
  }

  @Test
  void build_unchangedRebuildIsCopiedFromTheCache() throws Exception {
    FakeProject p = twoPackages(temp);
    BuildResult first = pipeline.build(p.request("python3.12/x86_64"));
    int downloads = builder.downloads.get();
    Files.delete(first.artifacts().get(0).zip());
    p.events.clear();
    BuildResult second = pipeline.build(p.request("python3.12/x86_64"));
    assertThat(second.fromCache()).isTrue();
    assertThat(second.artifacts()).isEqualTo(first.artifacts());
    assertThat(builder.downloads.get()).isEqualTo(downloads);
    assertThat(p.events).hasAtLeastOneElementOfType(PipelineEvent.CacheHit.class);
    assertThat(p.events).noneMatch(e -> e instanceof BuildEvent.Resolving);
    assertThat(Files.isWritable(first.artifacts().get(0).zip())).isTrue();
    // --refresh builds again, from cached files (no download)
    BuildResult third = pipeline.build(p.request("python3.12/x86_64").withRefresh(true));
    assertThat(third.fromCache()).isFalse();
    assertThat(builder.downloads.get()).isEqualTo(downloads);
    assertThat(third.artifacts().get(0).sha256Hex())
        .isEqualTo(first.artifacts().get(0).sha256Hex());
  }

  @Test
  void build_unchangedRebuildRewritesNoOutputThatAlreadyHoldsItsBytes() throws Exception {
    FakeProject p = twoPackages(temp);
    pipeline.build(p.request("python3.12/x86_64"));
    List<String> names = files(p.out);
    assertThat(names).hasSize(4);
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Map<String, Object> inodes = new LinkedHashMap<>();
    for (String name : names) {
      Files.setLastModifiedTime(p.out.resolve(name), old);
      inodes.put(
          name, Files.readAttributes(p.out.resolve(name), BasicFileAttributes.class).fileKey());
    }
    Map<String, byte[]> built = contents(p.out);
    // one output changed by hand, its size kept: that one is written again
    String zip = names.stream().filter(n -> n.endsWith(".zip")).findFirst().orElseThrow();
    byte[] damaged = built.get(zip).clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(p.out.resolve(zip), damaged);
    Files.setLastModifiedTime(p.out.resolve(zip), old);

    p.events.clear();
    BuildResult again = pipeline.build(p.request("python3.12/x86_64"));
    assertThat(again.fromCache()).isTrue();
    assertThat(contents(p.out)).isEqualTo(built);
    assertThat(p.events)
        .filteredOn(e -> e instanceof PipelineEvent.CacheHit)
        .singleElement()
        .extracting(e -> ((PipelineEvent.CacheHit) e).alreadyInPlace())
        .isEqualTo(3);
    for (String name : names) {
      Path f = p.out.resolve(name);
      if (name.equals(zip)) {
        assertThat(Files.getLastModifiedTime(f)).as(name + " written again").isNotEqualTo(old);
      } else {
        assertThat(Files.getLastModifiedTime(f)).as(name + " left alone").isEqualTo(old);
        assertThat(Files.readAttributes(f, BasicFileAttributes.class).fileKey())
            .as(name + " is the same file")
            .isEqualTo(inodes.get(name));
      }
    }
    assertThat(files(p.out)).as("no temporary files").hasSize(4);
  }

  @Test
  void build_aSourceKnownOnlyBySha512IsVerifiedAndFoundAgainWithoutADownload() throws Exception {
    FakeProject p =
        new FakeProject(temp).listing("npmish 3.0 digest=sha512\n").pkg("npmish", "3.0", "n\tN");
    pipeline.build(p.request("python3.12/x86_64"));
    assertThat(builder.downloads.get()).isEqualTo(1);
    assertThat(Files.list(p.cache.resolve("aliases/sha512")).count()).isEqualTo(1);
    pipeline.build(p.request("python3.12/x86_64").withRefresh(true));
    assertThat(builder.downloads.get()).as("found by its sha512 alias").isEqualTo(1);

    FakeProject changed =
        new FakeProject(temp.resolve("c"))
            .listing("npmish 3.0 digest=wrong\n")
            .pkg("npmish", "3.0", "n\tN");
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class, () -> pipeline.build(changed.request("python3.12/x86_64")));
    assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(e)
        .hasMessageContaining("fake package npmish-3.0.pkg from file:")
        .hasMessageContaining("but the fake index says 0000");
    assertThat(changed.out).doesNotExist();
  }

  @Test
  void build_samePathFromTwoPackagesFailsUnlessIdenticalThenItIsMerged() throws Exception {
    FakeProject clash =
        new FakeProject(temp)
            .listing("one 1\ntwo 1\n")
            .pkg("one", "1", "shared/x\tone")
            .pkg("two", "1", "shared/x\ttwo");
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class, () -> pipeline.build(clash.request("python3.12/x86_64")));
    assertThat(e.kind()).isEqualTo(FailureKind.CONFLICT);
    assertThat(e)
        .hasMessageContaining("'fake/shared/x' comes from both one")
        .hasMessageContaining("--exclude");

    FakeProject same =
        new FakeProject(temp.resolve("same"))
            .listing("one 1\nthree 1\n")
            .pkg("one", "1", "shared/x\tsame")
            .pkg("three", "1", "shared/x\tsame");
    BuiltArtifact a = pipeline.build(same.request("python3.12/x86_64")).artifacts().get(0);
    assertThat(a.notes())
        .contains(
            "merged duplicate: fake/shared/x is installed by one and three with identical"
                + " content; written once");
  }

  @Test
  void build_nativeFilesMustFitTheTargetsMachineAndGlibc() throws Exception {
    FakeProject arm =
        new FakeProject(temp)
            .listing("nat 1\n")
            .pkg("nat", "1", "nat/_x.so@x86_64@GLIBC_2.17\tELF");
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class, () -> pipeline.build(arm.request("python3.11/arm64")));
    assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(e)
        .hasMessageContaining(
            "fake package nat-1.pkg: file 'fake/nat/_x.so' is native code for x86-64")
        .hasMessageContaining("(package nat 1)")
        .hasMessageContaining("python3.11/arm64 runs AArch64")
        .hasMessageContaining("the fake platform claim are wrong");

    FakeProject glibc =
        new FakeProject(temp.resolve("g"))
            .listing("nat 1\n")
            .pkg("nat", "1", "nat/_x.so@x86_64@GLIBC_2.34\tELF");
    assertThatThrownBy(() -> pipeline.build(glibc.request("python3.11/x86_64")))
        .hasMessageContaining("needs GLIBC_2.34 (package nat 1)")
        .hasMessageContaining("has glibc 2.26");
    assertThat(pipeline.build(glibc.request("python3.12/x86_64")).artifacts()).hasSize(1);
  }

  @Test
  void build_overTheDeclaredBudgetFailsBeforeOpeningListingTheLargest() throws Exception {
    FakeProject p =
        new FakeProject(temp)
            .listing("big 1\nsmall 1\n")
            .pkg("big", "1", "big\t" + "x".repeat(3000))
            .pkg("small", "1", "small\ty");
    BuildRequest r =
        p.request("python3.12/x86_64").withReserveBytes(ZipLimits.LAMBDA_UNZIPPED_BYTES - 1000);
    LayerTooLargeException e =
        catchThrowableOfType(LayerTooLargeException.class, () -> pipeline.build(r));
    assertThat(e.kind()).isEqualTo(FailureKind.TOO_LARGE);
    assertThat(e)
        .hasMessageContaining("declares")
        .hasMessageContaining("Largest packages: big 1")
        .hasMessageContaining("--exclude NAME")
        .hasMessageContaining("EFS");
    assertThat(e.largest()).startsWith("big");
  }

  @Test
  void build_emptyListingIsAnErrorUnlessAllowed() throws Exception {
    FakeProject p = new FakeProject(temp).listing("# nothing here\n");
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class, () -> pipeline.build(p.request("python3.12/x86_64")));
    assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(e)
        .hasMessageContaining(p.listing.toString())
        .hasMessageContaining("it lists no packages")
        .hasMessageContaining("--allow-empty");
    BuildResult empty = pipeline.build(p.request("python3.12/x86_64").withAllowEmpty(true));
    assertThat(empty.artifacts().get(0).packages()).isEmpty();
  }

  @Test
  void build_targetsOfAnotherLanguageAreAUsageErrorNamingBoth() throws Exception {
    FakeProject p = twoPackages(temp);
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class,
            () -> pipeline.build(p.request("python3.12/x86_64", "java21/x86_64")));
    assertThat(e.kind()).isEqualTo(FailureKind.USAGE);
    assertThat(e)
        .hasMessageContaining("'deps.fake' is a fake listing, built for python runtimes")
        .hasMessageContaining("java21 (a java runtime)");
  }

  @Test
  void build_aFailureWhileWritingLeavesNothingOfTheBuildAndKeepsWhatWasThere() throws Exception {
    FakeProject p = twoPackages(temp);
    pipeline.build(p.request("python3.12/x86_64"));
    Map<String, byte[]> before = contents(p.out);
    p.pkg("beta", "2.0", "beta/__init__.py\tB = 3");
    // the disk fills when the manifest beside the zip is written
    LayerPipeline full =
        new LayerPipeline(
            BuilderRegistry.of(List.of(builder)),
            2,
            (step, target) -> {
              if (step.equals("write") && target.getFileName().toString().endsWith("64.json")) {
                throw new IOException("No space left on device");
              }
            });
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class,
            () -> full.build(p.request("python3.12/x86_64").withRefresh(true)));
    assertThat(e.kind()).isEqualTo(FailureKind.FAILED);
    assertThat(e).hasMessageContaining("No space left on device");
    assertThat(contents(p.out))
        .as("the old build, untouched, no temporary files")
        .isEqualTo(before);

    // a rename fails half way: the renamed files are taken back, the old ones restored
    AtomicInteger renames = new AtomicInteger();
    LayerPipeline flaky =
        new LayerPipeline(
            BuilderRegistry.of(List.of(builder)),
            2,
            (step, target) -> {
              if (step.equals("rename") && renames.incrementAndGet() == 3) {
                throw new IOException("I/O error");
              }
            });
    assertThatThrownBy(() -> flaky.build(p.request("python3.12/x86_64").withRefresh(true)))
        .hasMessageContaining("I/O error");
    assertThat(contents(p.out)).isEqualTo(before);

    // and without faults the new build replaces it
    pipeline.build(p.request("python3.12/x86_64").withRefresh(true));
    assertThat(contents(p.out)).isNotEqualTo(before);
    assertThat(files(p.out)).hasSize(4);
  }

  private static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (String name : files(dir)) {
      m.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return new java.util.TreeMap<>(m) {
      @Override
      public boolean equals(Object o) {
        if (!(o instanceof Map<?, ?> other) || !keySet().equals(other.keySet())) {
          return false;
        }
        for (String k : keySet()) {
          if (!java.util.Arrays.equals(get(k), (byte[]) other.get(k))) {
            return false;
          }
        }
        return true;
      }

      @Override
      public int hashCode() {
        return keySet().hashCode();
      }
    };
  }

  @Test
  void build_removesPartialFilesOfKilledBuildsButNotOfRunningOnes() throws Exception {
    FakeProject p = twoPackages(temp);
    Files.createDirectories(p.out);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale =
        Files.writeString(
            p.out.resolve(".fakelayer-python3.12-x86_64.zip." + gone.pid() + "-k1ll3d.tmp"),
            "half a zip");
    Path running =
        Files.writeString(AtomicFiles.tempBeside(p.out.resolve("other.zip")), "being written");
    pipeline.build(p.request("python3.12/x86_64"));
    assertThat(stale).doesNotExist();
    assertThat(running).exists();
    assertThat(p.events(PipelineEvent.LeftoversRemoved.class).get(0).files())
        .containsExactly(stale);
  }

  @Test
  void lock_writesOneLockPerTargetAndKeepsGoingPastAFailedTarget() throws Exception {
    FakeProject p = twoPackages(temp);
    LockResult one =
        pipeline.lock(
            new LockRequest(
                p.listing,
                null,
                null,
                BuilderOptions.none(),
                FakeProject.targets("python3.12/arm64"),
                null,
                false,
                p.context()));
    assertThat(one.locks().get(0).file())
        .isEqualTo(p.listing.resolveSibling("fake.python312-arm64.lock"));
    assertThat(one.locks().get(0).resolution().facts()).containsEntry("rounds", 1);

    Path dir = temp.resolve("locks");
    Files.createDirectories(dir);
    LockResult two =
        pipeline.lock(
            new LockRequest(
                p.listing,
                null,
                null,
                BuilderOptions.none(),
                FakeProject.targets("python3.12/x86_64", "python3.13/x86_64"),
                dir,
                false,
                p.context()));
    assertThat(two.locks())
        .extracting(l -> l.file().getFileName().toString())
        .containsExactly("fake.python312-x86_64.lock", "fake.python313-x86_64.lock");

    p.listing("alpha 1.0\nbroken 1 only=python3.13 conflict\n");
    LockResult partial =
        pipeline.lock(
            new LockRequest(
                p.listing,
                null,
                null,
                BuilderOptions.none(),
                FakeProject.targets("python3.12/x86_64", "python3.13/x86_64"),
                dir,
                false,
                p.context()));
    assertThat(partial.failures()).hasSize(1);
    assertThat(partial.failures().get(0).failure()).hasMessageContaining("broken has no solution");
    assertThat(partial.locks().get(0).failed()).isFalse();
  }

  @Test
  void manifestBeside_neverHoldsCredentialsOfOptionUrls() throws Exception {
    assertThat(ArtifactWriter.redact("https://alice:s3cret@pypi.example/simple"))
        .isEqualTo("https://***@pypi.example/simple");
    assertThat(ArtifactWriter.redact("https://pypi.example/simple"))
        .isEqualTo("https://pypi.example/simple");
    FakeProject p = twoPackages(temp);
    BuildResult r =
        pipeline.build(
            p.request("python3.12/x86_64")
                .withOptions(
                    BuilderOptions.none().with("index-url", "https://alice:s3cret@host/x")));
    assertThat(Files.readString(r.artifacts().get(0).manifest()))
        .doesNotContain("s3cret")
        .contains("https://***@host/x");
  }
}
