package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.ElfBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accretion inspect} on Python layers made by other tools (pip install --target + zip) and
 * by Accretion itself, read from moto through the content locations Lambda returns.
 */
class InspectPythonIT {
  static InspectMoto moto;

  /** One pip install shared by the tests that zip it as it is or changed. */
  static Path pipTree;

  static Set<String> pipInstalled;

  @TempDir Path dir;

  @BeforeAll
  static void start(@TempDir Path shared) throws Exception {
    moto = new InspectMoto();
    // cbor2 6.1.4's extension module needs GLIBC_2.28 (manylinux_2_28); charset-normalizer
    // (through requests) has cpython-311 x86_64 extension modules; urllib3 is one the runtime
    // has too.
    pipTree = shared;
    pipInstalled = LayerTools.pip(shared, "python", "requests", "cbor2==6.1.4");
  }

  @AfterAll
  static void stop() {
    moto.close();
  }

  static Set<String> packages(JsonNode report, String ecosystem) {
    Set<String> out = new TreeSet<>();
    for (JsonNode p : report.path("packages")) {
      if (p.path("ecosystem").asText().equals(ecosystem)) {
        String name = p.path("name").asText();
        out.add(
            (ecosystem.equals("pypi") ? LayerTools.normalize(name) : name)
                + "=="
                + p.path("version").asText());
      }
    }
    return out;
  }

  static List<String> problems(JsonNode report, String code) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : report.path("problems")) {
      if (p.path("code").asText().equals(code)) {
        out.add(
            p.path("target").asText()
                + " "
                + p.path("package").asText()
                + " "
                + p.path("path").asText());
      }
    }
    return out;
  }

  @Test
  void pipLayer_packagesAreWhatPipInstalled_andNativeCodeIsCheckedPerTarget() throws Exception {
    Set<String> installed = pipInstalled;
    Path zip = LayerTools.zip(pipTree, dir.resolve("layer.zip").toString(), "python");
    String arn =
        moto.publish(moto.name("pip-layer"), zip, List.of("python3.11"), List.of("x86_64"));
    Map<String, String> env = moto.env(dir);

    // No target given: the runtimes the layer version declares.
    moto.proxy.resetCounts();
    CliRun declared = CliRun.run(env, dir, "inspect", arn, "--json");
    assertThat(declared.code()).as(declared.toString()).isEqualTo(1);
    JsonNode r = declared.json();
    assertThat(r.path("kind").asText()).isEqualTo("layer");
    assertThat(r.path("targets").toString()).isEqualTo("[\"python3.11/x86_64\"]");
    assertThat(packages(r, "pypi")).isEqualTo(installed).contains("cbor2==6.1.4");
    assertThat(problems(r, "elf-glibc"))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p).startsWith("python3.11/x86_64 cbor2 6.1.4 python/cbor2"));
    assertThat(r.path("problems").toString()).contains("needs GLIBC_2.28", "glibc 2.26");
    assertThat(problems(r, "elf-machine")).isEmpty();
    assertThat(problems(r, "python-abi")).isEmpty();
    assertThat(r.path("read").path("bytes").asLong())
        .isEqualTo(moto.proxy.contentBytes())
        .isLessThan(r.path("sizes").path("zippedBytes").asLong());

    // python3.12 on arm64: x86-64 code, and cpython-311 modules python3.12 will not import.
    CliRun arm =
        CliRun.run(
            env, dir, "inspect", arn, "--runtime", "python3.12", "--arch", "arm64", "--json");
    assertThat(arm.code()).isEqualTo(1);
    JsonNode a = arm.json();
    assertThat(problems(a, "elf-machine"))
        .isNotEmpty()
        .anySatisfy(p -> assertThat(p).contains("charset-normalizer"))
        .anySatisfy(p -> assertThat(p).contains("cbor2"));
    assertThat(problems(a, "python-abi"))
        .anySatisfy(p -> assertThat(p).startsWith("python3.12/arm64 charset-normalizer"));
    assertThat(problems(a, "elf-glibc")).isEmpty(); // AL2023 has glibc 2.34

    // The text report says the same for people.
    CliRun text = CliRun.run(env, dir, "inspect", arn, "--runtime", "python3.11");
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out())
        .contains(
            "Layer     " + arn,
            "Packages (" + installed.size(),
            "cbor2",
            "6.1.4",
            "pypi/pip",
            "needs GLIBC_2.28",
            "Unfit for python3.11/x86_64");
  }

  @Test
  void pipLayerChangedAfterInstall_recordMismatchesAreReported() throws Exception {
    LayerTools.run(dir, Map.of(), "cp", "-a", pipTree.resolve("python").toString(), ".");
    Files.delete(dir.resolve("python/idna/codec.py"));
    Files.writeString(dir.resolve("python/idna/local_patch.py"), "PATCHED = True\n");
    Path zip = LayerTools.zip(dir, "changed.zip", "python");
    CliRun run = CliRun.run(Map.of(), dir, "inspect", zip.toString(), "--json");
    assertThat(run.code()).as(run.toString()).isZero(); // warnings do not make it unfit
    JsonNode r = run.json();
    assertThat(r.path("targets").size()).isZero();
    assertThat(problems(r, "record-missing"))
        .singleElement()
        .asString()
        .contains("idna 3.20 python/idna/codec.py");
    assertThat(problems(r, "record-unlisted"))
        .singleElement()
        .asString()
        .contains("idna 3.20 python/idna/local_patch.py");
    // With a target, the runtime's own copies come in (urllib3 is one of them).
    JsonNode on312 =
        CliRun.run(Map.of(), dir, "inspect", zip.toString(), "--runtime", "python3.12", "--json")
            .json();
    assertThat(problems(on312, "shadows-runtime")).singleElement().asString().contains("urllib3");
  }

  @Test
  void layerBuiltForPython312_withAnExtensionModule_doesNotRunOnPython311() throws Exception {
    Path wheels = dir.resolve("wheels");
    WheelBuilder.wheel("fastext", "1.0")
        .tag("cp312-cp312-manylinux2014_x86_64")
        .file("fastext/__init__.py", "from ._speed import *\n")
        .file(
            "fastext/_speed.cpython-312-x86_64-linux-gnu.so",
            new ElfBuilder().need("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.17").build())
        .writeTo(wheels);
    // How layers for another Python are usually made: pip's cross-install options.
    Set<String> installed =
        LayerTools.pip(
            dir,
            "python",
            "--python-version",
            "3.12",
            "--only-binary=:all:",
            "--platform",
            "manylinux2014_x86_64",
            "--no-index",
            "--find-links",
            wheels.toString(),
            "fastext");
    assertThat(installed).containsExactly("fastext==1.0");
    Path zip = LayerTools.zip(dir, "py312.zip", "python");

    CliRun on311 =
        CliRun.run(Map.of(), dir, "inspect", "py312.zip", "--runtime", "python3.11", "--json");
    assertThat(on311.code()).as(on311.toString()).isEqualTo(1);
    assertThat(problems(on311.json(), "python-abi"))
        .containsExactly(
            "python3.11/x86_64 fastext 1.0 python/fastext/_speed.cpython-312-x86_64-linux-gnu.so");
    assertThat(on311.json().path("problems").toString())
        .contains("built for CPython 3.12", "python3.11 will not import them");

    CliRun on312 = CliRun.run(Map.of(), dir, "inspect", "py312.zip", "--runtime", "python3.12");
    assertThat(on312.code()).as(on312.toString()).isZero();
    assertThat(on312.out()).contains("Fit for python3.12/x86_64");
  }

  @Test
  void missingLayerVersion_andAnEmulatorWithoutContentLocations_areToldApart() throws Exception {
    Files.writeString(dir.resolve("m.py"), "x = 1\n");
    Path zip = LayerTools.zip(dir, "small.zip", "m.py");
    String arn = moto.publish(moto.name("small"), zip, List.of("python3.12"), List.of());
    CliRun missing = CliRun.run(moto.env(dir), dir, "inspect", arn.replaceAll(":1$", ":9"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("does not exist, or is not shared with your account");
    // moto itself answers Content.Location "s3://": nothing can be read from that.
    Map<String, String> direct = dev.accretion.testkit.MotoServer.environment(dir, "us-east-1");
    CliRun emulator = CliRun.run(direct, dir, "inspect", arn);
    assertThat(emulator.code()).isEqualTo(1);
    assertThat(emulator.err())
        .contains(arn, "is not an http(s) URL", "an emulator may not serve layer content");
  }

  @Test
  void accretionsOwnLayer_manifestIsUsed_andAgreesWithTheContent() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "idna\nsix\n");
    CliRun build =
        CliRun.run(
            Map.of("HOME", dir.toString()),
            dir,
            "build",
            "requirements.txt",
            "--runtime",
            "python3.12",
            "--name",
            "own",
            "--cache-dir",
            dir.resolve("cache").toString(),
            "-i",
            LayerTools.mirrorIndex(),
            "--json");
    assertThat(build.code()).as(build.toString()).isZero();
    JsonNode artifact = build.json().path("artifacts").get(0);
    Path zip = dir.resolve(artifact.path("path").asText());
    Set<String> built = new TreeSet<>();
    for (JsonNode p : artifact.path("packages")) {
      built.add(LayerTools.normalize(p.path("name").asText()) + "==" + p.path("version").asText());
    }
    String arn = moto.publish(moto.name("own"), zip, List.of("python3.12"), List.of("x86_64"));
    Path sbom = dir.resolve("own.cdx.json");
    CliRun run =
        CliRun.run(moto.env(dir), dir, "inspect", arn, "--json", "--sbom", sbom.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode r = run.json();
    assertThat(r.path("manifest").path("path").asText()).isEqualTo("accretion/own/manifest.json");
    assertThat(r.path("manifest").path("runtimes").toString()).contains("python3.12");
    assertThat(packages(r, "pypi")).isEqualTo(built);
    assertThat(r.path("packages").get(0).path("source").asText()).isEqualTo("content+manifest");
    assertThat(r.path("packages").get(0).path("facts").path("installer").asText())
        .isEqualTo("accretion");
    assertThat(problems(r, "manifest-mismatch")).isEmpty();
    assertThat(
            new org.cyclonedx.parsers.JsonParser()
                .validate(sbom.toFile(), org.cyclonedx.Version.VERSION_15))
        .isEmpty();
    JsonNode bom = new ObjectMapper().readTree(sbom.toFile());
    Set<String> purls = new TreeSet<>();
    bom.path("components").forEach(c -> purls.add(c.path("purl").asText()));
    assertThat(purls).hasSize(built.size()).allSatisfy(p -> assertThat(p).startsWith("pkg:pypi/"));
  }
}
