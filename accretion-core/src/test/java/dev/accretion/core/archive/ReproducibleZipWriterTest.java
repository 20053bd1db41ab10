package dev.accretion.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.testkit.Python;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleZipWriterTest {
  /**
   * The sha256 of the fixture layer. Changing it means the written bytes changed: every layer built
   * before gets a new digest (and a new Lambda layer version). Only change it on purpose.
   */
  static final String GOLDEN_SHA256 =
      "8b8236f702ab53dbfea24e6c687884644e0c1e14cf7336f90882f7412792404b";

  static final String GOLDEN_CONTENT_DIGEST =
      "81cdd27a6f08ffde110bfb337c69a1a9e3c6b99b0bc9c40d206adf0b3155c682";

  @TempDir Path dir;

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  // ---- reproducibility ----

  @Test
  void write_fixtureHasTheGoldenDigest() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("layer.zip"), 0);
    byte[] bytes = Files.readAllBytes(result.file());
    assertThat(sha256(bytes)).isEqualTo(result.sha256Hex());
    assertThat(result.sha256Hex()).isEqualTo(GOLDEN_SHA256);
    assertThat(result.contentDigest()).isEqualTo(GOLDEN_CONTENT_DIGEST);
    assertThat(result.codeSha256Base64())
        .isEqualTo(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(GOLDEN_SHA256)));
    assertThat(result.zippedBytes()).isEqualTo(bytes.length);
  }

  @Test
  void write_sameBytesWhateverTheInputOrder() throws Exception {
    String expected =
        ReproducibilityFixture.build(dir.resolve("w0"), dir.resolve("0.zip"), 0).sha256Hex();
    for (long seed = 1; seed <= 8; seed++) {
      ZipResult shuffled =
          ReproducibilityFixture.build(dir.resolve("w" + seed), dir.resolve(seed + ".zip"), seed);
      assertThat(shuffled.sha256Hex()).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void write_sameBytesWhenAddingFromManyThreads() throws Exception {
    Path wheel = ReproducibilityFixture.sourceWheel(dir);
    String expected;
    try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda())) {
      expected = ReproducibilityFixture.fill(archive, 0).write(dir.resolve("a.zip")).sha256Hex();
      ReproducibleZipWriter writer = new ReproducibleZipWriter();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int slice = t;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = slice; i < 800; i += 8) {
                        writer.addBytes(
                            "python/gen/f" + i + ".txt",
                            ("file " + i).getBytes(StandardCharsets.UTF_8),
                            false,
                            "gen");
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      ReproducibleZipWriter sequential = new ReproducibleZipWriter();
      for (int i = 799; i >= 0; i--) {
        sequential.addBytes(
            "python/gen/f" + i + ".txt",
            ("file " + i).getBytes(StandardCharsets.UTF_8),
            false,
            "gen");
      }
      assertThat(writer.write(dir.resolve("threads.zip")).sha256Hex())
          .isEqualTo(sequential.write(dir.resolve("sequential.zip")).sha256Hex());
    }
    assertThat(expected).isEqualTo(GOLDEN_SHA256);
  }

  @Test
  void write_sameBytesUnderAnotherTimeZoneLocaleAndUmask() throws Exception {
    ZipResult here = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("here.zip"), 0);
    String java = ProcessHandle.current().info().command().orElseThrow();
    String classPath = System.getProperty("java.class.path");
    Path childZip = dir.resolve("child").resolve("child.zip");
    Files.createDirectories(childZip.getParent());
    // umask applies to the files the child creates; the zip's bytes must not record it.
    List<String> command =
        List.of(
            "/bin/sh",
            "-c",
            "umask 077 && exec \"$@\"",
            "sh",
            java,
            "-Duser.timezone=Pacific/Kiritimati",
            "-Duser.language=tr",
            "-Duser.country=TR",
            "-Dfile.encoding=ISO-8859-1",
            "-cp",
            classPath,
            ReproducibilityFixture.class.getName(),
            childZip.toString(),
            "5");
    Python.Result r =
        Python.exec(
            command,
            null,
            Map.of("TZ", "Asia/Kathmandu", "LC_ALL", "C", "LANG", "tr_TR.ISO-8859-9"),
            120);
    assertThat(r.code()).as(r.stderr()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(here.sha256Hex() + " " + here.contentDigest());
    assertThat(Files.readAllBytes(childZip)).isEqualTo(Files.readAllBytes(here.file()));
    // The child's umask did reach its files (so the test really varied it).
    assertThat(Files.getPosixFilePermissions(childZip.resolveSibling("work-5")).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
  }

  // ---- format ----

  @Test
  void write_ordersByUtf8BytesWithParentsFirstAndFixedHeaders() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 3);
    try (ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      List<String> names = archive.entries().stream().map(ZipEntryInfo::name).toList();
      assertThat(names)
          .containsExactly(
              "bin/",
              "bin/run",
              "bin/tool",
              "python/",
              "python/pkg-1.0.dist-info/",
              "python/pkg-1.0.dist-info/INSTALLER",
              "python/pkg-extra.pth",
              "python/pkg/",
              "python/pkg/__init__.py",
              "python/pkg/data.txt",
              "python/pkg/donn\u00e9es-\u00e9.txt",
              "python/pkg/empty/",
              "python/pkg/hello.py");
      for (ZipEntryInfo e : archive.entries()) {
        assertThat(e.flags()).as(e.name()).isEqualTo(0x0800);
        // No local extra field: data starts right after the name.
        assertThat(e.dataOffset() - e.localHeaderOffset())
            .as(e.name())
            .isEqualTo(30 + e.name().getBytes(StandardCharsets.UTF_8).length);
        int expectedMode =
            e.isDirectory() ? 040755 : e.name().startsWith("bin/") ? 0100755 : 0100644;
        assertThat(e.unixMode()).as(e.name()).isEqualTo(expectedMode);
      }
      assertThat(archive.comment()).isEmpty();
      assertThat(result.entryCount()).isEqualTo(13);
      assertThat(result.mergedDuplicates())
          .containsExactly(
              new ZipResult.MergedDuplicate(
                  "python/pkg/__init__.py",
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                  List.of("other", "pkg")));
      long unzipped = archive.entries().stream().mapToLong(ZipEntryInfo::uncompressedSize).sum();
      assertThat(result.unzippedBytes()).isEqualTo(unzipped);
    }
    // Byte-level: every DOS time/date field is 1980-01-01 00:00 and there is no central extra.
    byte[] bytes = Files.readAllBytes(result.file());
    int centralRecords = 0;
    for (int i = 0; i + 46 <= bytes.length; i++) {
      if (ZipArchive.u32(bytes, i) == ZipArchive.CENTRAL_SIG) {
        centralRecords++;
        assertThat(ZipArchive.u16(bytes, i + 4)).isEqualTo(0x032d); // made by Unix, 4.5
        assertThat(ZipArchive.u16(bytes, i + 12)).isZero(); // time
        assertThat(ZipArchive.u16(bytes, i + 14)).isEqualTo(0x0021); // date
        assertThat(ZipArchive.u16(bytes, i + 30)).isZero(); // extra length
        assertThat(ZipArchive.u16(bytes, i + 32)).isZero(); // comment length
      }
    }
    assertThat(centralRecords).isEqualTo(13);
  }

  @Test
  void write_contentDigestFollowsTheDocumentedEncoding() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 0);
    StringBuilder listing = new StringBuilder();
    try (ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      for (ZipEntryInfo e : archive.entries()) {
        listing
            .append(e.name())
            .append('\0')
            .append(Integer.toOctalString(e.unixMode()))
            .append('\0')
            .append(archive.digest(e).sha256Hex())
            .append('\n');
      }
    }
    assertThat(result.contentDigest())
        .isEqualTo(sha256(listing.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void write_contentDigestIgnoresCompression() throws Exception {
    byte[] content = "same content, different compression\n".repeat(50).getBytes();
    Path stored = new ZipCraft().add(ZipCraft.stored("m.py", content)).write(dir, "s.whl");
    Path fast =
        new ZipCraft()
            .add(
                ZipCraft.raw(
                    "m.py",
                    8,
                    ZipCraft.deflate(content, Deflater.BEST_SPEED),
                    ZipCraft.crc(content),
                    content.length))
            .write(dir, "f.whl");
    ZipResult a = layerOf(stored, "a.zip");
    ZipResult b = layerOf(fast, "b.zip");
    assertThat(a.sha256Hex()).isNotEqualTo(b.sha256Hex());
    assertThat(a.contentDigest()).isEqualTo(b.contentDigest());
    assertThat(a.unzippedBytes()).isEqualTo(b.unzippedBytes()).isEqualTo(content.length);
  }

  private ZipResult layerOf(Path wheel, String name) throws Exception {
    try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda())) {
      ReproducibleZipWriter writer = new ReproducibleZipWriter();
      for (ZipEntryInfo e : archive.entries()) {
        writer.addRaw("python/" + e.path(), archive, e, archive.digest(e).sha256Hex(), "w");
      }
      return writer.write(dir.resolve(name));
    }
  }

  @Test
  void addCompressed_withoutContent_writesTheSameBytes() throws Exception {
    byte[] text = "const a = require('a');\n".repeat(300).getBytes(StandardCharsets.UTF_8);
    byte[] tiny = "x".getBytes(StandardCharsets.UTF_8);
    ReproducibleZipWriter.Compressed big = ReproducibleZipWriter.compress(text);
    ReproducibleZipWriter.Compressed small = ReproducibleZipWriter.compress(tiny);
    ReproducibleZipWriter.Compressed lean = big.withoutContent();
    assertThat(lean.content()).isNull();
    assertThat(lean.deflated()).isSameAs(big.deflated());
    assertThat(lean.size()).isEqualTo(text.length);
    assertThat(lean.uncompressed()).isEqualTo(text);
    assertThat(small.withoutContent().uncompressed()).isSameAs(tiny);
    // a stored entry keeps its bytes: they are what the archive holds
    assertThat(small.deflated()).isNull();
    assertThat(small.withoutContent()).isSameAs(small);
    ZipResult a =
        new ReproducibleZipWriter()
            .addCompressed("nodejs/a.js", big, false, "t")
            .addCompressed("nodejs/b", small, false, "t")
            .write(dir.resolve("a.zip"));
    ZipResult b =
        new ReproducibleZipWriter()
            .addCompressed("nodejs/a.js", lean, false, "t")
            .addCompressed("nodejs/b", small.withoutContent(), false, "t")
            .write(dir.resolve("b.zip"));
    assertThat(Files.readAllBytes(b.file())).isEqualTo(Files.readAllBytes(a.file()));
    assertThat(b.unzippedBytes()).isEqualTo(text.length + tiny.length);
    assertThatThrownBy(() -> new ReproducibleZipWriter.Compressed(null, null, 0, big.sha256(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ReproducibleZipWriter.Compressed(text, null, 0, big.sha256(), text.length + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- raw copies ----

  @Test
  void write_copiesRawEntriesWithoutRecompressing() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 0);
    try (ZipArchive layer = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      ZipEntryInfo hello = layer.entry("python/pkg/hello.py").orElseThrow();
      ZipEntryInfo tool = layer.entry("bin/tool").orElseThrow();
      assertThat(rawBytes(layer, hello)).isEqualTo(ReproducibilityFixture.MODULE_DEFLATED);
      assertThat(rawBytes(layer, tool)).isEqualTo(ReproducibilityFixture.STORED_BLOCK_DEFLATE);
      // They still inflate to the original content.
      assertThat(layer.readAllBytes(hello, 1000)).isEqualTo(ReproducibilityFixture.MODULE_TEXT);
      assertThat(layer.readAllBytes(tool, 1000)).isEqualTo("hi!\n".getBytes());
    }
    // No JDK Deflater level reproduces those bytes, so matching them proves no re-deflate.
    // (Level 0 writes stored blocks too, but a re-deflate would use the default level.)
    for (int level = 0; level <= 9; level++) {
      assertThat(ZipCraft.deflate(ReproducibilityFixture.MODULE_TEXT, level))
          .isNotEqualTo(ReproducibilityFixture.MODULE_DEFLATED);
      if (level > 0) {
        assertThat(ZipCraft.deflate("hi!\n".getBytes(), level))
            .isNotEqualTo(ReproducibilityFixture.STORED_BLOCK_DEFLATE);
      }
    }
  }

  private static byte[] rawBytes(ZipArchive archive, ZipEntryInfo entry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    archive.copyRaw(entry, Channels.newChannel(out));
    return out.toByteArray();
  }

  @Test
  void write_keepsTheExecutableBitOfRawEntries() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 0);
    try (ZipArchive layer = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      assertThat(layer.entry("bin/tool").orElseThrow().unixMode()).isEqualTo(0100755);
      // 0600 in the source becomes 0644: only the execute bit is kept.
      assertThat(layer.entry("python/pkg/data.txt").orElseThrow().unixMode()).isEqualTo(0100644);
    }
  }

  // ---- duplicates and conflicts ----

  @Test
  void write_refusesSamePathWithDifferentContentNamingBothSources() {
    ReproducibleZipWriter writer =
        new ReproducibleZipWriter()
            .addBytes("python/six.py", "a".getBytes(), false, "six")
            .addBytes("python/six.py", "b".getBytes(), false, "fork-of-six");
    Path target = dir.resolve("l.zip");
    assertThatThrownBy(() -> writer.write(target))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            target
                + ": cannot be written: 'python/six.py' comes from both 'fork-of-six' (sha256"
                + " 3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d) and 'six'"
                + " (sha256 ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb)"
                + " with different content; one path can hold only one file: leave one of the"
                + " sources out, or put them in separate layers");
    assertThat(target).doesNotExist();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void write_refusesFileAndDirectoryAtOnePath() {
    ReproducibleZipWriter writer =
        new ReproducibleZipWriter()
            .addBytes("python/x", "a".getBytes(), false, "a")
            .addBytes("python/x/y.py", "b".getBytes(), false, "b");
    assertThatThrownBy(() -> writer.write(dir.resolve("l.zip")))
        .hasMessageContaining(
            "cannot be written: 'python/x/y.py' from 'b' needs 'python/x' to be a directory, but"
                + " it is a file from 'a'");
    ReproducibleZipWriter explicit =
        new ReproducibleZipWriter()
            .addBytes("python/x", "a".getBytes(), false, "a")
            .addDirectory("python/x", "b");
    assertThatThrownBy(() -> explicit.write(dir.resolve("l.zip")))
        .hasMessageContaining("'python/x' is a file from 'a' and a directory from 'b'");
  }

  @Test
  void write_refusesSameModeConflictsAndDoubleAdds() {
    ReproducibleZipWriter modes =
        new ReproducibleZipWriter()
            .addBytes("bin/x", "a".getBytes(), true, "a")
            .addBytes("bin/x", "a".getBytes(), false, "b");
    assertThatThrownBy(() -> modes.write(dir.resolve("l.zip")))
        .hasMessageContaining(
            "'bin/x' comes from both 'a' and 'b' with the same content but different modes");
    ReproducibleZipWriter twice =
        new ReproducibleZipWriter()
            .addBytes("bin/x", "a".getBytes(), false, "a")
            .addBytes("bin/x", "a".getBytes(), false, "a");
    assertThatThrownBy(() -> twice.write(dir.resolve("l.zip")))
        .hasMessageContaining("'bin/x' was added twice by 'a'");
  }

  @Test
  void write_listsEveryConflict() {
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    for (int i = 0; i < 12; i++) {
      writer.addBytes("p/f" + i, "a".getBytes(), false, "a");
      writer.addBytes("p/f" + i, "b".getBytes(), false, "b");
    }
    assertThatThrownBy(() -> writer.write(dir.resolve("l.zip")))
        .hasMessageContaining("'p/f0' comes from both")
        .hasMessageContaining("and 2 more conflicts");
  }

  @Test
  void write_mergesIdenticalDuplicatesAndKeepsTheFirstSource() throws Exception {
    byte[] content = "namespace = True\n".getBytes();
    Path stored =
        new ZipCraft().add(ZipCraft.stored("google/__init__.py", content)).write(dir, "s.whl");
    Path deflated =
        new ZipCraft().add(ZipCraft.deflated("google/__init__.py", content)).write(dir, "d.whl");
    try (ZipArchive a = ZipArchive.open(stored, ZipLimits.lambda());
        ZipArchive b = ZipArchive.open(deflated, ZipLimits.lambda())) {
      ZipEntryInfo ea = a.entries().get(0);
      ZipEntryInfo eb = b.entries().get(0);
      String sha = a.digest(ea).sha256Hex();
      ZipResult one =
          new ReproducibleZipWriter()
              .addRaw("python/google/__init__.py", b, eb, sha, "protobuf")
              .addRaw("python/google/__init__.py", a, ea, sha, "googleapis-common-protos")
              .write(dir.resolve("one.zip"));
      ZipResult two =
          new ReproducibleZipWriter()
              .addRaw("python/google/__init__.py", a, ea, sha, "googleapis-common-protos")
              .addRaw("python/google/__init__.py", b, eb, sha, "protobuf")
              .write(dir.resolve("two.zip"));
      assertThat(one.sha256Hex()).isEqualTo(two.sha256Hex());
      assertThat(one.mergedDuplicates())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.path()).isEqualTo("python/google/__init__.py");
                assertThat(m.keptSource()).isEqualTo("googleapis-common-protos");
                assertThat(m.sources()).containsExactly("googleapis-common-protos", "protobuf");
              });
      try (ZipArchive layer = ZipArchive.open(one.file(), ZipLimits.lambda())) {
        // The kept copy is the STORED one from the source that sorts first.
        assertThat(layer.entry("python/google/__init__.py").orElseThrow().method()).isZero();
      }
    }
  }

  @Test
  void add_refusesPathsThatAreNotNormalized() {
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    for (String bad :
        List.of("", "/abs", "a//b", "./a", "a/", "a/../b", "a\\b", "a\0b", "C:/x", "a/./b")) {
      assertThatThrownBy(() -> writer.addBytes(bad, new byte[0], false, "s"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("path '");
    }
  }

  @Test
  void add_refusesADigestThatIsNotLowercaseHexSha256() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    String good = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"; // sha256("x")
    for (String bad :
        List.of(
            "",
            good.substring(1),
            good + "0",
            good.toUpperCase(java.util.Locale.ROOT),
            good.substring(0, 63) + "g",
            good.substring(0, 63) + "/")) {
      assertThatThrownBy(() -> writer.addFile("f.txt", file, bad, 1, false, "s"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a lowercase hex sha256");
    }
    writer.addFile("f.txt", file, good, 1, false, "s");
  }

  @Test
  void write_replacesAnExistingTargetAndLeavesNoTempFiles() throws Exception {
    Path target = dir.resolve("out").resolve("layer.zip");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "old");
    ZipResult result =
        new ReproducibleZipWriter().addBytes("a.txt", "x".getBytes(), false, "s").write(target);
    assertThat(result.file()).isEqualTo(target.toAbsolutePath());
    try (var files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("layer.zip");
    }
    assertThat(Files.getPosixFilePermissions(target).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE, GROUP_READ, OTHERS_READ]");
  }

  @Test
  void write_emptyLayerIsAValidZip() throws Exception {
    ZipResult result = new ReproducibleZipWriter().write(dir.resolve("empty.zip"));
    assertThat(result.entryCount()).isZero();
    assertThat(Files.size(result.file())).isEqualTo(22);
    try (ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      assertThat(archive.entries()).isEmpty();
    }
  }

  // ---- round trips with other readers ----

  @Test
  void write_outputReadsBackWithJavaZipFile() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 0);
    try (ZipFile zip = new ZipFile(result.file().toFile(), StandardCharsets.UTF_8);
        ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .containsExactlyElementsOf(archive.entries().stream().map(ZipEntryInfo::name).toList());
      for (ZipEntryInfo info : archive.entries()) {
        ZipEntry entry = zip.getEntry(info.name());
        assertThat(entry.getExtra()).as(info.name()).isNull();
        assertThat(entry.getComment()).isNull();
        try (InputStream in = zip.getInputStream(entry)) {
          assertThat(sha256(in.readAllBytes())).isEqualTo(archive.digest(info).sha256Hex());
        }
      }
      assertThat(zip.getComment()).isNull();
    }
  }

  static final String PYTHON_CHECK =
      """
      import hashlib, json, sys, zipfile
      z = zipfile.ZipFile(sys.stdin.readline().strip())
      bad = z.testzip()
      listing = b"".join(
          i.filename.encode() + b"\\0" + oct(i.external_attr >> 16)[2:].encode() + b"\\0"
          + hashlib.sha256(z.read(i)).hexdigest().encode() + b"\\n"
          for i in z.infolist())
      out = {"bad": bad, "comment": z.comment.decode(),
             "content_digest": hashlib.sha256(listing).hexdigest(), "entries": []}
      for i in z.infolist():
          out["entries"].append({
              "name": i.filename, "mode": oct(i.external_attr >> 16), "dos": i.external_attr & 0xffff,
              "date_time": list(i.date_time), "system": i.create_system, "flags": i.flag_bits,
              "extra": i.extra.hex(), "method": i.compress_type, "size": i.file_size})
      print(json.dumps(out))
      """;

  @Test
  void write_outputPassesPythonZipfileAndUnzip() throws Exception {
    ZipResult result = ReproducibilityFixture.build(dir.resolve("w"), dir.resolve("l.zip"), 0);
    String json = Python.of("3.11").script(PYTHON_CHECK, result.file() + "\n");
    assertThat(json).contains("\"bad\": null").contains("\"comment\": \"\"");
    assertThat(json).contains("\"content_digest\": \"" + GOLDEN_CONTENT_DIGEST + "\"");
    assertThat(json)
        .contains(
            "{\"name\": \"bin/\", \"mode\": \"0o40755\", \"dos\": 16, \"date_time\": [1980, 1, 1, 0,"
                + " 0, 0], \"system\": 3, \"flags\": 2048, \"extra\": \"\", \"method\": 0,"
                + " \"size\": 0}")
        .contains(
            "{\"name\": \"bin/tool\", \"mode\": \"0o100755\", \"dos\": 0, \"date_time\": [1980,"
                + " 1, 1, 0, 0, 0], \"system\": 3, \"flags\": 2048, \"extra\": \"\", \"method\":"
                + " 8, \"size\": 4}")
        .contains(
            "{\"name\": \"python/pkg/donn\\u00e9es-\\u00e9.txt\", \"mode\": \"0o100644\", \"dos\":"
                + " 0, \"date_time\": [1980, 1, 1, 0, 0, 0], \"system\": 3, \"flags\": 2048,"
                + " \"extra\": \"\", \"method\": 0, \"size\": 13}");
    assertThat(json.split("\"name\"")).hasSize(14);
    Python.Result unzip =
        Python.exec(List.of("unzip", "-t", result.file().toString()), null, Map.of(), 60);
    assertThat(unzip.code()).as(unzip.stdout() + unzip.stderr()).isZero();
    assertThat(unzip.stdout()).contains("No errors detected").contains("testing: bin/tool");
  }

  // ---- ZIP64 ----

  @Test
  void write_usesZip64ForMoreThan65534Entries() throws Exception {
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    int files = 70_000;
    for (int i = 0; i < files; i++) {
      writer.addBytes(String.format("d%02d/f%05d", i % 100, i), new byte[] {(byte) i}, false, "s");
    }
    ZipResult result = writer.write(dir.resolve("many.zip"));
    assertThat(result.entryCount()).isEqualTo(files + 100);
    try (ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      assertThat(archive.entries()).hasSize(files + 100);
      assertThat(archive.readAllBytes(archive.entry("d07/f00007").orElseThrow(), 1))
          .containsExactly(7);
    }
    try (ZipFile zip = new ZipFile(result.file().toFile())) {
      assertThat(zip.size()).isEqualTo(files + 100);
    }
    String count =
        Python.of("3.11")
            .script(
                "import sys, zipfile\n"
                    + "z = zipfile.ZipFile(sys.stdin.readline().strip())\n"
                    + "print(len(z.infolist()), z.testzip())",
                result.file() + "\n");
    assertThat(count.strip()).isEqualTo((files + 100) + " None");
    byte[] bytes = Files.readAllBytes(result.file());
    assertThat(ZipArchive.u32(bytes, bytes.length - 22 - 20))
        .isEqualTo(ZipArchive.ZIP64_LOCATOR_SIG);
  }

  @Test
  void write_zip64FieldsReadBackEverywhere() throws Exception {
    // Thresholds lowered so that every size and offset takes the ZIP64 path.
    Path wheel = ReproducibilityFixture.sourceWheel(dir);
    ZipResult result;
    try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda())) {
      ReproducibleZipWriter writer = new ReproducibleZipWriter(0, 0);
      for (ZipEntryInfo e : archive.entries()) {
        if (!e.isDirectory()) {
          writer.addRaw("python/" + e.path(), archive, e, archive.digest(e).sha256Hex(), "pkg");
        }
      }
      writer.addBytes("python/gen.txt", "generated\n".getBytes(), false, "gen");
      result = writer.write(dir.resolve("z64.zip"));
    }
    try (ZipArchive archive = ZipArchive.open(result.file(), ZipLimits.lambda())) {
      assertThat(archive.readAllBytes(archive.entry("python/pkg/hello.py").orElseThrow(), 1000))
          .isEqualTo(ReproducibilityFixture.MODULE_TEXT);
      assertThat(archive.readAllBytes(archive.entry("python/gen.txt").orElseThrow(), 100))
          .isEqualTo("generated\n".getBytes());
    }
    try (ZipFile zip = new ZipFile(result.file().toFile())) {
      try (InputStream in = zip.getInputStream(zip.getEntry("python/pkg/hello.py"))) {
        assertThat(in.readAllBytes()).isEqualTo(ReproducibilityFixture.MODULE_TEXT);
      }
    }
    String json = Python.of("3.11").script(PYTHON_CHECK, result.file() + "\n");
    assertThat(json).contains("\"bad\": null").contains("\"name\": \"python/gen.txt\"");
    Python.Result unzip =
        Python.exec(List.of("unzip", "-t", result.file().toString()), null, Map.of(), 60);
    assertThat(unzip.code()).as(unzip.stdout() + unzip.stderr()).isZero();
  }

  // ---- compressed bytes, whole files, writing without a rename ----

  @Test
  void addCompressed_isDeflatedDeterministicallyAndReadsBack() throws Exception {
    byte[] text = "module.exports = 42;\n".repeat(500).getBytes(StandardCharsets.UTF_8);
    byte[] tiny = "x".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("big.jar");
    byte[] fileBytes = "PK not really a jar ".repeat(50).getBytes(StandardCharsets.UTF_8);
    Files.write(file, fileBytes);
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    writer.addCompressed("nodejs/node_modules/a/index.js", text, false, "a");
    writer.addCompressed("nodejs/node_modules/a/tiny.js", tiny, true, "a");
    writer.addFile("java/lib/big.jar", file, sha256(fileBytes), fileBytes.length, false, "big");
    ZipResult first = writer.write(dir.resolve("c.zip"));
    Path temp = dir.resolve(".c2.zip.part");
    ZipResult second = writer.writeTo(temp, dir.resolve("c2.zip"));
    assertThat(second.file()).isEqualTo(dir.resolve("c2.zip").toAbsolutePath());
    assertThat(Files.exists(dir.resolve("c2.zip"))).as("writeTo does not move").isFalse();
    assertThat(second.sha256Hex()).isEqualTo(first.sha256Hex());
    assertThat(Files.readAllBytes(temp)).isEqualTo(Files.readAllBytes(first.file()));
    try (ZipFile zip = new ZipFile(first.file().toFile())) {
      ZipEntry js = zip.getEntry("nodejs/node_modules/a/index.js");
      assertThat(js.getMethod()).isEqualTo(ZipEntry.DEFLATED);
      assertThat(js.getCompressedSize()).isLessThan(text.length / 10);
      try (InputStream in = zip.getInputStream(js)) {
        assertThat(in.readAllBytes()).isEqualTo(text);
      }
      assertThat(zip.getEntry("nodejs/node_modules/a/tiny.js").getMethod())
          .as("not worth compressing: stored")
          .isEqualTo(ZipEntry.STORED);
      try (InputStream in = zip.getInputStream(zip.getEntry("java/lib/big.jar"))) {
        assertThat(in.readAllBytes()).isEqualTo(fileBytes);
      }
    }
    try (ZipArchive strict = ZipArchive.open(first.file(), ZipLimits.lambda())) {
      for (ZipEntryInfo e : strict.entries()) {
        if (!e.isDirectory()) {
          strict.digest(e);
        }
      }
    }
    Files.write(file, "changed".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () ->
                new ReproducibleZipWriter()
                    .addFile("a.jar", file, sha256(fileBytes), fileBytes.length, false, "x"))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("expected");
  }
}
