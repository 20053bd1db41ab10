package dev.accretion.python.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer pipeline with the Python builder installs exactly the files the Python layer builder
 * installed: for the same requests, every zip entry but the layer's own manifest is the same (name,
 * mode, method, CRC, sizes and stored bytes), and the same targets share zips.
 */
class PipelineEquivalenceTest {
  @TempDir Path temp;

  /**
   * The sha256 over every entry but {@code accretion/<name>/manifest.json}: name, mode, method,
   * CRC, sizes and the stored (compressed) bytes, in archive order.
   */
  static String installedDigest(Path zip) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        if (e.name().startsWith("accretion/") && e.name().endsWith("/manifest.json")) {
          continue;
        }
        sha.update(
            (e.name()
                    + "\0"
                    + Integer.toOctalString(e.unixMode())
                    + "\0"
                    + e.method()
                    + "\0"
                    + e.crc32()
                    + "\0"
                    + e.compressedSize()
                    + "\0"
                    + e.uncompressedSize()
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
        if (!e.isDirectory()) {
          WritableByteChannel into =
              Channels.newChannel(
                  new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                      sha.update((byte) b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                      sha.update(ByteBuffer.wrap(b, off, len));
                    }
                  });
          archive.copyRaw(e, into);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private void assertSame(FixtureIndex fx, LayerBuildRequest request) throws Exception {
    List<BuiltArtifact> old = fx.build(request).artifacts();
    List<BuiltArtifact> now =
        fx.buildWithPipeline(request, fx.root.resolve("out-pipeline")).artifacts();
    assertThat(now).hasSameSizeAs(old);
    for (int i = 0; i < old.size(); i++) {
      assertThat(now.get(i).zip().getFileName()).isEqualTo(old.get(i).zip().getFileName());
      assertThat(installedDigest(now.get(i).zip()))
          .as(old.get(i).zip().getFileName().toString())
          .isEqualTo(installedDigest(old.get(i).zip()));
      assertThat(now.get(i).packages()).isEqualTo(old.get(i).packages());
      assertThat(now.get(i).runtimes()).isEqualTo(old.get(i).runtimes());
      assertThat(now.get(i).architectures()).isEqualTo(old.get(i).architectures());
      assertThat(now.get(i).notes()).isEqualTo(old.get(i).notes());
      assertThat(now.get(i).warnings()).isEqualTo(old.get(i).warnings());
    }
  }

  @Test
  void goldenFixture_installsTheSameFilesAsThePythonLayerBuilder() throws Exception {
    BuiltArtifact old = GoldenLayerTest.buildFixture(temp.resolve("old"));
    assertThat(installedDigest(old.zip())).isEqualTo(GoldenLayerTest.GOLDEN_INSTALLED_SHA256);
    GoldenLayerTest.Fixture f = GoldenLayerTest.fixture(temp.resolve("new"));
    BuiltArtifact now =
        f.fx().buildWithPipeline(f.request(), temp.resolve("new/out")).artifacts().get(0);
    assertThat(now.zip()).hasFileName("golden-python3.12-x86_64.zip");
    assertThat(installedDigest(now.zip())).isEqualTo(GoldenLayerTest.GOLDEN_INSTALLED_SHA256);
  }

  @Test
  void fixtures_installTheSameFilesAsThePythonLayerBuilder() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(
        TestWheel.of("alpha", "1.0")
            .file("alpha/__init__.py", "from beta import B\nA = 1\n")
            .metadata("License-Expression: MIT")
            .requires("beta>=2"));
    fx.add(TestWheel.of("beta", "2.1").file("beta/__init__.py", "B = 2\n"));
    fx.add(
        TestWheel.of("tool", "1.0")
            .file("tool/__init__.py", "")
            .executable("tool/run.sh", "#!/bin/sh\n")
            .file("tool-1.0.data/scripts/tool-cli", "#!python\nimport tool\n")
            .file("tool-1.0.data/purelib/tool_extra.py", "X = 1\n")
            .file("tool-1.0.data/headers/tool.h", "int x;\n")
            .file("tool/tests/test_x.py", "")
            .file("tool/cached.pyc", "x"));
    fx.add(TestWheel.of("boto3", "1.0").file("boto3/__init__.py", ""));
    fx.add(TestWheel.of("dup", "1.0").file("beta/__init__.py", "B = 2\n").file("dup.py", ""));
    java.nio.file.Path listing = fx.listing("alpha\ntool\nboto3\ndup\n");
    assertSame(fx, fx.request(listing, "python3.12/x86_64"));
    assertSame(
        fx, fx.request(listing, "python3.12/x86_64", "python3.13/x86_64", "python3.12/arm64"));
    assertSame(
        fx,
        FixtureIndex.with(
            fx.request(listing, "python3.11/arm64"),
            Layout.SITE_PACKAGES,
            false,
            List.of("boto3"),
            new Slimming(true, List.of("*/tests")),
            0,
            false,
            false));
  }
}
