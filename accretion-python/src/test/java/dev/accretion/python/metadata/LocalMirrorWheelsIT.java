package dev.accretion.python.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.tags.WheelFilename;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Every wheel of the machine's local mirror, found the way pip finds it (the global pip
 * configuration's {@code file://} extra indexes and find-links folder, nothing hard-coded): each
 * filename parses with {@link WheelFilename#parse}, each {@code .dist-info/METADATA} parses with
 * {@link CoreMetadata#parse}, and both agree with Python's {@code packaging} field by field. None
 * is skipped: the count parsed is asserted to be the count found.
 */
class LocalMirrorWheelsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
  private static final Pattern CONFIG_LINE = Pattern.compile("^(\\S+?)='(.*)'$");
  private static final Pattern METADATA_ENTRY = Pattern.compile("[^/]+\\.dist-info/METADATA");

  private static final String ORACLE =
      """
      import json, sys, zipfile
      from packaging.metadata import parse_email
      from packaging.utils import parse_wheel_filename, canonicalize_name
      from packaging.version import Version
      FIELDS = ["metadata_version", "name", "version", "summary", "requires_dist",
                "requires_python", "provides_extra", "license", "license_expression",
                "license_files", "classifiers", "requires_external", "dynamic", "description",
                "description_content_type"]
      def norm(v):
          if isinstance(v, str):
              return v.replace("\\r\\n", "\\n").replace("\\r", "\\n")
          if isinstance(v, list):
              return [norm(x) for x in v]
          return v
      for line in sys.stdin:
          q = json.loads(line)
          name, version, build, tags = parse_wheel_filename(q["filename"])
          with zipfile.ZipFile(q["path"]) as z:
              raw, unparsed = parse_email(z.read(q["entry"]).decode("utf-8"))
          out = {"wheel": {"name": name, "build": [str(build[0]), build[1]] if build else None,
                           "tags": sorted(str(t) for t in tags)},
                 "metadata": {f: norm(raw.get(f)) for f in FIELDS},
                 "unparsed": sorted(unparsed),
                 "sameName": canonicalize_name(raw["name"].strip()) == name,
                 "sameVersion": Version(raw["version"]) == version}
          print(json.dumps(out))
      """;

  @Test
  void everyMirrorWheel_filenameAndMetadataParseAndAgreeWithPackaging() throws Exception {
    Python python = Python.of("3.11");
    Map<String, List<String>> config = pipConfig(python);
    List<Path> indexes = new ArrayList<>();
    TreeSet<Path> findLinks = new TreeSet<>();
    config.forEach(
        (key, values) -> {
          for (String value : values) {
            if (key.endsWith("index-url") && value.startsWith("file:")) {
              indexes.add(Path.of(URI.create(value)));
            } else if (key.endsWith("find-links")) {
              findLinks.add(
                  value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value));
            }
          }
        });
    assertThat(indexes).as("file:// indexes in `pip config list`: " + config).hasSize(2);
    assertThat(findLinks).as("find-links in `pip config list`: " + config).isNotEmpty();

    TreeSet<Path> wheels = new TreeSet<>();
    TreeSet<Path> filesFolders = new TreeSet<>();
    for (Path index : indexes) {
      for (Path wheel : wheelsLinkedFrom(index)) {
        wheels.add(wheel);
        filesFolders.add(wheel.getParent());
      }
    }
    for (Path folder : findLinks) {
      if (Files.isDirectory(folder)) {
        wheels.addAll(wheelFilesIn(folder));
      }
    }
    // The indexes' files folders hold no wheel that their pages do not link, so the set found
    // through the pages and find-links is every .whl file in those folders.
    TreeSet<Path> onDisk = new TreeSet<>();
    for (Path folder : filesFolders) {
      onDisk.addAll(wheelFilesIn(folder));
    }
    for (Path folder : findLinks) {
      if (Files.isDirectory(folder)) {
        onDisk.addAll(wheelFilesIn(folder));
      }
    }
    assertThat(wheels).isEqualTo(onDisk);

    StringBuilder stdin = new StringBuilder();
    List<WheelFilename> filenames = new ArrayList<>();
    List<CoreMetadata> metadata = new ArrayList<>();
    for (Path path : wheels) {
      WheelFilename filename = WheelFilename.parse(path.getFileName().toString());
      String entryName;
      byte[] bytes;
      try (ZipFile zip = new ZipFile(path.toFile())) {
        List<ZipEntry> entries = metadataEntries(zip);
        assertThat(entries).as(path + " has one .dist-info/METADATA").hasSize(1);
        entryName = entries.get(0).getName();
        bytes = zip.getInputStream(entries.get(0)).readAllBytes();
      }
      CoreMetadata parsed = CoreMetadata.parse(bytes);
      assertThat(parsed.packageName()).as(path.toString()).isEqualTo(filename.name());
      filenames.add(filename);
      metadata.add(parsed);
      stdin.append(
          JSON.writeValueAsString(
              Map.of(
                  "path", path.toString(), "filename", filename.filename(), "entry", entryName)));
      stdin.append('\n');
    }
    System.out.printf(
        "local mirror: %d wheels (%d index files folders %s, find-links %s): every filename and"
            + " METADATA parsed%n",
        wheels.size(), filesFolders.size(), filesFolders, findLinks);
    assertThat(filenames).hasSize(onDisk.size());
    assertThat(metadata).hasSize(onDisk.size());
    assertThat(wheels.size()).as("the mirror should hold ~970 wheels").isGreaterThan(900);

    String[] answers = python.script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(wheels.size());
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      JsonNode answer = JSON.readTree(answers[i]);
      WheelFilename filename = filenames.get(i);
      CoreMetadata m = metadata.get(i);
      String where = filename.filename();
      if (!answer.get("sameName").asBoolean() || !answer.get("sameVersion").asBoolean()) {
        disagreements.add(where + ": METADATA name/version differ from the filename");
      }
      JsonNode wheel = answer.get("wheel");
      check(disagreements, where, "name", filename.name().normalized(), wheel.get("name"));
      check(
          disagreements,
          where,
          "build",
          filename.build().map(b -> List.of(b.number().toString(), b.rest())).orElse(null),
          wheel.get("build"));
      check(
          disagreements,
          where,
          "tags",
          filename.tags().stream().map(Object::toString).sorted().toList(),
          wheel.get("tags"));
      JsonNode fields = answer.get("metadata");
      check(disagreements, where, "metadata_version", m.metadataVersion(), fields);
      check(disagreements, where, "name", m.name(), fields);
      check(disagreements, where, "version", m.version(), fields);
      check(disagreements, where, "summary", m.summary(), fields);
      check(disagreements, where, "requires_dist", orNull(m.requiresDist()), fields);
      check(disagreements, where, "requires_python", m.requiresPython(), fields);
      check(disagreements, where, "provides_extra", orNull(m.providesExtra()), fields);
      check(disagreements, where, "license", m.license(), fields);
      check(disagreements, where, "license_expression", m.licenseExpression(), fields);
      check(disagreements, where, "license_files", orNull(m.licenseFiles()), fields);
      check(disagreements, where, "classifiers", orNull(m.classifiers()), fields);
      check(disagreements, where, "requires_external", orNull(m.requiresExternal()), fields);
      check(disagreements, where, "dynamic", orNull(m.dynamic()), fields);
      check(disagreements, where, "description", m.description(), fields);
      check(disagreements, where, "description_content_type", m.descriptionContentType(), fields);
    }
    assertThat(disagreements).isEmpty();
  }

  private static List<String> orNull(List<String> values) {
    return values.isEmpty() ? null : values;
  }

  private static void check(
      List<String> disagreements, String where, String field, Object ours, JsonNode fields) {
    JsonNode theirs = fields.has(field) ? fields.get(field) : fields;
    if (!JSON.valueToTree(ours).equals(theirs)) {
      disagreements.add(where + ": " + field + " " + JSON.valueToTree(ours) + " != " + theirs);
    }
  }

  /** {@code pip config list} as key → whitespace-separated values (it prints {@code key='v'}). */
  private static Map<String, List<String>> pipConfig(Python python) throws IOException {
    Python.Result result = python.run(List.of("-m", "pip", "config", "list"), null);
    assertThat(result.code()).as(result.stderr()).isZero();
    Map<String, List<String>> config = new LinkedHashMap<>();
    for (String line : result.stdout().split("\n")) {
      Matcher m = CONFIG_LINE.matcher(line.strip());
      if (m.matches()) {
        config
            .computeIfAbsent(m.group(1), k -> new ArrayList<>())
            .addAll(Arrays.asList(m.group(2).trim().split("\\s+")));
      }
    }
    return config;
  }

  /** The wheels a PEP 503 {@code file://} index links: root page, project pages, file links. */
  private static List<Path> wheelsLinkedFrom(Path index) throws IOException {
    List<Path> wheels = new ArrayList<>();
    for (String project : hrefs(index.resolve("index.html"))) {
      Path page = index.resolve(project).normalize();
      for (String link : hrefs(page.resolve("index.html"))) {
        String target = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
        target = URLDecoder.decode(target, StandardCharsets.UTF_8);
        if (WheelFilename.isWheel(target)) {
          Path wheel = page.resolve(target).normalize();
          assertThat(wheel).as("linked from " + page).isRegularFile();
          wheels.add(wheel);
        }
      }
    }
    assertThat(wheels).as("wheels linked from " + index).isNotEmpty();
    return wheels;
  }

  private static List<String> hrefs(Path page) throws IOException {
    List<String> links = new ArrayList<>();
    Matcher m = HREF.matcher(Files.readString(page, StandardCharsets.UTF_8));
    while (m.find()) {
      links.add(m.group(1).replace("&amp;", "&"));
    }
    return links;
  }

  private static List<Path> wheelFilesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> WheelFilename.isWheel(p.getFileName().toString())).toList();
    }
  }

  private static List<ZipEntry> metadataEntries(ZipFile zip) {
    List<ZipEntry> found = new ArrayList<>();
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      if (METADATA_ENTRY.matcher(entry.getName()).matches()) {
        found.add(entry);
      }
    }
    return found;
  }
}
