package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accretion inspect} in-process on local zips: exit codes, usage errors, messages. */
class InspectCommandTest {
  @TempDir Path dir;

  private Path zip(String name, Map<String, String> files) throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        z.putNextEntry(new ZipEntry(f.getKey()));
        z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return zip;
  }

  private Path pureLayer() throws IOException {
    return zip(
        "pure.zip",
        Map.of(
            "python/six.py", "x = 1\n",
            "python/six-1.17.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\n",
            "python/six-1.17.0.dist-info/RECORD",
                "six.py,,6\nsix-1.17.0.dist-info/METADATA,,\nsix-1.17.0.dist-info/RECORD,,\n"));
  }

  private CliRun run(String... args) {
    return CliRun.run(Map.of("HOME", dir.toString()), dir, args);
  }

  @Test
  void fitLayer_exitsZero_andSaysSo() throws Exception {
    pureLayer();
    CliRun r = run("inspect", "pure.zip", "--runtime", "python3.12", "--arch", "arm64");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "Zip       pure.zip",
            "six",
            "1.17.0",
            "Targets   python3.12/arm64",
            "Fit for python3.12/arm64: no errors.")
        .doesNotContain("Read ");
  }

  @Test
  void noTarget_nothingToCheck_andTheJsonSaysWhatWasFound() throws Exception {
    pureLayer();
    CliRun r = run("inspect", "pure.zip", "--json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    assertThat(j.path("kind").asText()).isEqualTo("zip");
    assertThat(j.path("fit").asBoolean()).isTrue();
    assertThat(j.path("targets")).isEmpty();
    assertThat(j.path("packages").get(0).path("purl").asText()).isEqualTo("pkg:pypi/six@1.17.0");
    assertThat(j.path("read").path("remote").asBoolean()).isFalse();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void accretionManifest_withoutTarget_checksTheTargetsItWasBuiltFor() throws Exception {
    zip(
        "own.zip",
        Map.of(
            "accretion/deps/manifest.json",
            "{\"schema\": \"accretion/layer-manifest/v2\", \"builder\": {\"name\": \"accretion\","
                + " \"id\": \"python\", \"version\": \"0.1.0\"}, \"layer\": \"deps\","
                + " \"targets\": {\"runtimes\": [\"python3.12\"], \"architectures\":"
                + " [\"arm64\"]}, \"packages\": [{\"name\": \"tool\", \"version\": \"1.0\","
                + " \"ecosystem\": \"generic\", \"purl\": \"pkg:generic/tool@1.0\"}]}"));
    CliRun r = run("inspect", "own.zip", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = r.json();
    assertThat(j.path("targets").toString()).isEqualTo("[\"python3.12/arm64\"]");
    assertThat(j.path("manifest").path("builder").asText()).isEqualTo("python");
    assertThat(j.path("packages").get(0).path("source").asText()).isEqualTo("manifest");
  }

  @Test
  void usageErrors_exitTwo() throws Exception {
    pureLayer();
    assertThat(run("inspect", "pure.zip", "--arch", "arm64").code()).isEqualTo(2);
    CliRun noVersion = run("inspect", "arn:aws:lambda:us-east-1:123456789012:layer:deps");
    assertThat(noVersion.code()).isEqualTo(2);
    assertThat(noVersion.err()).contains("with the version number");
    CliRun badName = run("inspect", "not a function!");
    assertThat(badName.code()).isEqualTo(2);
    assertThat(badName.err()).contains("no file, URL, layer version ARN or function name");
    CliRun runtime = run("inspect", "pure.zip", "--runtime", "python3.99");
    assertThat(runtime.code()).isEqualTo(2);
    assertThat(runtime.err()).contains("unknown Lambda runtime 'python3.99'");
    CliRun arch = run("inspect", "pure.zip", "--runtime", "python3.12", "--arch", "sparc");
    assertThat(arch.code()).isEqualTo(2);
    assertThat(run("inspect").code()).isEqualTo(2);
    // checked before anything is read: no AWS call for a bad runtime
    CliRun early =
        run("inspect", "arn:aws:lambda:us-east-1:123456789012:layer:deps:3", "--runtime", "py3");
    assertThat(early.code()).isEqualTo(2);
    assertThat(early.err()).contains("unknown Lambda runtime 'py3'");
    assertThat(run("inspect", "some-function", "--arch", "mips").code()).isEqualTo(2);
    assertThat(run("inspect", "https://exa mple.com/x.zip").code()).isEqualTo(2);
  }

  @Test
  void missingFileOrNotAZip_exitOne_namingTheInput() throws Exception {
    CliRun missing = run("inspect", "gone.zip");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file: gone.zip");
    Files.writeString(dir.resolve("text.zip"), "hello");
    CliRun text = run("inspect", "text.zip");
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.err()).contains("text.zip is not a readable zip").doesNotContain("Exception");
  }

  @Test
  void sbom_isWrittenWithPackageUrls() throws Exception {
    pureLayer();
    CliRun r = run("inspect", "pure.zip", "--sbom", "out/pure.cdx.json");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("SBOM written to");
    Path sbom = dir.resolve("out/pure.cdx.json");
    assertThat(
            new org.cyclonedx.parsers.JsonParser()
                .validate(sbom.toFile(), org.cyclonedx.Version.VERSION_15))
        .isEmpty();
    assertThat(Files.readString(sbom)).contains("\"purl\" : \"pkg:pypi/six@1.17.0\"");
    // the same findings give the same bytes
    byte[] first = Files.readAllBytes(sbom);
    assertThat(run("inspect", "pure.zip", "--sbom", "out/pure.cdx.json").code()).isZero();
    assertThat(Files.readAllBytes(sbom)).isEqualTo(first);
  }

  @Test
  void help_namesTheSubjectsAndExitCodes() {
    CliRun r = run("inspect", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "layer version ARN",
            "--runtime",
            "--sbom",
            "a CI gate",
            "accretion inspect dist/deps.zip --runtime python3.11 --arch arm64");
  }
}
