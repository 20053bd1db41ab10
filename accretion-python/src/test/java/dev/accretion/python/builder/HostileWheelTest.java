package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.pipeline.LayerTooLargeException;
import dev.accretion.python.install.InvalidWheelException;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check of issue 4's "Checks on the way", through a whole build: each broken or hostile wheel
 * is refused with an error naming the wheel (and the entry), and nothing is written outside the
 * cache and the output folder (where no layer appears).
 */
class HostileWheelTest {
  @TempDir Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FixtureIndex fx;

  private static TestWheel good() {
    return TestWheel.of("evil", "1.0").file("evil/__init__.py", "X = 1\n");
  }

  /** Builds {@code wheel} as the only requirement; returns the failure, checking side effects. */
  private Throwable refused(TestWheel wheel) throws Exception {
    return refused(wheel, false);
  }

  private int cases;

  private Throwable refused(TestWheel wheel, boolean allowBadRecord) throws Exception {
    String root = "case" + (++cases);
    fx = new FixtureIndex(temp.resolve(root));
    fx.add(wheel);
    Path listing = fx.listing(wheel.name + "\n");
    Set<String> before = tree(temp);
    TestRequest request =
        FixtureIndex.with(
            fx.request(listing, "python3.11/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            Slimming.none(),
            0,
            allowBadRecord,
            false);
    Throwable failure = catchThrowable(() -> fx.build(request));
    assertThat(failure).as("the build must fail").isInstanceOf(AccretionException.class);
    Set<String> after = tree(temp);
    after.removeAll(before);
    assertThat(after)
        .as("nothing written outside the cache and the output folder")
        .allMatch(
            p -> p.startsWith(root + "/cache") || p.startsWith(root + "/out"),
            "under cache/ or out/");
    assertThat(after).as("no layer written").noneMatch(p -> p.endsWith(".zip"));
    return failure;
  }

  private static Set<String> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void assertNames(Throwable failure, String wheel, String entry) {
    assertThat(failure).isInstanceOf(InvalidWheelException.class);
    InvalidWheelException e = (InvalidWheelException) failure;
    assertThat(e.wheel()).isEqualTo(wheel);
    assertThat(e.getMessage()).startsWith("wheel " + wheel + ":");
    if (entry != null) {
      assertThat(e.entry()).isEqualTo(entry);
    }
  }

  @Test
  void dotDotPath_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("../../escaped.py", "boom");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "../../escaped.py");
    assertThat(e).hasMessageContaining("'..'");
    assertThat(tree(temp)).noneMatch(p -> p.endsWith("escaped.py"));
  }

  @Test
  void absolutePath_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("/tmp/accretion-escaped.py", "boom");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "/tmp/accretion-escaped.py");
    assertThat(e).hasMessageContaining("absolute");
  }

  @Test
  void backslashPath_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("evil\\..\\..\\x.py", "boom");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil\\..\\..\\x.py");
    assertThat(e).hasMessageContaining("backslash");
  }

  @Test
  void nulAndControlCharacters_areRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("evil/a\u0000.py", "boom");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/a\u0000.py");
    assertThat(e.getMessage()).contains("\\x00").doesNotContain("\u0000");

    TestWheel bell = good();
    bell.tamper = z -> z.add("evil/a\u0007.py", "boom");
    assertThat(refused(bell).getMessage()).contains("\\x07");
  }

  @Test
  void symlinkEntry_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("evil/link", "/etc/passwd").unixMode = 0120777;
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/link");
    assertThat(e).hasMessageContaining("symbolic link");
  }

  @Test
  void duplicateEntries_areRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.add("evil/__init__.py", "X = 2\n");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/__init__.py");
    assertThat(e).hasMessageContaining("twice");
  }

  @Test
  void localHeaderDisagreeingWithCentralDirectory_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.entries.get(0).localName = "evil/__init__.pz";
    Throwable e = refused(w);
    assertNames(e, w.filename(), null);
    assertThat(e).hasMessageContaining("local header");
  }

  @Test
  void badCrc_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.entries.get(0).crc = 0x12345678L;
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/__init__.py");
    assertThat(e).hasMessageContaining("CRC");
  }

  @Test
  void sizesThatLie_areRefused() throws Exception {
    TestWheel w = good();
    w.file("evil/data.bin", new byte[100_000]);
    w.deflated.add("evil/data.bin");
    w.tamper =
        z -> {
          for (ZipBytes.Entry entry : z.entries) {
            if (entry.name.equals("evil/data.bin")) {
              entry.declaredSize = 1000L;
            }
          }
        };
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/data.bin");
    assertThat(e).hasMessageContaining("more than");
  }

  @Test
  void zipBombDeclaringItsSize_isRefusedBeforeInflating() throws Exception {
    TestWheel w = good();
    byte[] zeros = new byte[270_000_000];
    byte[] payload = ZipBytes.deflate(zeros);
    w.tamper =
        z -> {
          ZipBytes.Entry bomb = z.add("evil/bomb.bin", new byte[0]);
          bomb.method = 8;
          bomb.payload = payload;
          bomb.declaredSize = (long) zeros.length;
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(zeros);
          bomb.crc = crc.getValue();
        };
    Throwable e = refused(w);
    assertThat(e)
        .isInstanceOf(LayerTooLargeException.class)
        .hasMessageContaining("declares")
        .hasMessageContaining("evil 1.0");
  }

  @Test
  void zipBombHidingItsSize_isCaughtByCountingInflatedBytes() throws Exception {
    TestWheel w = good();
    byte[] zeros = new byte[20_000_000];
    byte[] payload = ZipBytes.deflate(zeros);
    w.tamper =
        z -> {
          ZipBytes.Entry bomb = z.add("evil/bomb.bin", new byte[0]);
          bomb.method = 8;
          bomb.payload = payload;
          bomb.declaredSize = 10L;
        };
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/bomb.bin");
    assertThat(e).hasMessageContaining("more than");
  }

  @Test
  void unsupportedCompression_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper =
        z -> {
          ZipBytes.Entry lzma = z.add("evil/lzma.bin", "data");
          lzma.method = 14;
          lzma.localMethod = 14;
        };
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/lzma.bin");
    assertThat(e).hasMessageContaining("compression");
  }

  @Test
  void encryptedEntry_isRefused() throws Exception {
    TestWheel w = good();
    w.tamper = z -> z.entries.get(0).flags |= 1;
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil/__init__.py");
    assertThat(e).hasMessageContaining("encrypt");
  }

  @Test
  void noDistInfo_isRefused() throws Exception {
    TestWheel w = good();
    w.writeMetadata = false;
    w.writeWheelFile = false;
    w.writeRecord = false;
    Throwable e = refused(w);
    assertNames(e, w.filename(), null);
    assertThat(e).hasMessageContaining("has no .dist-info folder");
  }

  @Test
  void severalDistInfo_areRefused() throws Exception {
    TestWheel w = good();
    w.file("other-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n");
    Throwable e = refused(w);
    assertNames(e, w.filename(), null);
    assertThat(e).hasMessageContaining("2 .dist-info folders");
  }

  @Test
  void distInfoNameOrVersionDifferingFromTheFilename_isRefused() throws Exception {
    TestWheel name = good();
    name.distInfo = "other-1.0.dist-info";
    Throwable e = refused(name);
    assertNames(e, name.filename(), "other-1.0.dist-info");
    assertThat(e).hasMessageContaining("names the distribution 'other'");

    TestWheel version = good();
    version.distInfo = "evil-2.0.dist-info";
    Throwable v = refused(version);
    assertNames(v, version.filename(), "evil-2.0.dist-info");
    assertThat(v).hasMessageContaining("has version '2.0'");
  }

  @Test
  void metadataNameOrVersionDifferingFromTheFilename_isRefused() throws Exception {
    TestWheel name = good();
    name.metadataName = "requests";
    Throwable e = refused(name);
    assertNames(e, name.filename(), "evil-1.0.dist-info/METADATA");
    assertThat(e).hasMessageContaining("says Name: requests");

    TestWheel version = good();
    version.metadataVersion = "1.1";
    Throwable v = refused(version);
    assertThat(v).hasMessageContaining("says Version: 1.1");
  }

  @Test
  void unsupportedWheelVersion_isRefused() throws Exception {
    TestWheel w = good();
    w.wheelVersion = "2.0";
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil-1.0.dist-info/WHEEL");
    assertThat(e).hasMessageContaining("Wheel-Version: 2.0");
  }

  @Test
  void unknownDataScheme_isRefused() throws Exception {
    TestWheel w = good();
    w.file("evil-1.0.data/etc/passwd", "x");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil-1.0.data/etc/passwd");
    assertThat(e).hasMessageContaining("scheme folders");
  }

  @Test
  void recordHashMismatch_isRefusedUnlessAllowedThenKeptAsWarning() throws Exception {
    TestWheel w = good();
    w.recordRows.put(
        "evil/__init__.py",
        "evil/__init__.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,6");
    Throwable e = refused(w);
    assertNames(e, w.filename(), "evil-1.0.dist-info/RECORD");
    assertThat(e)
        .hasMessageContaining("does not match")
        .hasMessageContaining("'evil/__init__.py'")
        .hasMessageContaining("--allow-bad-record");

    // allowed: built, and the warning travels inside the layer
    FixtureIndex allowed = new FixtureIndex(temp.resolve("allowed"));
    allowed.add(w);
    TestRequest request =
        FixtureIndex.with(
            allowed.request(allowed.listing("evil\n"), "python3.11/x86_64"),
            Layout.PYTHON,
            true,
            List.of(),
            Slimming.none(),
            0,
            true,
            false);
    BuiltArtifact a = allowed.build(request).artifacts().get(0);
    assertThat(a.warnings()).anySatisfy(x -> assertThat(x).contains("RECORD does not match"));
    JsonNode inside =
        JSON.readTree(PythonBuilderTest.entries(a.zip()).get("accretion/proj/manifest.json"));
    assertThat(inside.path("warnings").toString()).contains("RECORD does not match");
  }

  @Test
  void recordSizeMismatch_isRefused() throws Exception {
    TestWheel w = good();
    w.recordRows.put(
        "evil/__init__.py",
        "evil/__init__.py,sha256="
            + dev.accretion.testkit.WheelBuilder.urlsafeSha256("X = 1\n".getBytes())
            + ",7");
    assertThat(refused(w)).hasMessageContaining("says size 7 but the file has 6 bytes");
  }

  @Test
  void fileMissingFromRecord_isRefused() throws Exception {
    TestWheel w = good();
    w.unlisted.add("evil/__init__.py");
    assertThat(refused(w)).hasMessageContaining("'evil/__init__.py' is not listed in RECORD");
  }

  @Test
  void recordListingAFileThatIsNotThere_isRefused() throws Exception {
    TestWheel w = good();
    w.recordRows.put("evil/gone.py", "evil/gone.py,sha256=AAAA,1");
    assertThat(refused(w)).hasMessageContaining("lists 'evil/gone.py', which is not in the wheel");
  }

  @Test
  void missingRecord_isRefused() throws Exception {
    TestWheel w = good();
    w.writeRecord = false;
    Throwable e = refused(w);
    assertNames(e, w.filename(), null);
    assertThat(e).hasMessageContaining("has no evil-1.0.dist-info/RECORD");
  }

  @Test
  void downloadNotMatchingTheIndexHash_isRefused() throws Exception {
    fx = new FixtureIndex(temp);
    TestWheel w = good();
    fx.add(w);
    // The file changes after the index page recorded its hash.
    Path file = temp.resolve("index/files").resolve(w.filename());
    TestWheel altered = good().file("evil/more.py", "Y = 2\n");
    Files.write(file, altered.bytes());
    Path listing = fx.listing("evil\n");
    Throwable e = catchThrowable(() -> fx.build(fx.request(listing, "python3.11/x86_64")));
    assertThat(e)
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("wheel " + w.filename())
        .hasMessageContaining("but the index");
    assertThat(fx.out).doesNotExist();
  }

  @Test
  void pycacheEntries_areVerifiedButNeverInstalled() throws Exception {
    fx = new FixtureIndex(temp);
    TestWheel w = good().file("evil/__pycache__/__init__.cpython-311.pyc", "not the source");
    fx.add(w);
    BuiltArtifact a =
        fx.build(fx.request(fx.listing("evil\n"), "python3.11/x86_64")).artifacts().get(0);
    assertThat(PythonBuilderTest.entries(a.zip()).keySet())
        .noneMatch(p -> p.contains("__pycache__"));
    assertThat(a.notes())
        .anySatisfy(n -> assertThat(n).contains("left out 1 file(s) in __pycache__"));

    // ...and a tampered one still fails RECORD
    TestWheel tampered = good().file("evil/__pycache__/x.cpython-311.pyc", "x");
    tampered.unlisted.add("evil/__pycache__/x.cpython-311.pyc");
    assertThat(refused(tampered)).hasMessageContaining("__pycache__/x.cpython-311.pyc");
  }
}
