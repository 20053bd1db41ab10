package dev.accretion.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.FoundPackage;
import dev.accretion.testkit.ElfBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipInspectorTest {
  static final RuntimeMatrix MATRIX = RuntimeMatrix.load();
  static final ZipInspector INSPECTOR = ZipInspector.standard();

  @TempDir Path dir;

  static Target target(String runtime, String arch) throws AccretionException {
    return MATRIX.target(runtime, arch);
  }

  static String packageJson(String name, String version) {
    return "{\"name\": \"" + name + "\", \"version\": \"" + version + "\"}";
  }

  static byte[] jar(String group, String artifact, String version, int classMajor)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("com/example/A.class"));
      zip.write(
          new byte[] {
            (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, (byte) classMajor, 0, 0
          });
      if (group != null) {
        zip.putNextEntry(
            new ZipEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
        zip.write(
            ("#x\ngroupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  private Path nodeLayer() throws IOException {
    return new TestZip()
        .file("nodejs/node_modules/debug/package.json", packageJson("debug", "2.6.9"))
        .file("nodejs/node_modules/debug/src/index.js", "module.exports = 1;\n")
        .file("nodejs/node_modules/debug/node_modules/ms/package.json", packageJson("ms", "2.0.0"))
        .file("nodejs/node_modules/debug/node_modules/ms/index.js", "x")
        .file("nodejs/node_modules/ms/package.json", packageJson("ms", "2.1.3"))
        .file(
            "nodejs/node_modules/@smithy/types/package.json", packageJson("@smithy/types", "4.1.0"))
        .file("nodejs/node_modules/addon/package.json", packageJson("addon", "1.0.0"))
        .file("nodejs/node_modules/addon/build/Release/addon.node", ElfBuilder.glibc228().build())
        .executable(
            "bin/tool",
            new ElfBuilder().machine(ElfBuilder.EM_AARCH64).need("libc.so.6", "GLIBC_2.17").build())
        .file("README.txt", "hello")
        .write(dir.resolve("node.zip"));
  }

  @Test
  void nodeLayer_packagesNestedAndElfCheckedPerTarget() throws Exception {
    Path zip = nodeLayer();
    try (ZipSource source = FileZipSource.open(zip, null)) {
      LayerReport r =
          INSPECTOR.inspect(
              LayerRequest.layer(
                  source, List.of(target("nodejs20.x", "x86_64"), target("nodejs18.x", "x86_64"))));
      assertThat(r.packages())
          .extracting(FoundPackage::name, FoundPackage::version, FoundPackage::location)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("debug", "2.6.9", "nodejs/node_modules/debug"),
              org.assertj.core.groups.Tuple.tuple(
                  "ms", "2.0.0", "nodejs/node_modules/debug/node_modules/ms"),
              org.assertj.core.groups.Tuple.tuple("ms", "2.1.3", "nodejs/node_modules/ms"),
              org.assertj.core.groups.Tuple.tuple(
                  "@smithy/types", "4.1.0", "nodejs/node_modules/@smithy/types"),
              org.assertj.core.groups.Tuple.tuple("addon", "1.0.0", "nodejs/node_modules/addon"));
      FoundPackage nested =
          r.packages().stream().filter(p -> p.version().equals("2.0.0")).findFirst().orElseThrow();
      assertThat(nested.facts()).containsEntry("nestedIn", "nodejs/node_modules/debug");
      assertThat(nested.purl()).isEqualTo("pkg:npm/ms@2.0.0");
      assertThat(
              r.packages().stream()
                  .filter(p -> p.name().equals("@smithy/types"))
                  .findFirst()
                  .orElseThrow()
                  .purl())
          .isEqualTo("pkg:npm/%40smithy/types@4.1.0");
      assertThat(r.elf())
          .extracting(ElfFile::path, ElfFile::machine, ElfFile::glibc, ElfFile::packageName)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("bin/tool", "AArch64", "2.17", null),
              org.assertj.core.groups.Tuple.tuple(
                  "nodejs/node_modules/addon/build/Release/addon.node",
                  "x86-64",
                  "2.28",
                  "addon 1.0.0"));
      assertThat(r.problems())
          .filteredOn(Problem::isError)
          .extracting(Problem::code, Problem::target, Problem::path)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("elf-machine", "nodejs20.x/x86_64", "bin/tool"),
              org.assertj.core.groups.Tuple.tuple("elf-machine", "nodejs18.x/x86_64", "bin/tool"),
              org.assertj.core.groups.Tuple.tuple(
                  "elf-glibc",
                  "nodejs18.x/x86_64",
                  "nodejs/node_modules/addon/build/Release/addon.node"));
      Problem glibc =
          r.problems().stream().filter(p -> p.code().equals("elf-glibc")).findFirst().orElseThrow();
      assertThat(glibc.message())
          .contains("needs GLIBC_2.28", "nodejs18.x", "glibc 2.26", "addon 1.0.0");
      assertThat(r.fit()).isFalse();
      assertThat(r.files()).isEqualTo(10);
      assertThat(r.folders()).extracting(FolderSize::path).contains("nodejs", "bin", "");
      assertThat(r.largest().get(0).path())
          .isEqualTo("nodejs/node_modules/addon/build/Release/addon.node");
    }
  }

  @Test
  void nodeLayer_onAPythonRuntime_saysTheLanguageDiffers() throws Exception {
    try (ZipSource source = FileZipSource.open(nodeLayer(), null)) {
      LayerReport r =
          INSPECTOR.inspect(LayerRequest.layer(source, List.of(target("python3.12", "arm64"))));
      assertThat(r.problems())
          .filteredOn(p -> p.code().equals("language"))
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("python3.12 does not load Node.js"));
      assertThat(r.problems())
          .filteredOn(p -> p.code().equals("elf-machine"))
          .extracting(Problem::path)
          .containsExactly("nodejs/node_modules/addon/build/Release/addon.node");
    }
  }

  @Test
  void javaLayer_coordinatesFromPomPropertiesElseFileName_andClassVersions() throws Exception {
    Path zip =
        new TestZip()
            .file(
                "java/lib/commons-lang3-3.17.0.jar",
                jar("org.apache.commons", "commons-lang3", "3.17.0", 52))
            .file("java/lib/plain-1.2.jar", jar(null, null, null, 65))
            .file("java/lib/sub/nested-1.0.jar", jar("com.example", "nested", "1.0", 52))
            .write(dir.resolve("java.zip"));
    try (ZipSource source = FileZipSource.open(zip, null)) {
      LayerReport r =
          INSPECTOR.inspect(LayerRequest.layer(source, List.of(target("java17", "x86_64"))));
      assertThat(r.packages())
          .extracting(FoundPackage::name, FoundPackage::version, FoundPackage::purl)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  "org.apache.commons:commons-lang3",
                  "3.17.0",
                  "pkg:maven/org.apache.commons/commons-lang3@3.17.0"),
              org.assertj.core.groups.Tuple.tuple("plain", "1.2", "pkg:maven/plain@1.2"),
              org.assertj.core.groups.Tuple.tuple(
                  "com.example:nested", "1.0", "pkg:maven/com.example/nested@1.0"));
      assertThat(r.problems())
          .filteredOn(Problem::isError)
          .extracting(Problem::code, Problem::path)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("class-version", "java/lib/plain-1.2.jar"),
              org.assertj.core.groups.Tuple.tuple("not-on-path", "java/lib/sub/nested-1.0.jar"));
    }
  }

  @Test
  void remoteLayer_readsTheDirectoryAndOnlyTheEntriesNeeded() throws Exception {
    Random random = new Random(7);
    byte[] big = new byte[24 << 20];
    random.nextBytes(big);
    Path zip =
        new TestZip()
            .stored("python/data/blob.bin", big)
            .file("nodejs/node_modules/ms/package.json", packageJson("ms", "2.1.3"))
            .file("nodejs/node_modules/ms/index.js", "x".repeat(10000))
            .stored(
                "nodejs/node_modules/addon/addon.node",
                ElfBuilder.glibc228().trailing(6 << 20).build())
            .file("java/lib/a-1.0.jar", jar("g", "a", "1.0", 52))
            .write(dir.resolve("big.zip"));
    LayerReport local;
    try (ZipSource source = FileZipSource.open(zip, null)) {
      local = INSPECTOR.inspect(LayerRequest.layer(source, List.of(target("nodejs20.x", "arm64"))));
    }
    try (RangeServer server = new RangeServer(zip);
        ZipSource source = HttpZipSource.open(HttpZipSource.defaultClient(), server.uri(), "L")) {
      LayerReport remote =
          INSPECTOR.inspect(LayerRequest.layer(source, List.of(target("nodejs20.x", "arm64"))));
      assertThat(remote.packages()).isEqualTo(local.packages());
      assertThat(remote.elf()).isEqualTo(local.elf());
      assertThat(remote.problems()).isEqualTo(local.problems());
      assertThat(remote.zippedBytes()).isGreaterThan(30 << 20);
      assertThat(remote.bytesRead()).isEqualTo(server.sent.get()).isLessThan(1 << 20);
      assertThat(remote.reads()).isEqualTo(server.requests.get());
      assertThat(remote.downloadedWhole()).isFalse();
    }
  }

  @Test
  void serverWithoutRanges_zipIsReadWholeOnce() throws Exception {
    Path zip = nodeLayer();
    try (RangeServer server = new RangeServer(zip)) {
      server.ranges = false;
      try (HttpZipSource source =
          HttpZipSource.open(HttpZipSource.defaultClient(), server.uri(), null)) {
        LayerReport r = INSPECTOR.inspect(LayerRequest.layer(source, List.of()));
        assertThat(r.downloadedWhole()).isTrue();
        assertThat(r.packages()).hasSize(5);
        assertThat(server.requests.get()).isEqualTo(1);
        assertThat(r.bytesRead()).isEqualTo(Files.size(zip));
        assertThat(r.label()).doesNotContain("secret").startsWith("http://127.0.0.1:");
      }
    }
  }

  @Test
  void refusedLocation_isUnreachable_andTheMessageHidesTheSignature() throws Exception {
    Path zip = nodeLayer();
    try (RangeServer server = new RangeServer(zip)) {
      server.status = 403;
      assertThatThrownBy(
              () -> HttpZipSource.open(HttpZipSource.defaultClient(), server.uri(), null))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
                assertThat(e.getMessage()).contains("HTTP 403").doesNotContain("secret");
                assertThat(e.advice()).contains("expire");
              });
    }
  }

  @Test
  void notAZip_isBadInput() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.zip"), "not a zip at all, sorry");
    try (ZipSource source = FileZipSource.open(file, null)) {
      assertThatThrownBy(() -> INSPECTOR.inspect(LayerRequest.layer(source, List.of())))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
                assertThat(e.getMessage()).contains("notes.zip", "not a readable zip");
              });
    }
  }

  @Test
  void zipMadeByInfoZip_withSymlinkAndDirectories() throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("nodejs/node_modules/ms"));
    Files.writeString(
        tree.resolve("nodejs/node_modules/ms/package.json"), packageJson("ms", "2.1.3"));
    Files.createSymbolicLink(
        tree.resolve("nodejs/link.json"), Path.of("node_modules/ms/package.json"));
    Process p =
        new ProcessBuilder("zip", "-q", "-r", "-y", "../layer.zip", "nodejs")
            .directory(tree.toFile())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    try (ZipSource source = FileZipSource.open(dir.resolve("layer.zip"), null)) {
      LayerReport r = INSPECTOR.inspect(LayerRequest.layer(source, List.of()));
      assertThat(r.symlinks()).isEqualTo(1);
      assertThat(r.directories()).isEqualTo(3);
      assertThat(r.packages()).extracting(FoundPackage::label).containsExactly("ms 2.1.3");
      assertThat(r.problems())
          .extracting(Problem::severity)
          .containsOnly(ContentProblem.Severity.NOTE);
    }
  }
}
