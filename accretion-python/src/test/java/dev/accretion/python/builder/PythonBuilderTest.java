package dev.accretion.python.builder;

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
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.LayerTooLargeException;
import dev.accretion.pipeline.PipelineEvent;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonBuilderTest {
  @TempDir Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every entry of a zip: path to content (directories map to null). */
  static Map<String, byte[]> entries(Path zip) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        out.put(e.name(), e.isDirectory() ? null : archive.readAllBytes(e, 64 << 20));
      }
    }
    return out;
  }

  static Map<String, Integer> modes(Path zip) throws Exception {
    Map<String, Integer> out = new LinkedHashMap<>();
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        out.put(e.name(), e.unixMode());
      }
    }
    return out;
  }

  private FixtureIndex simpleIndex() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(
        TestWheel.of("alpha", "1.0")
            .file("alpha/__init__.py", "from beta import B\nA = 1\n")
            .metadata("License-Expression: MIT")
            .requires("beta>=2"));
    fx.add(
        TestWheel.of("beta", "2.1")
            .file("beta/__init__.py", "B = 2\n")
            .metadata("License: BSD-3-Clause")
            .metadata("Requires-Python: >=3.9"));
    return fx;
  }

  @Test
  void build_installsPackagesUnderPythonWithTrueRecordInstallerAndManifest() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path listing = fx.listing("alpha\n");
    BuildResult result = fx.build(fx.request(listing, "python3.12/x86_64"));

    assertThat(result.fromCache()).isFalse();
    assertThat(result.layerName()).isEqualTo("proj");
    assertThat(result.artifacts()).hasSize(1);
    BuiltArtifact a = result.artifacts().get(0);
    assertThat(a.zip()).isEqualTo(fx.out.resolve("proj-python3.12-x86_64.zip"));
    assertThat(a.manifest()).hasFileName("proj-python3.12-x86_64.json").exists();
    assertThat(a.sbom()).hasFileName("proj-python3.12-x86_64.cdx.json").exists();
    assertThat(a.locks()).containsExactly(fx.out.resolve("pylock.proj-python312-x86_64.toml"));
    assertThat(a.locks().get(0)).exists();
    assertThat(a.runtimes()).containsExactly("python3.12");
    assertThat(a.architectures()).containsExactly("x86_64");
    assertThat(a.packages())
        .extracting(BuiltArtifact.PackageSize::name)
        .containsExactly("alpha", "beta");

    Map<String, byte[]> zip = entries(a.zip());
    assertThat(zip.keySet())
        .containsExactly(
            "accretion/",
            "accretion/proj/",
            "accretion/proj/manifest.json",
            "python/",
            "python/alpha-1.0.dist-info/",
            "python/alpha-1.0.dist-info/INSTALLER",
            "python/alpha-1.0.dist-info/METADATA",
            "python/alpha-1.0.dist-info/RECORD",
            "python/alpha-1.0.dist-info/WHEEL",
            "python/alpha/",
            "python/alpha/__init__.py",
            "python/beta-2.1.dist-info/",
            "python/beta-2.1.dist-info/INSTALLER",
            "python/beta-2.1.dist-info/METADATA",
            "python/beta-2.1.dist-info/RECORD",
            "python/beta-2.1.dist-info/WHEEL",
            "python/beta/",
            "python/beta/__init__.py");
    assertThat(new String(zip.get("python/alpha-1.0.dist-info/INSTALLER"), StandardCharsets.UTF_8))
        .isEqualTo("accretion\n");
    String record =
        new String(zip.get("python/alpha-1.0.dist-info/RECORD"), StandardCharsets.UTF_8);
    assertThat(record.split("\n"))
        .containsExactly(
            "alpha-1.0.dist-info/INSTALLER,sha256=Uj83IUSAbqdjKJXeC29FsFXzlhSwmkVsy6LRa_X__pI,10",
            "alpha-1.0.dist-info/METADATA,"
                + dev.accretion.testkit.WheelBuilder.urlsafeSha256(
                        zip.get("python/alpha-1.0.dist-info/METADATA"))
                    .transform(h -> "sha256=" + h)
                + ","
                + zip.get("python/alpha-1.0.dist-info/METADATA").length,
            "alpha-1.0.dist-info/RECORD,,",
            "alpha-1.0.dist-info/WHEEL,"
                + "sha256="
                + dev.accretion.testkit.WheelBuilder.urlsafeSha256(
                    zip.get("python/alpha-1.0.dist-info/WHEEL"))
                + ","
                + zip.get("python/alpha-1.0.dist-info/WHEEL").length,
            "alpha/__init__.py,sha256="
                + dev.accretion.testkit.WheelBuilder.urlsafeSha256(
                    zip.get("python/alpha/__init__.py"))
                + ","
                + zip.get("python/alpha/__init__.py").length);

    JsonNode inside = JSON.readTree(zip.get("accretion/proj/manifest.json"));
    assertThat(inside.path("schema").asText()).isEqualTo("accretion/layer-manifest/v2");
    assertThat(inside.path("builder").path("id").asText()).isEqualTo("python");
    assertThat(inside.path("layer").asText()).isEqualTo("proj");
    assertThat(inside.path("language").asText()).isEqualTo("python");
    assertThat(inside.path("layout").asText()).isEqualTo("python");
    assertThat(inside.path("targets").path("runtimes").get(0).asText()).isEqualTo("python3.12");
    assertThat(inside.path("builder").path("name").asText()).isEqualTo("accretion");
    JsonNode alpha = inside.path("packages").get(0);
    assertThat(alpha.path("name").asText()).isEqualTo("alpha");
    assertThat(alpha.path("version").asText()).isEqualTo("1.0");
    assertThat(alpha.path("ecosystem").asText()).isEqualTo("pypi");
    assertThat(alpha.path("purl").asText()).isEqualTo("pkg:pypi/alpha@1.0");
    assertThat(alpha.path("file").asText()).isEqualTo("alpha-1.0-py3-none-any.whl");
    assertThat(alpha.path("license").asText()).isEqualTo("MIT");
    assertThat(alpha.path("licenseIsExpression").asBoolean()).isTrue();
    assertThat(alpha.path("tags").get(0).asText()).isEqualTo("py3-none-any");
    assertThat(alpha.path("sha256").asText())
        .isEqualTo(
            dev.accretion.testkit.WheelBuilder.sha256Hex(
                Files.readAllBytes(temp.resolve("index/files/alpha-1.0-py3-none-any.whl"))));
    assertThat(alpha.has("url")).as("the inside copy has no request details").isFalse();
    assertThat(inside.path("packages").get(1).path("requiresPython").asText()).isEqualTo(">=3.9");
    assertThat(inside.path("packages").get(1).path("license").asText()).isEqualTo("BSD-3-Clause");
    assertThat(inside.has("listing")).isFalse();

    JsonNode beside = JSON.readTree(a.manifest().toFile());
    assertThat(beside.path("listing").path("content").asText()).isEqualTo("alpha\n");
    assertThat(beside.path("listing").path("path").asText()).isEqualTo(listing.toString());
    assertThat(beside.path("artifact").path("sha256").asText()).isEqualTo(a.sha256Hex());
    assertThat(beside.path("artifact").path("codeSha256").asText()).isEqualTo(a.codeSha256());
    assertThat(beside.path("artifact").path("manifestPath").asText())
        .isEqualTo("accretion/proj/manifest.json");
    assertThat(beside.path("packages").get(0).path("url").asText()).startsWith("file:");
    for (String key : List.of("packages", "targets", "sizes", "notes", "warnings", "layer")) {
      if (!key.equals("packages")) {
        assertThat(beside.get(key)).as(key).isEqualTo(inside.get(key));
      }
    }

    JsonNode sbom = JSON.readTree(a.sbom().toFile());
    assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(sbom.path("specVersion").asText()).isEqualTo("1.5");
    assertThat(sbom.path("serialNumber").asText()).startsWith("urn:uuid:");
    JsonNode c0 = sbom.path("components").get(0);
    assertThat(c0.path("purl").asText()).isEqualTo("pkg:pypi/alpha@1.0");
    assertThat(c0.path("hashes").get(0).path("alg").asText()).isEqualTo("SHA-256");
    assertThat(c0.path("licenses").get(0).path("expression").asText()).isEqualTo("MIT");
    assertThat(
            sbom.path("components")
                .get(1)
                .path("licenses")
                .get(0)
                .path("license")
                .path("name")
                .asText())
        .isEqualTo("BSD-3-Clause");
    assertThat(sbom.toString()).contains("\"dependsOn\":[\"pkg:pypi/beta@2.1\"]");
    // the SBOM is valid against the CycloneDX 1.5 JSON schema (the reference validator)
    assertThat(
            new org.cyclonedx.parsers.JsonParser()
                .validate(a.sbom().toFile(), org.cyclonedx.Version.VERSION_15))
        .isEmpty();

    String lock = Files.readString(a.locks().get(0));
    assertThat(lock).contains("name = \"alpha\"").contains("name = \"beta\"").contains("sha256 = ");
  }

  @Test
  void build_installsScriptsWithRuntimeShebangAndLeavesHeadersAndDataOut() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(
        TestWheel.of("tool", "1.0")
            .file("tool/__init__.py", "")
            .executable("tool/run.sh", "#!/bin/sh\n")
            .file("tool-1.0.data/scripts/tool-cli", "#!python\nimport tool\n")
            .file("tool-1.0.data/scripts/plain.sh", "#!/bin/sh\necho hi\n")
            .file("tool-1.0.data/purelib/tool_extra.py", "X = 1\n")
            .file("tool-1.0.data/headers/tool.h", "int x;\n")
            .file("tool-1.0.data/data/share/tool/doc.txt", "doc\n"));
    Path listing = fx.listing("tool\n");
    BuiltArtifact a = fx.build(fx.request(listing, "python3.13/arm64")).artifacts().get(0);
    Map<String, byte[]> zip = entries(a.zip());
    Map<String, Integer> modes = modes(a.zip());
    assertThat(new String(zip.get("bin/tool-cli"), StandardCharsets.UTF_8))
        .isEqualTo("#!/var/lang/bin/python3.13\nimport tool\n");
    assertThat(modes.get("bin/tool-cli")).isEqualTo(0100755);
    assertThat(new String(zip.get("bin/plain.sh"), StandardCharsets.UTF_8))
        .isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(modes.get("bin/plain.sh")).isEqualTo(0100755);
    assertThat(modes.get("python/tool/run.sh")).isEqualTo(0100755);
    assertThat(modes.get("python/tool/__init__.py")).isEqualTo(0100644);
    assertThat(zip).containsKey("python/tool_extra.py");
    assertThat(zip.keySet()).noneMatch(k -> k.contains("tool.h") || k.contains("doc.txt"));
    String record = new String(zip.get("python/tool-1.0.dist-info/RECORD"), StandardCharsets.UTF_8);
    assertThat(record)
        .contains("../bin/tool-cli,sha256=")
        .contains("tool_extra.py,sha256=")
        .doesNotContain("tool.h");
    assertThat(a.notes())
        .anySatisfy(n -> assertThat(n).contains(".data/headers"))
        .anySatisfy(n -> assertThat(n).contains(".data/data"));

    // --no-scripts and the site-packages layout
    TestRequest other =
        FixtureIndex.with(
            fx.request(listing, "python3.13/arm64"),
            Layout.SITE_PACKAGES,
            false,
            List.of(),
            Slimming.none(),
            0,
            false,
            false);
    BuiltArtifact b = fx.build(other).artifacts().get(0);
    Map<String, byte[]> zip2 = entries(b.zip());
    assertThat(zip2).containsKey("python/lib/python3.13/site-packages/tool/__init__.py");
    assertThat(zip2.keySet()).noneMatch(k -> k.startsWith("bin/"));
    assertThat(b.notes()).anySatisfy(n -> assertThat(n).contains("--no-scripts"));
  }

  @Test
  void build_targetsWithIdenticalContentShareOneArtifactNamedAfterAll() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path listing = fx.listing("alpha\n");
    BuildResult result =
        fx.build(
            fx.request(
                listing,
                "python3.13/x86_64",
                "python3.12/x86_64",
                "python3.12/arm64",
                "python3.13/arm64"));
    assertThat(result.artifacts()).hasSize(1);
    BuiltArtifact a = result.artifacts().get(0);
    assertThat(a.zip()).hasFileName("proj-python3.12+python3.13-x86_64+arm64.zip");
    assertThat(a.runtimes()).containsExactly("python3.12", "python3.13");
    assertThat(a.architectures()).containsExactly("x86_64", "arm64");
    assertThat(a.locks())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "pylock.proj-python312-x86_64.toml",
            "pylock.proj-python312-arm64.toml",
            "pylock.proj-python313-x86_64.toml",
            "pylock.proj-python313-arm64.toml");

    // Scripts alone never split a layer: for several Python versions they start with
    // "#!/usr/bin/env python3", which finds each runtime's own interpreter on Lambda's PATH.
    FixtureIndex fx2 = new FixtureIndex(temp.resolve("two"));
    fx2.add(TestWheel.of("cli", "1.0").file("cli-1.0.data/scripts/cli", "#!python\nimport sys\n"));
    Path listing2 = fx2.listing("cli\n");
    BuildResult shared = fx2.build(fx2.request(listing2, "python3.12/x86_64", "python3.13/x86_64"));
    assertThat(shared.artifacts())
        .extracting(x -> x.zip().getFileName().toString())
        .containsExactly("proj-python3.12+python3.13-x86_64.zip");
    assertThat(
            new String(
                entries(shared.artifacts().get(0).zip()).get("bin/cli"), StandardCharsets.UTF_8))
        .isEqualTo("#!/usr/bin/env python3\nimport sys\n");
    // one Python version: the runtime's own interpreter, as before
    BuildResult one = fx2.build(fx2.request(listing2, "python3.12/x86_64", "python3.12/arm64"));
    assertThat(
            new String(
                entries(one.artifacts().get(0).zip()).get("bin/cli"), StandardCharsets.UTF_8))
        .isEqualTo("#!/var/lang/bin/python3.12\nimport sys\n");
  }

  @Test
  void build_targetsThatCannotShareAZipAreExplained() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(
        TestWheel.of("nat", "1.0")
            .tag("cp312-cp312-manylinux_2_17_x86_64")
            .file("nat/__init__.py", "")
            .file("nat/_speed.cpython-312-x86_64-linux-gnu.so", "not really ELF 312"));
    fx.add(
        TestWheel.of("nat", "1.0")
            .tag("cp313-cp313-manylinux_2_17_x86_64")
            .file("nat/__init__.py", "")
            .file("nat/_speed.cpython-313-x86_64-linux-gnu.so", "not really ELF 313"));
    BuildResult split =
        fx.build(fx.request(fx.listing("nat\n"), "python3.12/x86_64", "python3.13/x86_64"));
    assertThat(split.artifacts()).hasSize(2);
    assertThat(split.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("python3.12/x86_64 and python3.13/x86_64 need separate zips")
                    .contains("packages differ (1): nat 1.0 (nat-1.0-cp312-cp312")
                    .contains(
                        "files only for python3.12/x86_64 (1): python/nat/_speed.cpython-312"));
    assertThat(fx.events).hasAtLeastOneElementOfType(PipelineEvent.Split.class);
    JsonNode beside = JSON.readTree(split.artifacts().get(0).manifest().toFile());
    assertThat(beside.path("split").toString()).contains("need separate zips");
  }

  @Test
  void build_emptyListingsAreRefusedNamingTheFileUnlessAllowed() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path comments = fx.listing("# nothing yet\n\n--index-url https://example.invalid/simple\n");
    AccretionException empty =
        catchThrowableOfType(
            AccretionException.class, () -> fx.build(fx.request(comments, "python3.12/x86_64")));
    assertThat(empty.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(empty)
        .hasMessageContaining(comments.toString())
        .hasMessageContaining("names no requirement")
        .hasMessageContaining("--allow-empty");
    Path dynamic = Files.createDirectories(temp.resolve("dyn")).resolve("pyproject.toml");
    Files.writeString(
        dynamic, "[project]\nname = \"dyn\"\nversion = \"1\"\ndynamic = [\"dependencies\"]\n");
    assertThat(
            catchThrowableOfType(
                AccretionException.class, () -> fx.build(fx.request(dynamic, "python3.12/x86_64"))))
        .hasMessageContaining("pyproject.toml asks for nothing")
        .hasMessageContaining("dependencies are dynamic");
    // allowed on purpose: an empty layer with its manifest
    TestRequest allowed = fx.request(comments, "python3.12/x86_64").withAllowEmpty(true);
    BuiltArtifact a = fx.build(allowed).artifacts().get(0);
    assertThat(a.packages()).isEmpty();
  }

  @Test
  void build_rewordedListingThatResolvesTheSameGivesIdenticalZip() throws Exception {
    FixtureIndex fx = simpleIndex();
    BuiltArtifact first =
        fx.build(fx.request(fx.listing("alpha\n"), "python3.12/x86_64")).artifacts().get(0);
    byte[] bytes = Files.readAllBytes(first.zip());
    BuiltArtifact second =
        fx.build(
                fx.request(
                    fx.listing("# the same, said otherwise\nbeta >= 2.0\nALPHA==1.0\n"),
                    "python3.12/x86_64"))
            .artifacts()
            .get(0);
    assertThat(second.sha256Hex()).isEqualTo(first.sha256Hex());
    assertThat(Files.readAllBytes(second.zip())).isEqualTo(bytes);
    assertThat(JSON.readTree(second.manifest().toFile()).path("listing").path("content").asText())
        .contains("ALPHA==1.0");
  }

  @Test
  void build_unchangedRebuildIsCopiedFromTheCacheWithoutResolvingOrAssembling() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path listing = fx.listing("alpha\n");
    BuildResult first = fx.build(fx.request(listing, "python3.12/x86_64"));
    fx.events.clear();
    Files.delete(first.artifacts().get(0).zip());
    BuildResult second = fx.build(fx.request(listing, "python3.12/x86_64"));

    assertThat(second.fromCache()).isTrue();
    assertThat(second.artifacts()).hasSize(1);
    assertThat(second.artifacts().get(0)).isEqualTo(first.artifacts().get(0));
    assertThat(fx.events).hasAtLeastOneElementOfType(PipelineEvent.CacheHit.class);
    assertThat(fx.events)
        .noneMatch(
            e ->
                e instanceof BuildEvent.Resolving
                    || e instanceof PipelineEvent.FetchPlanned
                    || e instanceof PipelineEvent.Opened
                    || e instanceof PipelineEvent.Assembling);
    assertThat(first.artifacts().get(0).zip()).exists();
    assertThat(Files.isWritable(first.artifacts().get(0).zip())).isTrue();

    // --refresh builds again; a changed option is another build
    fx.events.clear();
    TestRequest refresh =
        FixtureIndex.with(
            fx.request(listing, "python3.12/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            Slimming.none(),
            0,
            false,
            true);
    assertThat(fx.build(refresh).fromCache()).isFalse();
    assertThat(fx.events).hasAtLeastOneElementOfType(BuildEvent.Resolving.class);
    TestRequest slim =
        FixtureIndex.with(
            fx.request(listing, "python3.12/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            new Slimming(true, List.of()),
            0,
            false,
            false);
    assertThat(fx.build(slim).fromCache()).isFalse();
  }

  @Test
  void build_corruptCachedArtifactIsSetAsideAndBuiltAgain() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path listing = fx.listing("alpha\n");
    BuiltArtifact first = fx.build(fx.request(listing, "python3.12/x86_64")).artifacts().get(0);
    Path blob = fx.cacheDir.resolve("blobs/sha256").resolve(first.sha256Hex());
    blob.toFile().setWritable(true);
    Files.write(blob, "not a zip".getBytes(StandardCharsets.UTF_8));
    fx.events.clear();
    BuildResult again = fx.build(fx.request(listing, "python3.12/x86_64"));
    assertThat(again.fromCache()).isFalse();
    assertThat(again.artifacts().get(0).sha256Hex()).isEqualTo(first.sha256Hex());
    assertThat(fx.events).hasAtLeastOneElementOfType(PipelineEvent.CacheMiss.class);
    try (Stream<Path> aside = Files.list(fx.cacheDir.resolve("quarantine"))) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("blob-" + first.sha256Hex()));
    }
    // and the next build is a hit again
    assertThat(fx.build(fx.request(listing, "python3.12/x86_64")).fromCache()).isTrue();
  }

  @Test
  void build_excludeLeavesPackageOutWithWarning() throws Exception {
    FixtureIndex fx = simpleIndex();
    fx.add(TestWheel.of("boto3", "1.0").file("boto3/__init__.py", ""));
    Path listing = fx.listing("alpha\nboto3\n");
    TestRequest r =
        FixtureIndex.with(
            fx.request(listing, "python3.12/x86_64"),
            Layout.PYTHON,
            true,
            List.of("Boto3", "beta", "nothere"),
            Slimming.none(),
            0,
            false,
            false);
    BuildResult result = fx.build(r);
    BuiltArtifact a = result.artifacts().get(0);
    assertThat(a.packages()).extracting(BuiltArtifact.PackageSize::name).containsExactly("alpha");
    assertThat(entries(a.zip()).keySet()).noneMatch(k -> k.contains("boto3") || k.contains("beta"));
    assertThat(a.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("excluded boto3 1.0").contains("runtime provides its own"))
        .anySatisfy(
            w -> assertThat(w).contains("excluded beta 2.1").contains("imports of it fail"));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("--exclude nothere"));
  }

  @Test
  void build_slimDropsBytecodeAndPatternsButNeverDistInfo() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(
        TestWheel.of("fat", "1.0")
            .file("fat/__init__.py", "")
            .file("fat/cached.pyc", "x")
            .file("fat/tests/test_fat.py", "def test(): pass\n")
            .file("fat/tests/data/blob.bin", "0123456789"));
    Path listing = fx.listing("fat\n");
    TestRequest r =
        FixtureIndex.with(
            fx.request(listing, "python3.12/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            new Slimming(true, List.of("*/tests", "*.dist-info")),
            0,
            false,
            false);
    BuiltArtifact a = fx.build(r).artifacts().get(0);
    Map<String, byte[]> zip = entries(a.zip());
    assertThat(zip).containsKey("python/fat/__init__.py");
    assertThat(zip).containsKey("python/fat-1.0.dist-info/METADATA");
    assertThat(zip.keySet()).noneMatch(k -> k.contains("tests") || k.endsWith(".pyc"));
    String record = new String(zip.get("python/fat-1.0.dist-info/RECORD"), StandardCharsets.UTF_8);
    assertThat(record).doesNotContain("tests").doesNotContain("cached.pyc");
    assertThat(a.notes()).anySatisfy(n -> assertThat(n).startsWith("slimmed: left out 3 file(s)"));
  }

  @Test
  void build_overBudgetFailsListingLargestPackagesAndWaysOut() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(TestWheel.of("big", "1.0").file("big/data.bin", new byte[3 << 20]));
    fx.add(TestWheel.of("boto3", "1.0").file("boto3/__init__.py", "x".repeat(1000)));
    fx.add(TestWheel.of("small", "1.0").file("small/__init__.py", ""));
    Path listing = fx.listing("big\nsmall\nboto3\n");
    TestRequest r =
        FixtureIndex.with(
            fx.request(listing, "python3.12/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            Slimming.none(),
            ZipLimits.LAMBDA_UNZIPPED_BYTES - (2 << 20),
            false,
            false);
    assertThatThrownBy(() -> fx.build(r))
        .isInstanceOf(LayerTooLargeException.class)
        .hasMessageContaining("over the budget of 2.0 MiB")
        .hasMessageContaining("Largest packages: big 1.0 3.0 MiB")
        .hasMessageContaining("--exclude boto3")
        .hasMessageContaining("--slim")
        .hasMessageContaining("EFS")
        .satisfies(
            e -> assertThat(((LayerTooLargeException) e).largest()).startsWith("big", "boto3"));
    try (Stream<Path> files = Files.list(fx.out)) {
      assertThat(files).as("nothing written").isEmpty();
    } catch (java.nio.file.NoSuchFileException e) {
      // not even created: fine
    }
  }

  @Test
  void build_samePathFromTwoPackagesFailsNamingBothUnlessIdentical() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(TestWheel.of("one", "1.0").file("shared/__init__.py", "# one\n").file("one.py", ""));
    fx.add(TestWheel.of("two", "1.0").file("shared/__init__.py", "# two\n").file("two.py", ""));
    fx.add(TestWheel.of("three", "1.0").file("shared/__init__.py", "# one\n").file("t.py", ""));
    Path clash = fx.listing("one\ntwo\n");
    assertThatThrownBy(() -> fx.build(fx.request(clash, "python3.12/x86_64")))
        .hasMessageContaining("'python/shared/__init__.py' comes from both one")
        .hasMessageContaining("and two")
        .hasMessageContaining("--exclude");

    Path same = fx.listing("one\nthree\n");
    BuiltArtifact a = fx.build(fx.request(same, "python3.12/x86_64")).artifacts().get(0);
    assertThat(a.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .isEqualTo(
                        "merged duplicate: python/shared/__init__.py is installed by one and three"
                            + " with identical content; written once"));
    JsonNode inside = JSON.readTree(entries(a.zip()).get("accretion/proj/manifest.json"));
    assertThat(inside.path("notes").toString()).contains("merged duplicate");
  }

  @Test
  void build_nameFromPyprojectOrOption() throws Exception {
    FixtureIndex fx = simpleIndex();
    Path dir = Files.createDirectories(temp.resolve("My Project!"));
    Path pyproject = dir.resolve("pyproject.toml");
    Files.writeString(
        pyproject, "[project]\nname = \"Cool_App\"\nversion = \"1\"\ndependencies = [\"alpha\"]\n");
    BuiltArtifact a = fx.build(fx.request(pyproject, "python3.12/x86_64")).artifacts().get(0);
    assertThat(a.zip()).hasFileName("cool-app-python3.12-x86_64.zip");
    assertThat(entries(a.zip())).containsKey("accretion/cool-app/manifest.json");

    Path req = dir.resolve("requirements.txt");
    Files.writeString(req, "alpha\n");
    assertThat(fx.build(fx.request(req, "python3.12/x86_64")).layerName()).isEqualTo("my-project");
  }

  static List<String> names(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(p -> out.add(dir.relativize(p).toString()));
    }
    return out;
  }
}
