package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorIndexTest {
  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private CacheLocation location;
  private Cache cache;
  private final SelectorKey key =
      SelectorKey.builder().add("listing", "requests\n").add("target", "python3.11").build();

  @BeforeEach
  void open() throws CacheException {
    location = CacheLocation.of(dir.resolve("cache"));
    cache = Cache.open(location, events);
  }

  private String store(byte[] content) throws CacheException {
    Path blob = cache.blobs().put(new ByteArrayInputStream(content), Optional.empty());
    return blob.getFileName().toString();
  }

  /** A record whose zip, manifest and SBOM are stored blobs. */
  private ArtifactRecord storedRecord(long seed) throws CacheException {
    byte[] zip = TestBlobs.content(seed, 5000);
    byte[] manifest = ("{\"packages\":[" + seed + "]}").getBytes(StandardCharsets.UTF_8);
    byte[] sbom = TestBlobs.content(seed + 1000, 300);
    String zipHex = store(zip);
    String manifestHex = store(manifest);
    String sbomHex = store(sbom);
    return ArtifactRecord.of(
        zipHex,
        manifestHex,
        List.of(
            new ArtifactFile("layer-python3.11-x86_64.zip", zipHex, zip.length),
            new ArtifactFile("layer-python3.11-x86_64.manifest.json", manifestHex, manifest.length),
            new ArtifactFile("layer-python3.11-x86_64.cdx.json", sbomHex, sbom.length)),
        Map.of(
            "contentDigest", "sha256:" + zipHex,
            "runtimes", "python3.11,python3.12",
            "note é=: #x", "line one\nline two"),
        Instant.parse("2026-03-04T05:06:07.123456789Z"));
  }

  @Test
  void putThenGet_roundTripsTheRecord() throws Exception {
    ArtifactRecord record = storedRecord(1);

    cache.selectors().put(key, record);
    Optional<ArtifactRecord> read = cache.selectors().get(key);

    assertThat(read).contains(record);
    assertThat(events.of(CacheEvent.SelectorStored.class))
        .containsExactly(new CacheEvent.SelectorStored(key, record));
    assertThat(events.of(CacheEvent.SelectorHit.class))
        .containsExactly(new CacheEvent.SelectorHit(key, record));
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void roundTripsThroughAFreshProcessView() throws Exception {
    ArtifactRecord record = storedRecord(2);
    cache.selectors().put(key, record);

    Cache reopened = Cache.open(location, CacheListener.none());

    assertThat(reopened.selectors().get(key)).contains(record);
  }

  @Test
  void entryFileIsDeterministicSortedAndHasNoDateComment() throws Exception {
    ArtifactRecord record = storedRecord(3);

    byte[] once = SelectorIndex.format(key, record);
    byte[] twice = SelectorIndex.format(key, record);
    String text = new String(once, StandardCharsets.UTF_8);

    assertThat(once).isEqualTo(twice);
    assertThat(text).startsWith("artifact=");
    List<String> lines = text.lines().toList();
    assertThat(lines).noneMatch(line -> line.startsWith("#"));
    assertThat(lines).isSorted();
    assertThat(lines).contains("format=1", "key=" + key.sha256(), "files=3");
  }

  @Test
  void get_unknownKeyIsAMissWithReason() throws Exception {
    assertThat(cache.selectors().get(key)).isEmpty();
    assertThat(events.of(CacheEvent.SelectorMiss.class))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).contains("no build"));
  }

  @Test
  void get_missingBlobMakesItAMissNamingTheBlob() throws Exception {
    ArtifactRecord record = storedRecord(4);
    cache.selectors().put(key, record);
    String sbom = record.files().get(2).sha256();
    Files.delete(location.blobDirectory().resolve(sbom));

    assertThat(cache.selectors().get(key)).isEmpty();
    assertThat(events.of(CacheEvent.SelectorMiss.class))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).contains(sbom).contains("missing"));
  }

  @Test
  void get_corruptBlobMakesItAMissAndQuarantinesTheBlob() throws Exception {
    ArtifactRecord record = storedRecord(5);
    cache.selectors().put(key, record);
    TestBlobs.flipByte(location.blobDirectory().resolve(record.artifactSha256()), 10, false);
    Cache fresh = Cache.open(location, events);

    assertThat(fresh.selectors().get(key)).isEmpty();
    assertThat(events.of(CacheEvent.CorruptQuarantined.class))
        .singleElement()
        .satisfies(e -> assertThat(e.sha256()).isEqualTo(record.artifactSha256()));
    assertThat(events.of(CacheEvent.SelectorMiss.class)).hasSize(1);
  }

  @Test
  void get_unreadableEntryIsAMissAndIsSetAside() throws Exception {
    Path entry = location.selectorDirectory().resolve(key.sha256());
    Files.writeString(entry, "format=1\nkey=" + key.sha256() + "\nartifact=nothex\n");

    assertThat(cache.selectors().get(key)).isEmpty();
    assertThat(entry).doesNotExist();
    assertThat(TestBlobs.count(location.quarantineDirectory())).isEqualTo(1);
    assertThat(events.of(CacheEvent.SelectorMiss.class))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).contains("unreadable").contains("quarantine"));
  }

  @Test
  void get_entryOfAnotherFormatIsAMissAndLeftAlone() throws Exception {
    Path entry = location.selectorDirectory().resolve(key.sha256());
    Files.writeString(entry, "format=2\nsomething=else\n");

    assertThat(cache.selectors().get(key)).isEmpty();
    assertThat(entry).exists();
    assertThat(events.of(CacheEvent.SelectorMiss.class))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).contains("format 2"));
  }

  @Test
  void put_lastWriterWins() throws Exception {
    ArtifactRecord first = storedRecord(6);
    ArtifactRecord second = storedRecord(7);

    cache.selectors().put(key, first);
    cache.selectors().put(key, second);

    assertThat(cache.selectors().get(key)).contains(second);
  }

  @Test
  void put_refusesRecordWhoseBlobIsNotStored() throws Exception {
    ArtifactRecord record = storedRecord(8);
    String absent = TestBlobs.sha256(new byte[] {42});
    ArtifactRecord dangling =
        ArtifactRecord.of(
            record.artifactSha256(), absent, record.files(), Map.of(), record.created());

    assertThatThrownBy(() -> cache.selectors().put(key, dangling))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining(absent)
        .hasMessageContaining(location.root().toString());
    assertThat(location.selectorDirectory().resolve(key.sha256())).doesNotExist();
  }

  @Test
  void parse_rejectsMalformedEntries() throws Exception {
    ArtifactRecord record = storedRecord(9);
    String good = new String(SelectorIndex.format(key, record), StandardCharsets.UTF_8);

    for (String bad :
        List.of(
            good.replace("key=" + key.sha256(), "key=" + "0".repeat(64)),
            good.replace("files=3", "files=4"),
            good.replace("files=3", "files=-1"),
            good + "surprise=1\n",
            good.replace("file.1.size=", "file.1.size=x"),
            good.replaceAll("created=.*\n", "created=yesterday\n"),
            good.replaceAll("manifest=.*\n", ""))) {
      assertThatThrownBy(() -> SelectorIndex.parse(bad.getBytes(StandardCharsets.UTF_8), key))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> SelectorIndex.parse(new byte[] {(byte) 0xff, (byte) 0xfe}, key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void artifactRecord_validatesAndCopies() {
    String hex = TestBlobs.sha256(new byte[0]);

    assertThatThrownBy(() -> new ArtifactFile("", hex, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArtifactFile("a.zip", hex, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArtifactRecord.of("zz", hex, List.of(), Map.of(), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    ArtifactRecord record =
        ArtifactRecord.of(
            hex, hex, List.of(new ArtifactFile("a.zip", hex, 0)), Map.of("b", "1"), Instant.EPOCH);
    assertThat(record.referencedDigests()).containsExactly(hex);
    assertThatThrownBy(() -> record.attributes().put("c", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
