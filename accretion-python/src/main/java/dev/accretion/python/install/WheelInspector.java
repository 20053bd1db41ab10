package dev.accretion.python.install;

import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.EntryDigest;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfScanner;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.install.InspectedWheel.Scheme;
import dev.accretion.python.install.InspectedWheel.WheelFile;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.tags.WheelFilename;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a wheel and verifies everything about it that does not depend on the target, reading every
 * entry exactly once: the zip structure ({@link ZipArchive}'s checks: traversal, symlinks,
 * duplicates, header mismatches, bombs, CRC), then the wheel's own rules:
 *
 * <ul>
 *   <li>exactly one top-level {@code .dist-info} folder, named {@code <name>-<version>.dist-info}
 *       with the filename's name (PEP 503 normalized) and version (PEP 440 equal), holding WHEEL,
 *       METADATA and RECORD;
 *   <li>{@code Wheel-Version} major 1 (the wheel specification: an installer must refuse a major
 *       version it does not know);
 *   <li>METADATA's {@code Name} and {@code Version} equal to the filename's;
 *   <li>{@code __pycache__} entries are verified like any file but never installed ({@link
 *       WheelInstaller} leaves them out with a note). The issue asked for refusing them, but real
 *       wheels ship them by mistake (every numpy 1.26 to 2.3 wheel for CPython 3.11 on the mirror
 *       holds {@code numpy/distutils/__pycache__/conv_template.cpython-311.pyc}), and the danger
 *       they carry, byte code that is loaded instead of the source it claims to come from, is gone
 *       once they are not installed;
 *   <li>{@code .data/<key>/...} only with the scheme keys {@code purelib}, {@code platlib}, {@code
 *       scripts}, {@code headers}, {@code data};
 *   <li>RECORD true: every file listed once, with a sha256 (or sha384/sha512) hash and size equal
 *       to the inflated content; no rows for files that are not there. Files not listed in RECORD
 *       count as a mismatch too (RECORD is the wheel's own inventory; an unlisted file was added
 *       after the wheel was built). Only RECORD itself and its signatures ({@code RECORD.jws},
 *       {@code RECORD.p7s}) are exempt. A mismatch is an error, or with {@code allowBadRecord} a
 *       warning kept in {@link InspectedWheel#recordWarnings()}.
 * </ul>
 *
 * Every file is passed through an {@link ElfScanner} while it is verified, so the ELF facts of
 * every native library come without a second read. Thread-safe (stateless); wheels may be inspected
 * in parallel.
 */
public final class WheelInspector {
  static final Set<String> DATA_KEYS = Set.of("purelib", "platlib", "scripts", "headers", "data");
  private static final int MAX_SMALL_FILE = 16 << 20;
  private static final int MAX_LISTED_PROBLEMS = 10;
  private static final String HOSTILE =
      "the wheel is damaged or was built wrongly: do not install it; download it again or report"
          + " it to the package's publisher";

  private WheelInspector() {}

  /**
   * Opens and inspects the wheel at {@code file}. On success the returned wheel holds the open
   * archive; on failure it is closed.
   *
   * @param file where the wheel's bytes are (for example a cache blob)
   * @param filename the wheel's file name as the index lists it
   * @param limits the build's limits (one shared budget for every wheel of a build)
   * @param allowBadRecord downgrade RECORD mismatches to warnings
   * @throws InvalidWheelException when the wheel breaks any rule above (the message names the wheel
   *     and the entry)
   */
  public static InspectedWheel inspect(
      Path file, WheelFilename filename, ZipLimits limits, boolean allowBadRecord)
      throws InvalidWheelException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(limits, "limits");
    String wheel = filename.filename();
    ZipArchive archive;
    try {
      archive = ZipArchive.open(file, limits);
    } catch (ArchiveException e) {
      throw wrap(wheel, e);
    }
    try {
      return new Inspection(archive, filename, allowBadRecord).run();
    } catch (InvalidWheelException | RuntimeException | Error e) {
      archive.close();
      throw e;
    }
  }

  /**
   * Inspects a wheel already opened (for example to check declared sizes first). The archive stays
   * open either way; the caller closes it.
   *
   * @throws InvalidWheelException when the wheel breaks any rule above
   */
  public static InspectedWheel inspect(
      ZipArchive archive, WheelFilename filename, boolean allowBadRecord)
      throws InvalidWheelException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(filename, "filename");
    return new Inspection(archive, filename, allowBadRecord).run();
  }

  static InvalidWheelException wrap(String wheel, ArchiveException e) {
    String problem = e.problem();
    String message = e.getMessage();
    int at = message.indexOf(problem);
    String advice =
        at >= 0 && message.length() > at + problem.length() + 2
            ? message.substring(at + problem.length() + 2)
            : HOSTILE;
    return new InvalidWheelException(wheel, e.entry(), problem, advice, e);
  }

  /** One inspection's state. */
  private static final class Inspection {
    private final ZipArchive archive;
    private final WheelFilename filename;
    private final String wheel;
    private final boolean allowBadRecord;

    Inspection(ZipArchive archive, WheelFilename filename, boolean allowBadRecord) {
      this.archive = archive;
      this.filename = filename;
      this.wheel = filename.filename();
      this.allowBadRecord = allowBadRecord;
    }

    InspectedWheel run() throws InvalidWheelException {
      List<ZipEntryInfo> files = new ArrayList<>();
      Set<String> infoDirs = new TreeSet<>();
      for (ZipEntryInfo e : archive.entries()) {
        String first = firstSegment(e.path());
        if (first.endsWith(".dist-info")) {
          infoDirs.add(first);
        }
        if (!e.isDirectory()) {
          files.add(e);
        }
      }
      if (infoDirs.isEmpty()) {
        throw new InvalidWheelException(
            wheel, null, "has no .dist-info folder, so it is not a valid wheel", HOSTILE);
      }
      if (infoDirs.size() > 1) {
        throw new InvalidWheelException(
            wheel,
            null,
            "has "
                + infoDirs.size()
                + " .dist-info folders "
                + infoDirs
                + "; a wheel has exactly one",
            HOSTILE);
      }
      String distInfo = infoDirs.iterator().next();
      PackageName name = filename.name();
      Version version = parseVersion(filename.version(), "the filename's version");
      checkDistInfoName(distInfo, name, version);
      byte[] wheelBytes = required(distInfo + "/WHEEL");
      checkWheelVersion(distInfo, text(wheelBytes, distInfo + "/WHEEL"));
      byte[] metadataBytes = required(distInfo + "/METADATA");
      CoreMetadata metadata;
      try {
        metadata = CoreMetadata.parse(metadataBytes);
      } catch (ParseException e) {
        throw new InvalidWheelException(
            wheel,
            distInfo + "/METADATA",
            "is not valid core metadata: " + e.getMessage(),
            HOSTILE);
      }
      if (!PackageName.normalize(metadata.name()).equals(name.normalized())) {
        throw new InvalidWheelException(
            wheel,
            distInfo + "/METADATA",
            "says Name: "
                + metadata.name()
                + ", but the filename says "
                + name.display()
                + "; the wheel is not what its name claims",
            HOSTILE);
      }
      Version metadataVersion = parseVersion(metadata.version(), "METADATA's Version");
      if (!metadataVersion.equals(version)) {
        throw new InvalidWheelException(
            wheel,
            distInfo + "/METADATA",
            "says Version: "
                + metadata.version()
                + ", but the filename says "
                + filename.version()
                + "; the wheel is not what its name claims",
            HOSTILE);
      }
      String recordPath = distInfo + "/RECORD";
      byte[] recordBytes = required(recordPath);
      RecordFile record;
      try {
        record = RecordFile.parse(text(recordBytes, recordPath), recordPath);
      } catch (ParseException e) {
        throw new InvalidWheelException(
            wheel, recordPath, "cannot be read: " + e.getMessage(), HOSTILE);
      }
      List<String> problems = new ArrayList<>();
      Map<String, RecordFile.Row> rows = indexRecord(record, problems, recordPath);
      List<WheelFile> out = new ArrayList<>(files.size());
      for (ZipEntryInfo entry : files) {
        out.add(inspect(entry, distInfo, recordPath, rows, problems));
      }
      for (RecordFile.Row row : rows.values()) {
        problems.add(
            "RECORD line " + row.line() + " lists '" + row.path() + "', which is not in the wheel");
      }
      List<String> warnings = new ArrayList<>();
      if (!problems.isEmpty()) {
        String summary = summarize(problems);
        if (!allowBadRecord) {
          throw new InvalidWheelException(
              wheel,
              recordPath,
              "does not match the wheel's content: " + summary,
              "the wheel was altered after it was built, or built wrongly: download it again or"
                  + " report it to the package's publisher (--allow-bad-record installs it anyway,"
                  + " with a warning kept in the manifest)");
        }
        warnings.add(wheel + ": RECORD does not match the content (installed anyway): " + summary);
      }
      return new InspectedWheel(
          archive, filename, name, version, metadata, distInfo, out, warnings);
    }

    private WheelFile inspect(
        ZipEntryInfo entry,
        String distInfo,
        String recordPath,
        Map<String, RecordFile.Row> rows,
        List<String> problems)
        throws InvalidWheelException {
      String path = entry.path();
      String first = firstSegment(path);
      Scheme scheme;
      String relative;
      if (first.equals(distInfo)) {
        scheme = Scheme.DIST_INFO;
        relative = path;
      } else if (first.endsWith(".data") && path.length() > first.length()) {
        String rest = path.substring(first.length() + 1);
        int slash = rest.indexOf('/');
        String key = slash < 0 ? rest : rest.substring(0, slash);
        if (slash < 0 || !DATA_KEYS.contains(key)) {
          throw new InvalidWheelException(
              wheel,
              entry.name(),
              "is in "
                  + first
                  + " but not under one of its scheme folders "
                  + new TreeSet<>(DATA_KEYS)
                  + " (the wheel specification allows only those)",
              HOSTILE);
        }
        scheme = Scheme.valueOf(key.toUpperCase(Locale.ROOT));
        relative = rest.substring(slash + 1);
      } else {
        scheme = Scheme.ROOT;
        relative = path;
      }
      RecordFile.Row row = rows.remove(path);
      boolean exempt =
          path.equals(recordPath)
              || path.equals(recordPath + ".jws")
              || path.equals(recordPath + ".p7s");
      MessageDigest other = null;
      String otherAlgorithm = null;
      if (row != null && !exempt) {
        int eq = row.hash().indexOf('=');
        String algorithm = eq < 0 ? "" : row.hash().substring(0, eq).toLowerCase(Locale.ROOT);
        if (algorithm.equals("sha384") || algorithm.equals("sha512")) {
          otherAlgorithm = algorithm;
          other = messageDigest(algorithm.equals("sha384") ? "SHA-384" : "SHA-512");
        }
      }
      ElfScanner scanner = new ElfScanner(wheel + "!" + path);
      OutputStream tap = other == null ? scanner : new FanOut(scanner, other);
      EntryDigest digest;
      try {
        digest = archive.digest(entry, tap);
      } catch (ArchiveException e) {
        throw wrap(wheel, e);
      } catch (ZipArchive.TapException e) {
        throw new IllegalStateException("an in-memory tap failed", e);
      }
      ElfInfo elf;
      try {
        elf = scanner.finish(() -> archive.open(entry)).orElse(null);
      } catch (ElfException e) {
        throw new InvalidWheelException(
            wheel,
            entry.name(),
            "looks like a native library but is not a valid ELF file: " + e.problem(),
            HOSTILE,
            e);
      }
      if (!exempt) {
        if (row == null) {
          problems.add("'" + path + "' is not listed in RECORD");
        } else {
          checkRow(row, digest, otherAlgorithm, other, problems);
        }
      }
      return new WheelFile(entry, scheme, relative, digest, elf);
    }

    private static void checkRow(
        RecordFile.Row row,
        EntryDigest digest,
        String otherAlgorithm,
        MessageDigest other,
        List<String> problems) {
      String where = "RECORD line " + row.line() + " ('" + row.path() + "')";
      String hash = row.hash();
      int eq = hash.indexOf('=');
      if (hash.isEmpty() || eq <= 0) {
        problems.add(where + " has no hash");
        return;
      }
      String algorithm = hash.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = hash.substring(eq + 1);
      String actual;
      if (algorithm.equals("sha256")) {
        actual = digest.recordHash().substring("sha256=".length());
      } else if (algorithm.equals(otherAlgorithm) && other != null) {
        actual = Base64.getUrlEncoder().withoutPadding().encodeToString(other.digest());
      } else if (algorithm.equals("md5") || algorithm.equals("sha1")) {
        problems.add(
            where
                + " uses "
                + algorithm
                + ", which the wheel specification forbids (sha256 or"
                + " stronger)");
        return;
      } else {
        problems.add(where + " uses the unsupported hash '" + algorithm + "'");
        return;
      }
      // Some tools pad the base64 text; the value is the same.
      String written = value.endsWith("=") ? value.replaceAll("=+$", "") : value;
      if (!written.equals(actual)) {
        problems.add(where + " says " + algorithm + "=" + value + " but the file has " + actual);
      }
      if (!row.size().isEmpty() && !row.size().equals(Long.toString(digest.size()))) {
        problems.add(
            where + " says size " + row.size() + " but the file has " + digest.size() + " bytes");
      }
    }

    private Map<String, RecordFile.Row> indexRecord(
        RecordFile record, List<String> problems, String recordPath) {
      Map<String, RecordFile.Row> rows = new LinkedHashMap<>();
      Map<String, Integer> firstLine = new HashMap<>();
      for (RecordFile.Row row : record.rows()) {
        String normalized = normalize(row.path());
        if (normalized == null) {
          problems.add(
              "RECORD line "
                  + row.line()
                  + " lists '"
                  + row.path()
                  + "', a path outside the wheel");
          continue;
        }
        if (normalized.endsWith("/")) {
          continue; // a directory row; some tools write them
        }
        Integer earlier = firstLine.putIfAbsent(normalized, row.line());
        if (earlier != null) {
          problems.add(
              "RECORD lists '"
                  + row.path()
                  + "' twice (lines "
                  + earlier
                  + " and "
                  + row.line()
                  + ")");
          continue;
        }
        rows.put(normalized, row);
      }
      return rows;
    }

    /** A RECORD path as the zip reader normalizes entry names; null if it leaves the wheel. */
    private static String normalize(String path) {
      if (path.startsWith("/") || path.contains("\\")) {
        return null;
      }
      StringBuilder out = new StringBuilder();
      String[] segments = path.split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.equals("..")) {
          return null;
        }
        if (s.isEmpty() || s.equals(".")) {
          if (i == segments.length - 1 && !out.isEmpty()) {
            out.append('/');
          }
          continue;
        }
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '/') {
          out.append('/');
        }
        out.append(s);
      }
      return out.toString();
    }

    private void checkDistInfoName(String distInfo, PackageName name, Version version)
        throws InvalidWheelException {
      String stem = distInfo.substring(0, distInfo.length() - ".dist-info".length());
      int dash = stem.indexOf('-');
      if (dash <= 0 || dash == stem.length() - 1) {
        throw new InvalidWheelException(
            wheel,
            distInfo,
            "is not named <name>-<version>.dist-info as the wheel specification requires",
            HOSTILE);
      }
      String infoName = stem.substring(0, dash);
      String infoVersion = stem.substring(dash + 1);
      if (!PackageName.normalize(infoName).equals(name.normalized())) {
        throw new InvalidWheelException(
            wheel,
            distInfo,
            "names the distribution '"
                + infoName
                + "', but the filename says '"
                + name.display()
                + "'; the wheel is not what its name claims",
            HOSTILE);
      }
      Version v = Version.tryParse(infoVersion).orElse(null);
      if (v == null || !v.equals(version)) {
        throw new InvalidWheelException(
            wheel,
            distInfo,
            "has version '"
                + infoVersion
                + "', but the filename says '"
                + filename.version()
                + "'; the wheel is not what its name claims",
            HOSTILE);
      }
    }

    private void checkWheelVersion(String distInfo, String text) throws InvalidWheelException {
      String value = null;
      for (String line : text.split("\r?\n|\r")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Wheel-Version")) {
          value = line.substring(colon + 1).strip();
          break;
        }
      }
      if (value == null) {
        throw new InvalidWheelException(
            wheel, distInfo + "/WHEEL", "has no Wheel-Version field", HOSTILE);
      }
      String major = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
      if (!major.equals("1")) {
        throw new InvalidWheelException(
            wheel,
            distInfo + "/WHEEL",
            "says Wheel-Version: "
                + value
                + "; only major version 1 is supported (the wheel specification requires"
                + " installers to refuse an unknown major version)",
            "use a release of the package built as a version 1 wheel, or a newer Accretion");
      }
    }

    private byte[] required(String path) throws InvalidWheelException {
      ZipEntryInfo entry =
          archive
              .entry(path)
              .orElseThrow(
                  () ->
                      new InvalidWheelException(
                          wheel, null, "has no " + path + ", which every wheel has", HOSTILE));
      if (entry.isDirectory()) {
        throw new InvalidWheelException(wheel, path, "is a folder, not a file", HOSTILE);
      }
      try {
        return archive.readAllBytes(entry, MAX_SMALL_FILE);
      } catch (ArchiveException e) {
        throw wrap(wheel, e);
      }
    }

    private String text(byte[] bytes, String path) throws InvalidWheelException {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new InvalidWheelException(wheel, path, "is not UTF-8 text", HOSTILE);
      }
    }

    private Version parseVersion(String text, String what) throws InvalidWheelException {
      try {
        return Version.parse(text);
      } catch (ParseException e) {
        throw new InvalidWheelException(
            wheel, null, what + " '" + text + "' is not a valid version", HOSTILE);
      }
    }
  }

  private static String summarize(List<String> problems) {
    int shown = Math.min(MAX_LISTED_PROBLEMS, problems.size());
    String text = String.join("; ", problems.subList(0, shown));
    if (problems.size() > shown) {
      text += "; and " + (problems.size() - shown) + " more";
    }
    return text;
  }

  static String firstSegment(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }

  /** Writes to an ELF scanner and a message digest. */
  private static final class FanOut extends OutputStream {
    private final ElfScanner scanner;
    private final MessageDigest digest;

    FanOut(ElfScanner scanner, MessageDigest digest) {
      this.scanner = scanner;
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      scanner.write(b);
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      scanner.write(b, off, len);
      digest.update(b, off, len);
    }
  }
}
