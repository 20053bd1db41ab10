package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.json.Json;
import dev.accretion.python.PackageName;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the index client against this machine's real setup: the pip configuration in the real
 * environment and home, the two {@code file://} mirror indexes it names, the unreachable default
 * PyPI, and the find-links folder.
 */
class MirrorIT {
  @TempDir Path temp;

  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final IndexListener listener =
      new IndexListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      };

  private static Path home() {
    return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")));
  }

  /** {@code pip config list}: "section.key" to value, in pip's output order. */
  private static Map<String, String> pipConfigList() throws IOException {
    Python.Result result = Python.of("3.11").run(List.of("-m", "pip", "config", "list"), null);
    assertThat(result.code()).as("pip config list: " + result.stderr()).isZero();
    Map<String, String> values = new LinkedHashMap<>();
    Pattern line = Pattern.compile("^([^=]+)=(['\"])(.*)\\2$");
    for (String text : result.stdout().split("\n")) {
      if (text.isBlank()) {
        continue;
      }
      Matcher m = line.matcher(text.strip());
      assertThat(m.matches()).as("pip config list line: " + text).isTrue();
      values.put(m.group(1), m.group(3).replace("\\\\", "\\"));
    }
    return values;
  }

  /** The value pip's option parser takes for a key: environment over [install] over [global]. */
  private static String effective(Map<String, String> list, String key) {
    for (String section : List.of(":env:", "install", "global")) {
      String value = list.get(section + "." + key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static List<String> split(String value) {
    return value == null ? List.of() : List.of(value.strip().split("\\s+"));
  }

  @Test
  void pipConfiguration_namesWhatPipConfigListReports() throws Exception {
    Map<String, String> list = pipConfigList();
    PipConfiguration config = PipConfiguration.load(System.getenv(), home());
    List<String> pipExtra = split(effective(list, "extra-index-url"));
    List<String> pipFindLinks = split(effective(list, "find-links"));
    System.out.println("pip config list: " + list);
    System.out.println("Accretion: " + config);
    // this machine's setup: two file:// indexes and a find-links folder (the oracle is not empty)
    assertThat(pipExtra).hasSize(2).allSatisfy(url -> assertThat(url).startsWith("file://"));
    assertThat(pipFindLinks).isNotEmpty();
    assertThat(config.extraIndexUrls()).isEqualTo(pipExtra);
    assertThat(config.findLinks()).isEqualTo(pipFindLinks);
    String pipIndex = effective(list, "index-url");
    assertThat(config.indexUrl()).isEqualTo(pipIndex);
    assertThat(config.effectiveIndexUrl())
        .isEqualTo(pipIndex == null ? "https://pypi.org/simple" : pipIndex);
    assertThat(config.noIndex()).isFalse();
  }

  @Test
  void pipConfiguration_agreesWithPipsOwnOptionParser() throws Exception {
    String out =
        Python.of("3.11")
            .script(
                """
                import json
                from pip._internal.commands import create_command
                opts, _ = create_command("install").parse_args([])
                print(json.dumps({"index_url": opts.index_url, "extra": opts.extra_index_urls,
                                  "find_links": opts.find_links, "no_index": bool(opts.no_index)}))
                """,
                null);
    @SuppressWarnings("unchecked")
    Map<String, Json.Node> pip = (Map<String, Json.Node>) Json.parse(out.strip()).value();
    PipConfiguration config = PipConfiguration.load(System.getenv(), home());
    assertThat(config.effectiveIndexUrl()).isEqualTo(pip.get("index_url").value());
    assertThat(config.extraIndexUrls()).isEqualTo(strings(pip.get("extra")));
    assertThat(config.findLinks()).isEqualTo(strings(pip.get("find_links")));
    assertThat(config.noIndex()).isEqualTo(pip.get("no_index").value());
  }

  private static List<String> strings(Json.Node node) {
    return ((List<?>) node.value()).stream().map(n -> (String) ((Json.Node) n).value()).toList();
  }

  @Test
  void client_readsSampleProjectsWarnsAboutPypiAndMissingFindLinks() throws Exception {
    PipConfiguration config = PipConfiguration.load(System.getenv(), home());
    Path missing = temp.resolve("no-such-wheels");
    List<String> findLinks = new ArrayList<>(config.findLinks());
    findLinks.add(missing.toString());
    try (SimpleIndexClient client =
        SimpleIndexClient.builder()
            .pipConfiguration(config)
            .findLinks(findLinks)
            .environment(System.getenv(), home())
            .listener(listener)
            .build()) {
      assertThat(client.indexes()).hasSize(3);
      List<PackageName> projects =
          List.of("numpy", "requests", "pandas", "boto3", "typing-extensions", "torch").stream()
              .map(PackageName::of)
              .toList();
      client.prefetch(projects);
      List<IndexFile> wheels = new ArrayList<>();
      for (PackageName project : projects) {
        List<ProjectPage> pages = client.pages(project);
        System.out.println(
            project
                + ": "
                + pages.stream()
                    .map(p -> p.source() + " (" + p.files().size() + " files)")
                    .toList());
        assertThat(pages).as(project.toString()).isNotEmpty();
        for (ProjectPage page : pages) {
          assertThat(page.project()).isEqualTo(project);
          assertThat(page.files())
              .isNotEmpty()
              .allSatisfy(
                  f -> assertThat(DistributionFiles.belongsTo(f.filename(), project)).isTrue())
              .allSatisfy(f -> assertThat(f.url().getScheme()).isEqualTo("file"));
        }
        pages.stream()
            .flatMap(p -> p.files().stream())
            .filter(IndexFile::isWheel)
            .filter(f -> !f.filename().startsWith("torch-"))
            .findFirst()
            .ifPresent(wheels::add);
      }
      // PyPI is unreachable here: one warning, not a failure
      assertThat(warnings.stream().filter(w -> w.contains("pypi.org"))).hasSize(1);
      assertThat(warnings.stream().filter(w -> w.contains("pypi.org")).findFirst().orElseThrow())
          .contains("is unreachable")
          .contains("going on with the other indexes");
      assertThat(warnings.stream().filter(w -> w.contains(missing.toString())))
          .singleElement()
          .asString()
          .contains("does not exist");
      assertThat(warnings).hasSize(2);

      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      assertThat(wheels).hasSizeGreaterThanOrEqualTo(4);
      for (IndexFile wheel : wheels) {
        WheelMetadata metadata = fetcher.fetch(wheel);
        assertThat(metadata.source()).isEqualTo(WheelMetadata.Source.LOCAL_FILE);
        assertThat(metadata.bytes())
            .isEqualTo(WheelMetadataFetcherTest.zipMetadata(Path.of(wheel.url())));
        assertThat(new String(metadata.bytes(), StandardCharsets.UTF_8)).contains("\nName: ");
      }
    }
  }

  @Test
  void everyPageOfBothMirrorIndexesParses() throws Exception {
    PipConfiguration config = PipConfiguration.load(System.getenv(), home());
    List<String> fileIndexes =
        config.indexUrls().stream().filter(u -> u.startsWith("file:")).toList();
    assertThat(fileIndexes).hasSize(2);
    Pattern anchor = Pattern.compile("<a\\s", Pattern.CASE_INSENSITIVE);
    try (SimpleIndexClient client =
        SimpleIndexClient.builder().indexUrls(fileIndexes).listener(listener).build()) {
      long totalPages = 0;
      long totalFiles = 0;
      for (URI index : client.indexes()) {
        Path root = Path.of(index);
        List<Path> folders;
        try (Stream<Path> entries = Files.list(root)) {
          folders = entries.filter(Files::isDirectory).sorted().toList();
        }
        List<CompletableFuture<java.util.Optional<ProjectPage>>> futures = new ArrayList<>();
        for (Path folder : folders) {
          futures.add(client.pageAsync(index, PackageName.parse(folder.getFileName().toString())));
        }
        long pages = 0;
        long files = 0;
        long anchors = 0;
        for (int i = 0; i < folders.size(); i++) {
          Path html = folders.get(i).resolve("index.html");
          ProjectPage page = futures.get(i).join().orElseThrow();
          String text = Files.readString(html);
          long expected = anchor.matcher(text).results().count();
          assertThat(page.files()).as(html.toString()).hasSize((int) expected);
          for (IndexFile file : page.files()) {
            assertThat(Path.of(file.url())).as(file.url().toString()).isRegularFile();
            assertThat(file.hashes()).containsKey("sha256");
            assertThat(DistributionFiles.belongsTo(file.filename(), page.project()))
                .as(file.filename() + " on " + html)
                .isTrue();
          }
          pages++;
          files += page.files().size();
          anchors += expected;
        }
        System.out.printf("%s: %d pages, %d files, %d anchors%n", index, pages, files, anchors);
        assertThat(pages).isEqualTo(folders.size());
        assertThat(files).isEqualTo(anchors);
        totalPages += pages;
        totalFiles += files;
      }
      System.out.printf("both mirror indexes: %d pages, %d files%n", totalPages, totalFiles);
      assertThat(client.stats().pageLoads()).isEqualTo(totalPages);
      assertThat(totalPages).isGreaterThan(800);
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void everyMirrorWheelsMetadataReadsAsJavaUtilZipReadsIt() throws Exception {
    List<Path> wheels = new ArrayList<>();
    for (Path folder :
        List.of(
            Path.of("/opt/pypi/files"), Path.of("/opt/pypi-more/files"), Path.of("/opt/wheels"))) {
      assertThat(folder).isDirectory();
      try (Stream<Path> files = Files.list(folder)) {
        files.filter(p -> p.toString().endsWith(".whl")).sorted().forEach(wheels::add);
      }
    }
    try (SimpleIndexClient client = SimpleIndexClient.builder().build()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      List<CompletableFuture<WheelMetadata>> futures = new ArrayList<>();
      for (Path wheel : wheels) {
        futures.add(fetcher.fetchAsync(local(wheel)));
      }
      int read = 0;
      for (int i = 0; i < wheels.size(); i++) {
        Path wheel = wheels.get(i);
        byte[] expected = oracle(wheel);
        if (expected == null) {
          int index = i;
          assertThatThrownBy(() -> futures.get(index).join())
              .hasMessageContaining(wheel.getFileName().toString());
          continue;
        }
        assertThat(futures.get(i).join().bytes()).as(wheel.toString()).isEqualTo(expected);
        read++;
      }
      System.out.printf("METADATA read from %d of %d mirror wheels%n", read, wheels.size());
      assertThat(read).isEqualTo(wheels.size());
    }
  }

  /** java.util.zip's reading, or null when the wheel does not have exactly one METADATA. */
  private static byte[] oracle(Path wheel) throws IOException {
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      var matches =
          zip.stream().filter(e -> e.getName().matches("[^/]+\\.dist-info/METADATA")).toList();
      return matches.size() == 1 ? zip.getInputStream(matches.get(0)).readAllBytes() : null;
    }
  }

  private static IndexFile local(Path wheel) {
    return new IndexFile(
        wheel.getFileName().toString(),
        wheel.toUri(),
        Map.of(),
        java.util.Optional.empty(),
        false,
        java.util.Optional.empty(),
        false,
        Map.of(),
        java.util.OptionalLong.empty(),
        wheel.getParent().toUri());
  }
}
