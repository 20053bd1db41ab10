package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelMetadataFetcherTest {
  @TempDir Path temp;
  private TestServer server;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SimpleIndexClient client() throws IndexException {
    return SimpleIndexClient.builder()
        .addIndexUrl(server.url("/simple/").toString())
        .listener(
            new IndexListener() {
              @Override
              public void warning(String message) {
                warnings.add(message);
              }
            })
        .build();
  }

  /** A real wheel from the machine's mirror; fails (never skips) when the mirror lacks it. */
  static Path mirrorWheel(String prefix) throws IOException {
    for (Path folder :
        List.of(
            Path.of("/opt/pypi/files"), Path.of("/opt/pypi-more/files"), Path.of("/opt/wheels"))) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder)) {
        Optional<Path> found =
            files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    throw new AssertionError("the local wheel mirror has no wheel starting with " + prefix);
  }

  /** What java.util.zip reads as the wheel's METADATA: the oracle. */
  static byte[] zipMetadata(Path wheel) throws IOException {
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      List<? extends ZipEntry> matches =
          zip.stream().filter(e -> e.getName().matches("[^/]+\\.dist-info/METADATA")).toList();
      assertThat(matches).as("METADATA entries in " + wheel).hasSize(1);
      return zip.getInputStream(matches.get(0)).readAllBytes();
    }
  }

  private IndexFile served(
      String path,
      String filename,
      Map<String, String> hashes,
      boolean metadataFile,
      Map<String, String> metadataHashes) {
    return new IndexFile(
        filename,
        server.url(path),
        hashes,
        Optional.empty(),
        false,
        Optional.empty(),
        metadataFile,
        metadataHashes,
        OptionalLong.empty(),
        server.url("/simple/"));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void fetch_readsMetadataOfRealWheelsWithRangeRequestsOnly() throws Exception {
    List<Path> wheels =
        List.of(
            mirrorWheel("numpy-2.2.6-"),
            mirrorWheel("pandas-2.3.3-"),
            mirrorWheel("botocore-"),
            mirrorWheel("torch-"));
    try (SimpleIndexClient client = client()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      for (Path wheel : wheels) {
        String name = wheel.getFileName().toString();
        long size = Files.size(wheel);
        server.route("/files/" + name, TestServer.file(wheel, true));
        WheelMetadata metadata =
            fetcher.fetch(served("/files/" + name, name, Map.of(), false, Map.of()));
        long sent = server.bytesSentTo("/files/" + name);
        System.out.printf(
            "%s: METADATA by %d range requests, %d of %d bytes%n",
            name, server.count("/files/" + name), sent, size);
        assertThat(metadata.source()).isEqualTo(WheelMetadata.Source.RANGE_READ);
        assertThat(metadata.bytes()).as(name).isEqualTo(zipMetadata(wheel));
        assertThat(metadata.bytesTransferred()).isEqualTo(sent);
        // the tail, the central directory and one member: a small part of a large wheel
        assertThat(sent).as(name + " bytes sent of " + size).isLessThan(size / 10);
        assertThat(server.requestsTo("/files/" + name))
            .allSatisfy(r -> assertThat(r.header("Range")).startsWith("bytes="))
            .hasSizeBetween(1, 3);
      }
    }
  }

  @Test
  void fetch_downloadsTheWholeWheelWhenTheServerIgnoresRange() throws Exception {
    Path wheel = mirrorWheel("requests-");
    String name = wheel.getFileName().toString();
    byte[] data = Files.readAllBytes(wheel);
    server.route("/files/" + name, TestServer.file(data, false));
    Path downloads = temp.resolve("downloads");
    IndexFile file =
        served("/files/" + name, name, Map.of("sha256", sha256(data)), false, Map.of());
    try (SimpleIndexClient client = client()) {
      WheelMetadata metadata = new WheelMetadataFetcher(client, downloads).fetch(file);
      assertThat(metadata.source()).isEqualTo(WheelMetadata.Source.FULL_DOWNLOAD);
      assertThat(metadata.bytes()).isEqualTo(zipMetadata(wheel));
      assertThat(metadata.bytesTransferred()).isEqualTo(data.length);
      assertThat(server.requestsTo("/files/" + name))
          .as(
              "requests %s",
              server.requestsTo("/files/" + name).stream()
                  .map(r -> r.headers().entrySet())
                  .toList())
          .hasSize(1);
      assertThat(downloads.resolve(name)).hasSameBinaryContentAs(wheel);
    }
    // a new fetcher reuses the kept download, whose hash still matches
    try (SimpleIndexClient client = client()) {
      WheelMetadata again = new WheelMetadataFetcher(client, downloads).fetch(file);
      assertThat(again.bytes()).isEqualTo(zipMetadata(wheel));
      assertThat(again.bytesTransferred()).isZero();
      assertThat(server.count("/files/" + name)).isEqualTo(1);
    }
    try (Stream<Path> left = Files.list(downloads)) {
      assertThat(left).containsExactly(downloads.resolve(name));
    }
  }

  @Test
  void fetch_fullDownloadWithWrongHashFails() throws Exception {
    Path wheel = mirrorWheel("six-");
    String name = wheel.getFileName().toString();
    server.route("/files/" + name, TestServer.file(Files.readAllBytes(wheel), false));
    IndexFile file =
        served("/files/" + name, name, Map.of("sha256", "0".repeat(64)), false, Map.of());
    try (SimpleIndexClient client = client()) {
      assertThatThrownBy(() -> new WheelMetadataFetcher(client).fetch(file))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining(server.url("/files/" + name).toString())
          .hasMessageContaining("0".repeat(64));
    }
  }

  @Test
  void fetch_prefersThePep658MetadataFileAndChecksItsHash() throws Exception {
    byte[] metadata =
        "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8);
    server.route(
        "/files/demo-1.0-py3-none-any.whl.metadata",
        r -> new TestServer.Reply(200, Map.of(), metadata));
    server.route("/files/demo-1.0-py3-none-any.whl", r -> TestServer.Reply.status(500));
    try (SimpleIndexClient client = client()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      WheelMetadata read =
          fetcher.fetch(
              served(
                  "/files/demo-1.0-py3-none-any.whl",
                  "demo-1.0-py3-none-any.whl",
                  Map.of(),
                  true,
                  Map.of("sha256", sha256(metadata))));
      assertThat(read.source()).isEqualTo(WheelMetadata.Source.METADATA_FILE);
      assertThat(read.bytes()).isEqualTo(metadata);
      assertThat(read.bytesTransferred()).isEqualTo(metadata.length);
      assertThat(server.count("/files/demo-1.0-py3-none-any.whl")).isZero();
    }
  }

  @Test
  void fetch_rejectsAMetadataFileWithTheWrongHash() throws Exception {
    server.route(
        "/files/demo-1.0-py3-none-any.whl.metadata",
        r -> new TestServer.Reply(200, Map.of(), "Name: evil\n".getBytes(StandardCharsets.UTF_8)));
    try (SimpleIndexClient client = client()) {
      IndexFile file =
          served(
              "/files/demo-1.0-py3-none-any.whl",
              "demo-1.0-py3-none-any.whl",
              Map.of(),
              true,
              Map.of("sha256", "f".repeat(64)));
      assertThatThrownBy(() -> new WheelMetadataFetcher(client).fetchMetadata(file))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining(server.url("/files/demo-1.0-py3-none-any.whl.metadata").toString())
          .hasMessageContaining("f".repeat(64))
          .hasMessageContaining("do not trust it");
    }
  }

  @Test
  void fetch_fallsBackToTheWheelWhenTheMetadataFileIsMissing() throws Exception {
    Path wheel = mirrorWheel("six-");
    String name = wheel.getFileName().toString();
    server.route("/files/" + name, TestServer.file(Files.readAllBytes(wheel), true));
    try (SimpleIndexClient client = client()) {
      WheelMetadata read =
          new WheelMetadataFetcher(client)
              .fetch(served("/files/" + name, name, Map.of(), true, Map.of()));
      assertThat(read.source()).isEqualTo(WheelMetadata.Source.RANGE_READ);
      assertThat(read.bytes()).isEqualTo(zipMetadata(wheel));
      assertThat(warnings)
          .singleElement()
          .asString()
          .contains(name + ".metadata")
          .contains("missing");
    }
  }

  @Test
  void fetch_usesTheIndexCredentialsForFilesOnTheSameHost() throws Exception {
    Path wheel = mirrorWheel("six-");
    String name = wheel.getFileName().toString();
    server.route(
        "/files/" + name,
        TestServer.requireAuth("u", "p", TestServer.file(Files.readAllBytes(wheel), true)));
    String index = server.url("/simple/").toString().replace("http://", "http://u:p@");
    try (SimpleIndexClient client = SimpleIndexClient.builder().addIndexUrl(index).build()) {
      WheelMetadata read =
          new WheelMetadataFetcher(client)
              .fetch(served("/files/" + name, name, Map.of(), false, Map.of()));
      assertThat(read.bytes()).isEqualTo(zipMetadata(wheel));
    }
    try (SimpleIndexClient client = client()) {
      assertThatThrownBy(
              () ->
                  new WheelMetadataFetcher(client)
                      .fetch(served("/files/" + name, name, Map.of(), false, Map.of())))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("HTTP 401");
    }
  }

  @Test
  void fetch_readsZip64ArchivesWithCommentsAndPrependedData() throws Exception {
    byte[] metadata =
        "Metadata-Version: 2.1\nName: big\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("#!/bin/sh\nexec python -m big \"$@\"\n".getBytes(StandardCharsets.UTF_8));
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      // more than 65535 entries forces the ZIP64 end of central directory record
      for (int i = 0; i < 70_000; i++) {
        zip.putNextEntry(new ZipEntry("big/m" + i + ".py"));
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("big-1.0.dist-info/METADATA"));
      zip.write(metadata);
      zip.closeEntry();
      zip.setComment("a comment that holds an end record signature: PK\u0005\u0006 and more");
    }
    byte[] data = bytes.toByteArray();
    String name = "big-1.0-py3-none-any.whl";
    Path local = temp.resolve(name);
    Files.write(local, data);
    server.route("/files/" + name, TestServer.file(data, true));
    try (SimpleIndexClient client = client()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      WheelMetadata remote =
          fetcher.fetch(served("/files/" + name, name, Map.of(), false, Map.of()));
      assertThat(remote.source()).isEqualTo(WheelMetadata.Source.RANGE_READ);
      assertThat(remote.bytes()).isEqualTo(metadata);
      assertThat(remote.bytesTransferred()).isLessThan(data.length);
      IndexFile onDisk =
          new IndexFile(
              name,
              local.toUri(),
              Map.of(),
              Optional.empty(),
              false,
              Optional.empty(),
              false,
              Map.of(),
              OptionalLong.empty(),
              temp.toUri());
      WheelMetadata disk = fetcher.fetch(onDisk);
      assertThat(disk.source()).isEqualTo(WheelMetadata.Source.LOCAL_FILE);
      assertThat(disk.bytes()).isEqualTo(metadata);
    }
  }

  private Path zip(String name, Map<String, String> entries) throws IOException {
    Path path = temp.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return path;
  }

  private IndexFile local(Path path) {
    return new IndexFile(
        path.getFileName().toString(),
        path.toUri(),
        Map.of(),
        Optional.empty(),
        false,
        Optional.empty(),
        false,
        Map.of(),
        OptionalLong.empty(),
        temp.toUri());
  }

  @Test
  void fetch_rejectsWheelsWithoutExactlyOneMatchingDistInfo() throws Exception {
    try (SimpleIndexClient client = client()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      Path two =
          zip(
              "two-1.0-py3-none-any.whl",
              new java.util.TreeMap<>(
                  Map.of("two-1.0.dist-info/METADATA", "a", "other-1.0.dist-info/METADATA", "b")));
      assertThatThrownBy(() -> fetcher.fetch(local(two)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining(
              "more than one .dist-info folder: other-1.0.dist-info, two-1.0.dist-info");
      Path none = zip("none-1.0-py3-none-any.whl", Map.of("none/__init__.py", ""));
      assertThatThrownBy(() -> fetcher.fetch(local(none)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("no .dist-info folder");
      Path wrong = zip("right-1.0-py3-none-any.whl", Map.of("wrong-1.0.dist-info/METADATA", "x"));
      assertThatThrownBy(() -> fetcher.fetch(local(wrong)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("does not start with right");
      Path noMetadata = zip("nm-1.0-py3-none-any.whl", Map.of("nm-1.0.dist-info/RECORD", ""));
      assertThatThrownBy(() -> fetcher.fetch(local(noMetadata)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("no nm-1.0.dist-info/METADATA");
      Path notZip = temp.resolve("junk-1.0-py3-none-any.whl");
      Files.writeString(notZip, "this is not a zip file at all, just some text".repeat(3));
      assertThatThrownBy(() -> fetcher.fetch(local(notZip)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("not a zip file")
          .hasMessageContaining(notZip.getFileName().toString());
      Path sdist = temp.resolve("demo-1.0.tar.gz");
      Files.writeString(sdist, "x");
      assertThatThrownBy(() -> fetcher.fetch(local(sdist)))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("is not a wheel");
    }
  }

  @Test
  void fetch_missingWheelIs404Error() throws Exception {
    try (SimpleIndexClient client = client()) {
      assertThatThrownBy(
              () ->
                  new WheelMetadataFetcher(client)
                      .fetch(
                          served(
                              "/files/gone-1.0-py3-none-any.whl",
                              "gone-1.0-py3-none-any.whl",
                              Map.of(),
                              false,
                              Map.of())))
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("HTTP 404")
          .hasMessageContaining("gone-1.0-py3-none-any.whl");
    }
  }

  @Test
  void fetch_readsEachWheelOncePerFetcher() throws Exception {
    Path wheel = mirrorWheel("six-");
    String name = wheel.getFileName().toString();
    server.route("/files/" + name, TestServer.file(Files.readAllBytes(wheel), true));
    try (SimpleIndexClient client = client()) {
      WheelMetadataFetcher fetcher = new WheelMetadataFetcher(client);
      IndexFile file = served("/files/" + name, name, Map.of(), false, Map.of());
      List<java.util.concurrent.CompletableFuture<WheelMetadata>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        futures.add(fetcher.fetchAsync(file));
      }
      long requests =
          futures.stream().map(java.util.concurrent.CompletableFuture::join).distinct().count();
      assertThat(requests).isEqualTo(1);
      assertThat(server.count("/files/" + name)).isEqualTo(1);
    }
  }

  @Test
  void fetch_worksOnFilesListedByARealIndexPage() throws Exception {
    Path wheel = mirrorWheel("requests-");
    String name = wheel.getFileName().toString();
    byte[] data = Files.readAllBytes(wheel);
    server.route("/files/" + name, TestServer.file(data, true));
    String digest = sha256(data);
    server.route(
        "/simple/requests/",
        r ->
            TestServer.Reply.of(
                200,
                "text/html",
                "<a href=\"../../files/" + name + "#sha256=" + digest + "\">" + name + "</a>"));
    try (SimpleIndexClient client = client()) {
      IndexFile file = client.pages(PackageName.parse("requests")).get(0).files().get(0);
      assertThat(new WheelMetadataFetcher(client).fetchMetadata(file))
          .isEqualTo(zipMetadata(wheel));
    }
  }
}
