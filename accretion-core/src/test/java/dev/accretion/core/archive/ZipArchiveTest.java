package dev.accretion.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.testkit.Python;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipArchiveTest {
  @TempDir Path dir;

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void open_readsJdkZipWithDataDescriptors() throws Exception {
    Path file = dir.resolve("jdk.zip");
    byte[] big = new byte[300_000];
    new Random(7).nextBytes(big);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new ZipEntry("pkg/"));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("pkg/a.py"));
      out.write("print('a')\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("pkg/big.bin"));
      out.write(big);
      out.closeEntry();
      out.setComment("a comment");
    }
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      assertThat(archive.entries())
          .extracting(ZipEntryInfo::name)
          .containsExactly("pkg/", "pkg/a.py", "pkg/big.bin");
      ZipEntryInfo a = archive.entry("pkg/a.py").orElseThrow();
      assertThat(a.hasDataDescriptor()).isTrue();
      assertThat(a.method()).isEqualTo(ZipEntryInfo.DEFLATED);
      assertThat(a.unixMode()).isZero(); // made by MS-DOS
      assertThat(a.isExecutable()).isFalse();
      assertThat(archive.readAllBytes(a, 100)).isEqualTo("print('a')\n".getBytes());
      ZipEntryInfo b = archive.entry("pkg/big.bin").orElseThrow();
      EntryDigest digest = archive.digest(b);
      assertThat(digest.sha256Hex()).isEqualTo(sha256(big));
      assertThat(digest.size()).isEqualTo(big.length);
      try (InputStream in = archive.open(b)) {
        assertThat(in.readAllBytes()).isEqualTo(big);
      }
      assertThat(archive.entry("pkg").orElseThrow().isDirectory()).isTrue();
      assertThat(new String(archive.comment(), StandardCharsets.UTF_8)).isEqualTo("a comment");
      assertThat(archive.declaredUncompressedBytes()).isEqualTo(big.length + 11);
    }
  }

  @Test
  void open_readsPythonZipfileArchivesIncludingZip64AndDescriptors() throws Exception {
    // Python writes data descriptors (with ZIP64 sizes when forced) to unseekable outputs.
    String script =
        """
        import io, sys, zipfile
        path, mode = sys.stdin.read().split()
        class Unseekable(io.RawIOBase):
            def __init__(self, f): self.f = f
            def writable(self): return True
            def write(self, b): return self.f.write(b)
            def seekable(self): return False
        with open(path, "wb") as raw:
            target = Unseekable(raw) if mode == "stream" else raw
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                z.comment = b"made by python"
                info = zipfile.ZipInfo("pkg/run.sh", (2020, 5, 6, 7, 8, 10))
                info.external_attr = 0o100755 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, "#!/bin/sh\\necho hi\\n")
                z.writestr("pkg/caf\\u00e9.txt", "caf\\u00e9\\n" * 100)
                with z.open("pkg/forced64.bin", "w", force_zip64=True) as f:
                    f.write(bytes(range(256)) * 40)
                z.writestr(zipfile.ZipInfo("pkg/empty/"), b"")
        """;
    for (String mode : List.of("seekable", "stream")) {
      Path file = dir.resolve(mode + ".zip");
      Python.of("3.11").script(script, file + " " + mode);
      try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
        assertThat(archive.entries())
            .extracting(ZipEntryInfo::path)
            .containsExactly("pkg/run.sh", "pkg/caf\u00e9.txt", "pkg/forced64.bin", "pkg/empty");
        ZipEntryInfo run = archive.entry("pkg/run.sh").orElseThrow();
        assertThat(run.unixMode()).isEqualTo(0100755);
        assertThat(run.isExecutable()).isTrue();
        assertThat(run.hasDataDescriptor()).isEqualTo(mode.equals("stream"));
        assertThat(archive.readAllBytes(run, 100)).isEqualTo("#!/bin/sh\necho hi\n".getBytes());
        ZipEntryInfo forced = archive.entry("pkg/forced64.bin").orElseThrow();
        byte[] expected = new byte[256 * 40];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = (byte) i;
        }
        assertThat(archive.digest(forced).sha256Hex()).isEqualTo(sha256(expected));
        assertThat(archive.digest(archive.entry("pkg/caf\u00e9.txt").orElseThrow()).size())
            .isEqualTo(600);
        assertThat(new String(archive.comment(), StandardCharsets.UTF_8))
            .isEqualTo("made by python");
      }
    }
  }

  @Test
  void open_acceptsDescriptorsWithAndWithoutSignature() throws Exception {
    Path file =
        new ZipCraft()
            .add(
                ZipCraft.deflated("a.txt", "aaaaaaaaaaaaaaaaaaaaaa").withDescriptor(true),
                ZipCraft.deflated("b.txt", "bbbbbbbbbbbbbbbbbbbbbb").withDescriptor(false))
            .write(dir, "d.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      for (ZipEntryInfo e : archive.entries()) {
        assertThat(archive.digest(e).size()).isEqualTo(22);
      }
    }
  }

  @Test
  void open_normalizesHarmlessNameVariants() throws Exception {
    Path file =
        new ZipCraft()
            .add(ZipCraft.stored("./setup.py", "x"), ZipCraft.stored("pkg//mod.py", "y"))
            .write(dir, "n.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      assertThat(archive.entries())
          .extracting(ZipEntryInfo::path)
          .containsExactly("setup.py", "pkg/mod.py");
      assertThat(archive.entry("pkg/mod.py").orElseThrow().name()).isEqualTo("pkg//mod.py");
    }
  }

  @Test
  void open_acceptsZip64EndRecords() throws Exception {
    Path file = new ZipCraft().add(ZipCraft.stored("a.txt", "a")).zip64End().write(dir, "z.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      assertThat(archive.readAllBytes(archive.entries().get(0), 1)).containsExactly('a');
    }
  }

  @Test
  void open_acceptsAnEmptyArchiveAndAnArchiveComment() throws Exception {
    Path file =
        new ZipCraft().comment("PK\u0005\u0006 looks like an end record").write(dir, "e.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      assertThat(archive.entries()).isEmpty();
      assertThat(archive.comment()).hasSize(29);
    }
  }

  @Test
  void open_reportsMissingFile() {
    Path missing = dir.resolve("missing.whl");
    assertThatThrownBy(() -> ZipArchive.open(missing, ZipLimits.lambda()))
        .isInstanceOf(ArchiveException.class)
        .hasMessageStartingWith(missing + ": cannot be opened (java.nio.file.NoSuchFileException")
        .hasMessageEndingWith("; check that the file exists and is readable");
  }

  @Test
  void copyRaw_copiesTheStoredBytes() throws Exception {
    byte[] content = "raw raw raw raw raw raw raw\n".repeat(20).getBytes();
    ZipCraft.Entry entry = ZipCraft.deflated("r.txt", content);
    Path file = new ZipCraft().add(entry).write(dir, "r.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long n = archive.copyRaw(archive.entries().get(0), Channels.newChannel(out));
      assertThat(out.toByteArray()).isEqualTo(entry.data);
      assertThat(n).isEqualTo(entry.data.length);
    }
  }

  @Test
  void digest_tapsTheContentAndGivesTheRecordHash() throws Exception {
    byte[] content = "import os\n".getBytes();
    Path file = new ZipCraft().add(ZipCraft.deflated("m.py", content)).write(dir, "t.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      ByteArrayOutputStream tap = new ByteArrayOutputStream();
      EntryDigest digest = archive.digest(archive.entries().get(0), tap);
      assertThat(tap.toByteArray()).isEqualTo(content);
      assertThat(digest.crc32()).isEqualTo(ZipCraft.crc(content));
      String python =
          Python.of("3.11")
              .script(
                  "import base64, hashlib\n"
                      + "print('sha256=' + base64.urlsafe_b64encode(hashlib.sha256(b'import"
                      + " os\\n').digest()).rstrip(b'=').decode())",
                  null);
      assertThat(digest.recordHash()).isEqualTo(python.strip());
    }
  }

  @Test
  void digest_reportsTapFailuresSeparately() throws Exception {
    Path file = new ZipCraft().add(ZipCraft.stored("m.py", "x")).write(dir, "t.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      java.io.OutputStream failing =
          new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
              throw new IOException("disk full");
            }
          };
      assertThatThrownBy(() -> archive.digest(archive.entries().get(0), failing))
          .isInstanceOf(ZipArchive.TapException.class)
          .hasMessage("disk full");
    }
  }

  @Test
  void readAllBytes_refusesEntriesLargerThanExpected() throws Exception {
    Path file =
        new ZipCraft().add(ZipCraft.stored("METADATA", "x".repeat(100))).write(dir, "m.zip");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      assertThatThrownBy(() -> archive.readAllBytes(archive.entries().get(0), 10))
          .hasMessage(
              file
                  + ": entry 'METADATA' declares 100 bytes, more than the 10 bytes expected for it;"
                  + " the file is not what it should be: check where it came from");
    }
  }

  @Test
  void entriesOfAnotherArchiveAreRefused() throws Exception {
    Path a = new ZipCraft().add(ZipCraft.stored("x", "1")).write(dir, "a.zip");
    Path b = new ZipCraft().add(ZipCraft.stored("x", "22")).write(dir, "b.zip");
    try (ZipArchive first = ZipArchive.open(a, ZipLimits.lambda());
        ZipArchive second = ZipArchive.open(b, ZipLimits.lambda())) {
      ZipEntryInfo foreign = second.entries().get(0);
      assertThatThrownBy(() -> first.digest(foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("entry 'x' does not belong to " + a);
    }
  }

  @Test
  void entriesCanBeReadConcurrently() throws Exception {
    ZipCraft craft = new ZipCraft();
    List<byte[]> contents = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 40; i++) {
      byte[] content = new byte[50_000 + random.nextInt(50_000)];
      for (int j = 0; j < content.length; j++) {
        content[j] = (byte) ('a' + random.nextInt(4));
      }
      contents.add(content);
      craft.add(ZipCraft.deflated("f" + i, content));
    }
    Path file = craft.write(dir, "c.zip");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      List<Future<String>> results = new ArrayList<>();
      for (ZipEntryInfo e : archive.entries()) {
        results.add(pool.submit(() -> archive.digest(e).sha256Hex()));
      }
      for (int i = 0; i < contents.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(sha256(contents.get(i)));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void streamsFailAfterTheArchiveIsClosed() throws Exception {
    Path file = new ZipCraft().add(ZipCraft.stored("x", "12345")).write(dir, "a.zip");
    ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda());
    InputStream in = archive.open(archive.entries().get(0));
    archive.close();
    assertThatThrownBy(in::read)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("entry 'x' could not be read");
  }

  @Test
  void printableEscapesControlCharacters() {
    assertThat(ArchiveException.printable("a\0b\nc\u0085d\u2028e\u00e9"))
        .isEqualTo("a\\x00b\\x0ac\\u0085d\\u2028e\u00e9");
  }
}
