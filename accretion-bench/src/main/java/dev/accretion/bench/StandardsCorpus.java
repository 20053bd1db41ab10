package dev.accretion.bench;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.SimplePageParser;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.Marker;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.tags.PythonTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The inputs of the packaging-standards benchmarks, as {@code bench/standards.py corpus DIR}
 * extracts them from the machine's local wheel mirror: {@code versions.txt}, {@code
 * specifiers.txt}, {@code contains.txt} (pairs of line numbers: specifier set, version), {@code
 * requires-dist.txt}, {@code markers.txt}, {@code metadata/*.METADATA} and {@code pages.tsv} with
 * {@code pages/*.html} and their PEP 691 renditions {@code pages/*.json}. Everything is read into
 * memory once; the Python peer reads the same files.
 *
 * <p>{@link #main} checks that every input parses, writes the marker environment both sides
 * evaluate against ({@code environment.json}, Lambda python3.11 on x86_64 from the runtime matrix),
 * the time of a first pass of each benchmark in that fresh JVM ({@code java-first-pass.json}), and
 * the answers Java computes ({@code java-answers.json}), which the report compares with Python's.
 *
 * <p>Instances are not modified after {@link #load}; the lists are unmodifiable.
 */
public final class StandardsCorpus {
  /** The system property, else environment variable, that names the corpus folder. */
  public static final String PROPERTY = "accretion.bench.corpus";

  public static final String ENVIRONMENT_VARIABLE = "ACCRETION_BENCH_CORPUS";

  /** One project page in both renditions. */
  public record Page(URI pageUrl, URI index, byte[] html, byte[] json) {}

  public final List<String> versionTexts;
  public final List<String> specifierTexts;
  public final List<String> requirementTexts;
  public final List<String> markerTexts;

  /** {@code contains.txt}: indexes into {@link #specifierTexts} and {@link #versionTexts}. */
  public final int[] containsSpecifier;

  public final int[] containsVersion;

  public final List<byte[]> metadata;
  public final List<Page> pages;
  public final MarkerEnvironment environment;

  private StandardsCorpus(
      List<String> versionTexts,
      List<String> specifierTexts,
      List<String> requirementTexts,
      List<String> markerTexts,
      int[] containsSpecifier,
      int[] containsVersion,
      List<byte[]> metadata,
      List<Page> pages,
      MarkerEnvironment environment) {
    this.versionTexts = versionTexts;
    this.specifierTexts = specifierTexts;
    this.requirementTexts = requirementTexts;
    this.markerTexts = markerTexts;
    this.containsSpecifier = containsSpecifier;
    this.containsVersion = containsVersion;
    this.metadata = metadata;
    this.pages = pages;
    this.environment = environment;
  }

  /**
   * The corpus folder named by the system property {@value #PROPERTY} or the environment variable
   * {@value #ENVIRONMENT_VARIABLE}.
   *
   * @throws IllegalStateException if neither is set
   */
  public static Path locate() {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(ENVIRONMENT_VARIABLE);
    }
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(
          "no benchmark corpus: set -D"
              + PROPERTY
              + " or "
              + ENVIRONMENT_VARIABLE
              + " to a folder made by `bench/standards.py corpus DIR` (bench/standards.sh does"
              + " both)");
    }
    return Path.of(dir);
  }

  /** The marker environment of Lambda python3.11 on x86_64, from the runtime matrix. */
  public static MarkerEnvironment lambdaPython311() throws AccretionException {
    return MarkerEnvironment.of(
        PythonTarget.of(RuntimeMatrix.load().target("python3.11", "x86_64")).markerEnvironment());
  }

  /**
   * Reads a corpus folder.
   *
   * @throws IOException if a file is missing or unreadable
   * @throws AccretionException if the runtime matrix lacks python3.11 on x86_64
   */
  public static StandardsCorpus load(Path dir) throws IOException, AccretionException {
    if (!Files.isRegularFile(dir.resolve("versions.txt"))) {
      throw new IOException(
          dir
              + " is not a benchmark corpus (no versions.txt); make one with"
              + " `python3.11 bench/standards.py corpus "
              + dir
              + "`");
    }
    List<String> pairs = lines(dir.resolve("contains.txt"));
    int[] specifier = new int[pairs.size()];
    int[] version = new int[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      String[] parts = pairs.get(i).split(" ");
      specifier[i] = Integer.parseInt(parts[0]);
      version[i] = Integer.parseInt(parts[1]);
    }
    List<byte[]> metadata = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("metadata"))) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".METADATA")).sorted().toList()) {
        metadata.add(Files.readAllBytes(file));
      }
    }
    List<Page> pages = new ArrayList<>();
    for (String line : lines(dir.resolve("pages.tsv"))) {
      String[] parts = line.split("\t");
      Path stem = dir.resolve("pages").resolve(parts[0]);
      pages.add(
          new Page(
              URI.create(parts[1]),
              URI.create(parts[2]),
              Files.readAllBytes(Path.of(stem + ".html")),
              Files.readAllBytes(Path.of(stem + ".json"))));
    }
    return new StandardsCorpus(
        lines(dir.resolve("versions.txt")),
        lines(dir.resolve("specifiers.txt")),
        lines(dir.resolve("requires-dist.txt")),
        lines(dir.resolve("markers.txt")),
        specifier,
        version,
        List.copyOf(metadata),
        List.copyOf(pages),
        lambdaPython311());
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isEmpty())
        .toList();
  }

  /**
   * What Java computes over the corpus, under the names the Python peer uses for the same
   * quantities: counts, and SHA-256 digests of the normalized text of every parsed value (one per
   * line, UTF-8).
   *
   * @throws ParseException if an input does not parse
   */
  public Map<String, Object> answers() throws ParseException {
    StandardsBench bench = new StandardsBench();
    bench.prepare(this);
    Map<String, Object> out = new LinkedHashMap<>();
    List<Version> versions = new ArrayList<>();
    for (String text : versionTexts) {
      versions.add(Version.parse(text));
    }
    out.put("versions", versions.size());
    out.put("versionsDigest", digest(versions));
    out.put("sortedDigest", digest(bench.versionSort()));
    out.put("compareLess", bench.versionCompare());
    List<SpecifierSet> specifiers = new ArrayList<>();
    for (String text : specifierTexts) {
      specifiers.add(SpecifierSet.parse(text));
    }
    out.put("specifiers", specifiers.size());
    out.put("specifiersDigest", digest(specifiers));
    out.put("containsPairs", containsSpecifier.length);
    out.put("containsTrue", bench.specifierContains());
    List<Requirement> requirements = new ArrayList<>();
    for (String text : requirementTexts) {
      requirements.add(Requirement.parse(text));
    }
    out.put("requirements", requirements.size());
    out.put("requirementsDigest", digest(requirements));
    out.put("markers", markerTexts.size());
    out.put("markersTrue", bench.markerEvaluate());
    int requiresDist = 0;
    List<String> names = new ArrayList<>();
    for (byte[] bytes : metadata) {
      CoreMetadata parsed = CoreMetadata.parse(bytes);
      requiresDist += parsed.requiresDist().size();
      names.add(parsed.name());
    }
    out.put("metadata", metadata.size());
    out.put("metadataRequiresDist", requiresDist);
    out.put("metadataNamesDigest", digest(names));
    out.put("pages", pages.size());
    int html = 0;
    int json = 0;
    for (Page page : pages) {
      List<IndexFile> fromHtml =
          SimplePageParser.parse(page.html(), null, page.pageUrl(), page.index());
      List<IndexFile> fromJson =
          SimplePageParser.parse(
              page.json(), SimplePageParser.JSON_V1, page.pageUrl(), page.index());
      if (!fromHtml.equals(fromJson)) {
        throw new IllegalStateException(
            "the JSON rendition of " + page.pageUrl() + " gives other files than its HTML");
      }
      html += fromHtml.size();
      json += fromJson.size();
    }
    out.put("htmlFiles", html);
    out.put("jsonFiles", json);
    return out;
  }

  /**
   * One pass of each benchmark's work, in a fresh JVM, each timed once (µs): what a short command
   * pays before the JIT compiler has caught up. Runs in the benchmarks' order, each pass producing
   * the parsed inputs of the later ones (marker parsing is done, untimed, before marker
   * evaluation); the Python peer times its first passes the same way.
   *
   * @throws ParseException if an input does not parse
   */
  public Map<String, Object> firstPassMicros() throws ParseException {
    Map<String, Object> out = new LinkedHashMap<>();
    long start = System.nanoTime();
    List<Version> versions = new ArrayList<>();
    for (String text : versionTexts) {
      versions.add(Version.parse(text));
    }
    start = lap(out, "versionParse", start);
    List<Version> sorted = new ArrayList<>(versions);
    sorted.sort(null);
    start = lap(out, "versionSort", start);
    int less = 0;
    for (int i = 0; i + 1 < versions.size(); i++) {
      if (versions.get(i).compareTo(versions.get(i + 1)) < 0) {
        less++;
      }
    }
    start = lap(out, "versionCompare", start);
    List<SpecifierSet> sets = new ArrayList<>();
    for (String text : specifierTexts) {
      sets.add(SpecifierSet.parse(text));
    }
    start = lap(out, "specifierParse", start);
    int holds = 0;
    for (int i = 0; i < containsSpecifier.length; i++) {
      if (sets.get(containsSpecifier[i]).contains(versions.get(containsVersion[i]))) {
        holds++;
      }
    }
    start = lap(out, "specifierContains", start);
    List<Requirement> requirements = new ArrayList<>();
    for (String text : requirementTexts) {
      requirements.add(Requirement.parse(text));
    }
    lap(out, "requirementParse", start);
    List<Marker> markers = new ArrayList<>();
    for (String text : markerTexts) {
      markers.add(Marker.parse(text));
    }
    start = System.nanoTime();
    int markersTrue = 0;
    for (Marker marker : markers) {
      if (marker.evaluate(environment)) {
        markersTrue++;
      }
    }
    start = lap(out, "markerEvaluate", start);
    List<CoreMetadata> parsed = new ArrayList<>();
    for (byte[] bytes : metadata) {
      parsed.add(CoreMetadata.parse(bytes));
    }
    start = lap(out, "metadataParse", start);
    int files = 0;
    for (Page page : pages) {
      files += SimplePageParser.parse(page.html(), null, page.pageUrl(), page.index()).size();
    }
    start = lap(out, "pageParseHtml", start);
    for (Page page : pages) {
      files +=
          SimplePageParser.parse(
                  page.json(), SimplePageParser.JSON_V1, page.pageUrl(), page.index())
              .size();
    }
    lap(out, "pageParseJson", start);
    // Use every result, so that none of the passes is work thrown away.
    out.put(
        "results",
        sorted.size() + less + holds + requirements.size() + markersTrue + parsed.size() + files);
    return out;
  }

  private static long lap(Map<String, Object> out, String name, long start) {
    long now = System.nanoTime();
    out.put(name, (now - start) / 1000.0);
    return System.nanoTime();
  }

  static String digest(List<?> values) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (Object value : values) {
      sha256.update((value + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** A flat JSON object of strings and numbers. */
  static String json(Map<String, ?> values) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      if (out.length() > 1) {
        out.append(",");
      }
      out.append("\n \"").append(escape(entry.getKey())).append("\": ");
      Object value = entry.getValue();
      if (value instanceof Number) {
        out.append(value);
      } else {
        out.append('"').append(escape(String.valueOf(value))).append('"');
      }
    }
    return out.append("\n}\n").toString();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * {@code StandardsCorpus DIR}: writes {@code DIR/environment.json}, {@code
   * DIR/java-first-pass.json} ({@link #firstPassMicros()}) and {@code DIR/java-answers.json}
   * ({@link #answers()}); exits with an exception if any input does not parse.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: StandardsCorpus CORPUS_DIR");
    }
    Path dir = Path.of(args[0]);
    Files.writeString(dir.resolve("environment.json"), json(lambdaPython311().values()));
    StandardsCorpus corpus = load(dir);
    Files.writeString(dir.resolve("java-first-pass.json"), json(corpus.firstPassMicros()));
    Files.writeString(dir.resolve("java-answers.json"), json(corpus.answers()));
  }
}
