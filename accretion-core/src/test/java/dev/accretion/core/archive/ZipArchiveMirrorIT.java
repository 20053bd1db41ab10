package dev.accretion.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict reader and the writer against the real wheels of the local mirror. */
class ZipArchiveMirrorIT {
  @TempDir Path dir;

  /** The same listing in Python: name, method, CRC, sizes and Unix mode per entry. */
  private static final String PYTHON_LISTING =
      """
      import hashlib, sys, zipfile
      for line in sys.stdin:
          path = line.rstrip("\\n")
          try:
              z = zipfile.ZipFile(path)
          except Exception as e:
              print(path + "\\tERROR " + repr(e)); continue
          text = "".join(
              "%s\\t%d\\t%08x\\t%d\\t%d\\t%o\\n" % (
                  i.filename, i.compress_type, i.CRC, i.compress_size, i.file_size,
                  (i.external_attr >> 16) if i.create_system in (3, 19) else 0)
              for i in z.infolist())
          print(path + "\\t" + hashlib.sha256(text.encode()).hexdigest())
      """;

  private static String listingDigest(ZipArchive archive) throws Exception {
    StringBuilder text = new StringBuilder();
    for (ZipEntryInfo e : archive.entries()) {
      text.append(e.name())
          .append('\t')
          .append(e.method())
          .append('\t')
          .append(String.format("%08x", e.crc32()))
          .append('\t')
          .append(e.compressedSize())
          .append('\t')
          .append(e.uncompressedSize())
          .append('\t')
          .append(Integer.toOctalString(e.unixMode()))
          .append('\n');
    }
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyMirrorWheelOpensStrictlyAndListsLikePythonZipfile() throws Exception {
    List<Path> wheels = MirrorWheels.all();
    StringBuilder stdin = new StringBuilder();
    for (Path wheel : wheels) {
      stdin.append(wheel).append('\n');
    }
    Map<String, String> python = new HashMap<>();
    for (String line : Python.of("3.11").script(PYTHON_LISTING, stdin.toString()).split("\n")) {
      int tab = line.lastIndexOf('\t');
      python.put(line.substring(0, tab), line.substring(tab + 1));
    }
    List<String> problems = new ArrayList<>();
    int entries = 0;
    for (Path wheel : wheels) {
      try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda())) {
        entries += archive.entries().size();
        String ours = listingDigest(archive);
        if (!ours.equals(python.get(wheel.toString()))) {
          problems.add(wheel + ": listing differs from Python's: " + python.get(wheel.toString()));
        }
      } catch (ArchiveException e) {
        problems.add("refused: " + e.getMessage());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(wheels).hasSizeGreaterThan(100);
    assertThat(entries).isGreaterThan(10_000);
  }

  /** Minimal CSV (RECORD files quote paths that hold commas). */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }

  /** Verifies every entry of {@code wheel} and checks it against the wheel's RECORD. */
  static Map<String, EntryDigest> verifyAgainstRecord(ZipArchive archive) throws Exception {
    Map<String, EntryDigest> digests = new LinkedHashMap<>();
    ZipEntryInfo record = null;
    for (ZipEntryInfo e : archive.entries()) {
      if (e.isDirectory()) {
        continue;
      }
      digests.put(e.path(), archive.digest(e));
      if (e.path().endsWith(".dist-info/RECORD")
          && e.path().indexOf('/') == e.path().lastIndexOf('/')) {
        record = e;
      }
    }
    assertThat(record).as("RECORD of " + archive.file()).isNotNull();
    String text = new String(archive.readAllBytes(record, 64 << 20), StandardCharsets.UTF_8);
    int checked = 0;
    for (List<String> row : csv(text)) {
      if (row.size() < 3 || row.get(1).isEmpty()) {
        continue;
      }
      EntryDigest digest = digests.get(row.get(0));
      assertThat(digest).as(archive.file() + " RECORD lists " + row.get(0)).isNotNull();
      assertThat(digest.recordHash()).as(row.get(0)).isEqualTo(row.get(1));
      assertThat(digest.size()).as(row.get(0)).isEqualTo(Long.parseLong(row.get(2)));
      checked++;
    }
    assertThat(checked).isEqualTo(digests.size() - 1);
    return digests;
  }

  @Test
  void realWheelsVerifyAgainstTheirRecord() throws Exception {
    List<Path> wheels = new ArrayList<>();
    for (String name :
        List.of("numpy-2.2.6-", "pandas-2.3.3-", "lxml-", "psycopg2_binary-", "pydantic_core-")) {
      wheels.add(MirrorWheels.named(name));
    }
    for (Path wheel : MirrorWheels.all()) {
      if (Files.size(wheel) < 256 << 10 && !wheels.contains(wheel)) {
        wheels.add(wheel);
      }
    }
    ZipLimits limits = ZipLimits.unlimited();
    long bytes = 0;
    for (Path wheel : wheels) {
      try (ZipArchive archive = ZipArchive.open(wheel, limits)) {
        for (EntryDigest d : verifyAgainstRecord(archive).values()) {
          bytes += d.size();
        }
      }
    }
    assertThat(wheels).hasSizeGreaterThan(50);
    assertThat(bytes).isEqualTo(limits.budget().used());
  }

  @Test
  void layerFromRealWheelsPassesPythonAndUnzip() throws Exception {
    List<Path> wheels =
        List.of(
            MirrorWheels.named("numpy-2.2.6-"),
            MirrorWheels.named("pandas-2.3.3-"),
            MirrorWheels.named("six-"),
            MirrorWheels.named("python_dateutil-"));
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    List<ZipArchive> open = new ArrayList<>();
    Map<String, String> expected = new HashMap<>();
    try {
      for (Path wheel : wheels) {
        ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda());
        open.add(archive);
        String source = wheel.getFileName().toString().split("-")[0];
        for (Map.Entry<String, EntryDigest> e : verifyAgainstRecord(archive).entrySet()) {
          ZipEntryInfo entry = archive.entry(e.getKey()).orElseThrow();
          writer.addRaw("python/" + e.getKey(), archive, entry, e.getValue().sha256Hex(), source);
          expected.put("python/" + e.getKey(), e.getValue().sha256Hex());
        }
      }
      ZipResult result = writer.write(dir.resolve("layer.zip"));
      try (ZipArchive layer = ZipArchive.open(result.file(), ZipLimits.lambda())) {
        Map<String, String> actual = new HashMap<>();
        for (ZipEntryInfo e : layer.entries()) {
          if (!e.isDirectory()) {
            actual.put(e.path(), layer.digest(e).sha256Hex());
          }
        }
        assertThat(actual).isEqualTo(expected);
      }
      String check =
          Python.of("3.11")
              .script(
                  "import sys, zipfile\n"
                      + "z = zipfile.ZipFile(sys.stdin.readline().strip())\n"
                      + "print(z.testzip(), len([i for i in z.infolist() if not i.is_dir()]))",
                  result.file() + "\n");
      assertThat(check.strip()).isEqualTo("None " + expected.size());
      Python.Result unzip =
          Python.exec(List.of("unzip", "-tq", result.file().toString()), null, Map.of(), 300);
      assertThat(unzip.code()).as(unzip.stdout() + unzip.stderr()).isZero();
      assertThat(unzip.stdout()).contains("No errors detected");
    } finally {
      for (ZipArchive archive : open) {
        archive.close();
      }
    }
  }

  @Test
  void recordCsvParserHandlesQuotedPaths() {
    assertThat(csv("a,b,1\n\"x,y.py\",sha256=z,2\r\nRECORD,,\n"))
        .containsExactly(
            List.of("a", "b", "1"), List.of("x,y.py", "sha256=z", "2"), List.of("RECORD", "", ""));
  }
}
