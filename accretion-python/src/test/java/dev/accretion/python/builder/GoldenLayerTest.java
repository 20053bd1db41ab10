package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.BuilderVersion;
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
 * Pins the bytes of a small layer built from generated wheels (stored entries, so the inputs are
 * the same bytes on every machine). The digest changes when the zip format, the installer's output
 * (RECORD, INSTALLER, scripts), the manifest or the builder version change: if that was intended,
 * put the new digest here and say why in the commit.
 */
class GoldenLayerTest {
  static final String GOLDEN_VERSION = "0.1.0-SNAPSHOT";

  /**
   * Every entry of the fixture layer but its manifest (see {@link #installedDigest}): the files a
   * Python layer installs. It must not change when only the manifest does (pinned from the Python
   * layer builder before the layer pipeline replaced it).
   */
  static final String GOLDEN_INSTALLED_SHA256 =
      "308eb5eea9451971e1590da8e9ee54973cbe48695ce50b5b70d075517e326241";

  static final String GOLDEN_SHA256 =
      "2760c8e7181a54894825bbcb38081ffff0d28c9cd31af92a876e4a632a0453e2";

  @TempDir Path temp;

  static BuiltArtifact buildFixture(Path root) throws Exception {
    Fixture f = fixture(root);
    return f.fx().build(f.request()).artifacts().get(0);
  }

  record Fixture(FixtureIndex fx, TestRequest request) {}

  static Fixture fixture(Path root) throws Exception {
    FixtureIndex fx = new FixtureIndex(root);
    fx.add(
        TestWheel.of("golden-app", "1.2.3")
            .file("golden_app/__init__.py", "from golden_lib import VALUE\n")
            .file("golden_app-1.2.3.data/scripts/golden", "#!python\nimport golden_app\n")
            .metadata("License-Expression: Apache-2.0")
            .requires("golden-lib>=1"));
    fx.add(
        TestWheel.of("golden-lib", "1.0.post1")
            .file("golden_lib/__init__.py", "VALUE = 42\n")
            .executable("golden_lib/tool.sh", "#!/bin/sh\necho 42\n")
            .metadata("Classifier: License :: OSI Approved :: MIT License"));
    TestRequest base = fx.request(fx.listing("golden-app\n"), "python3.12/x86_64");
    TestRequest named =
        new TestRequest(
            base.listing(),
            base.locker(),
            base.targets(),
            "golden",
            base.outputDir(),
            Layout.PYTHON,
            true,
            List.of(),
            Slimming.none(),
            0,
            false,
            false);
    return new Fixture(fx, named);
  }

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

  @Test
  void fixtureLayer_installsThePinnedFiles() throws Exception {
    assertThat(installedDigest(buildFixture(temp).zip())).isEqualTo(GOLDEN_INSTALLED_SHA256);
  }

  @Test
  void fixtureLayer_hasPinnedBytes() throws Exception {
    assertThat(BuilderVersion.get())
        .as("the golden digest is for builder version " + GOLDEN_VERSION)
        .isEqualTo(GOLDEN_VERSION);
    BuiltArtifact a = buildFixture(temp);
    assertThat(a.zip()).hasFileName("golden-python3.12-x86_64.zip");
    assertThat(a.sha256Hex()).isEqualTo(GOLDEN_SHA256);
  }
}
