package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheMaintenanceTest {
  private static final Duration OLD = Duration.ofDays(40);

  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private CacheLocation location;
  private Cache cache;

  @BeforeEach
  void open() throws CacheException {
    location = CacheLocation.of(dir.resolve("cache"));
    cache = Cache.open(location, events);
  }

  private String store(long seed, int size) throws CacheException {
    return cache
        .blobs()
        .put(new ByteArrayInputStream(TestBlobs.content(seed, size)), Optional.empty())
        .getFileName()
        .toString();
  }

  private Path blob(String hex) {
    return location.blobDirectory().resolve(hex);
  }

  /** Makes a blob look stored and last used {@code age} ago. */
  private void unusedFor(String hex, Duration age) throws Exception {
    TestBlobs.age(blob(hex), age);
    TestBlobs.age(location.accessDirectory().resolve(hex), age);
  }

  private SelectorKey record(String name, String artifact, String manifest) throws Exception {
    SelectorKey key = SelectorKey.builder().add("name", name).build();
    cache
        .selectors()
        .put(
            key,
            ArtifactRecord.of(
                artifact,
                manifest,
                List.of(
                    new ArtifactFile(name + ".zip", artifact, Files.size(blob(artifact))),
                    new ArtifactFile(name + ".json", manifest, Files.size(blob(manifest)))),
                Map.of(),
                Instant.now()));
    return key;
  }

  @Test
  void ls_countsEntriesByKindAndListsLargestBlobsWithTheirNames() throws Exception {
    String big = store(1, 300_000);
    String manifest = store(2, 100);
    String small = store(3, 1000);
    record("layer", big, manifest);
    Files.write(location.tmpDirectory().resolve("1-abandoned.part"), new byte[70]);
    Files.write(location.quarantineDirectory().resolve("blob-x.1-y"), new byte[30]);

    CacheReport report = cache.ls();

    assertThat(report.root()).isEqualTo(location.root());
    assertThat(report.usage(CacheEntryKind.BLOB))
        .isEqualTo(new CacheReport.Usage(3, 300_000 + 100 + 1000));
    assertThat(report.usage(CacheEntryKind.SELECTOR).count()).isEqualTo(1);
    assertThat(report.usage(CacheEntryKind.TMP)).isEqualTo(new CacheReport.Usage(1, 70));
    assertThat(report.usage(CacheEntryKind.QUARANTINE)).isEqualTo(new CacheReport.Usage(1, 30));
    assertThat(report.largest())
        .extracting(CacheReport.LargeBlob::sha256)
        .containsExactly(big, small, manifest);
    assertThat(report.largest().get(0).names()).containsExactly("layer.zip");
    assertThat(report.largest().get(1).names()).isEmpty();
    assertThat(report.totalBytes()).isGreaterThan(301_100);
  }

  @Test
  void verify_findsAndQuarantinesACorruptedBlob() throws Exception {
    String good = store(4, 10_000);
    String bad = store(5, 10_000);
    TestBlobs.flipByte(blob(bad), 9_999, true);

    VerifyReport report = cache.verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.blobsChecked()).isEqualTo(2);
    assertThat(report.corrupt())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.sha256()).isEqualTo(bad);
              assertThat(c.actualSha256()).isNotEqualTo(bad);
              assertThat(c.quarantined()).exists();
            });
    assertThat(blob(bad)).doesNotExist();
    assertThat(blob(good)).exists();
    assertThat(cache.verify().ok()).isTrue();
  }

  @Test
  void verify_reHashesEvenWhatThisProcessAlreadyVerified() throws Exception {
    String hex = store(6, 5000);
    assertThat(cache.blobs().get(hex)).isPresent();
    // Bypass every metadata hint: write the same size and put mtime back.
    TestBlobs.flipByte(blob(hex), 0, true);

    assertThat(cache.verify().corrupt()).extracting(VerifyReport.CorruptBlob::sha256).contains(hex);
  }

  @Test
  void verify_reportsSelectorsWithMissingBlobsAndForeignFiles() throws Exception {
    String artifact = store(7, 100);
    String manifest = store(8, 100);
    SelectorKey key = record("layer", artifact, manifest);
    Files.delete(blob(manifest));
    Files.write(location.blobDirectory().resolve("notes.txt"), new byte[1]);

    VerifyReport report = cache.verify();

    assertThat(report.brokenSelectors())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.key()).isEqualTo(key.sha256());
              assertThat(b.reason()).contains(manifest);
            });
    assertThat(report.unexpectedFiles())
        .containsExactly(location.blobDirectory().resolve("notes.txt"));
  }

  @Test
  void gc_keepsReferencedAndRecentBlobsAndRemovesTheRest() throws Exception {
    String referencedZip = store(10, 1000);
    String referencedManifest = store(11, 100);
    record("kept", referencedZip, referencedManifest);
    unusedFor(referencedZip, OLD);
    unusedFor(referencedManifest, OLD);
    String recent = store(12, 500); // unreferenced but just stored
    String stale = store(13, 700); // unreferenced and unused for 40 days
    unusedFor(stale, OLD);

    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(blob(referencedZip)).exists();
    assertThat(blob(referencedManifest)).exists();
    assertThat(blob(recent)).exists();
    assertThat(blob(stale)).doesNotExist();
    assertThat(location.accessDirectory().resolve(stale)).doesNotExist();
    assertThat(location.verifiedDirectory().resolve(stale)).doesNotExist();
    assertThat(location.verifiedDirectory().resolve(recent)).exists();
    assertThat(report.dryRun()).isFalse();
    assertThat(report.removals())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(CacheEntryKind.BLOB);
              assertThat(r.bytes()).isEqualTo(700);
              assertThat(r.reason()).contains("40 days");
            });
    assertThat(cache.verify().ok()).isTrue();
  }

  @Test
  void gc_usesTheLastUseMarkerNotTheStoreTime() throws Exception {
    String hex = store(14, 100);
    unusedFor(hex, OLD); // stored and last used long ago...
    // ...but looked up just now by another build, which refreshes its marker
    Cache other = Cache.open(location, CacheListener.none());
    assertThat(other.blobs().get(hex)).isPresent();

    cache.gc(GcPolicy.defaults());

    assertThat(blob(hex)).exists();
  }

  @Test
  void gc_removesUnusedSelectorsAndThenTheirBlobs() throws Exception {
    String zip = store(15, 1000);
    String manifest = store(16, 100);
    SelectorKey key = record("old", zip, manifest);
    TestBlobs.age(location.selectorDirectory().resolve(key.sha256()), OLD);
    unusedFor(zip, OLD);
    unusedFor(manifest, OLD);

    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(report.count(CacheEntryKind.SELECTOR)).isEqualTo(1);
    assertThat(report.count(CacheEntryKind.BLOB)).isEqualTo(2);
    assertThat(report.bytes(CacheEntryKind.BLOB)).isEqualTo(1100);
    assertThat(cache.selectors().get(key)).isEmpty();
  }

  @Test
  void gc_keepsSelectorsThatWereHitRecently() throws Exception {
    String zip = store(17, 1000);
    String manifest = store(18, 100);
    SelectorKey key = record("hit", zip, manifest);
    TestBlobs.age(location.selectorDirectory().resolve(key.sha256()), OLD);
    assertThat(cache.selectors().get(key)).isPresent(); // a hit counts as a use

    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(report.removals()).isEmpty();
    assertThat(cache.selectors().get(key)).isPresent();
  }

  @Test
  void gc_removesSelectorsReferencingMissingBlobsOnceOlderThanTheGracePeriod() throws Exception {
    String zip = store(19, 100);
    String manifest = store(20, 100);
    SelectorKey key = record("dangling", zip, manifest);
    Files.delete(blob(zip));
    Path entry = location.selectorDirectory().resolve(key.sha256());

    assertThat(cache.gc(GcPolicy.defaults()).count(CacheEntryKind.SELECTOR)).isZero();
    TestBlobs.age(entry, Duration.ofHours(2));
    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(report.removals())
        .filteredOn(r -> r.kind() == CacheEntryKind.SELECTOR)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains(zip));
    assertThat(entry).doesNotExist();
  }

  @Test
  void gc_neverTakesBlobsYoungerThanTheGracePeriod() throws Exception {
    String hex = store(21, 100);

    GcReport report = cache.gc(GcPolicy.defaults().withMaxUnused(Duration.ZERO));

    assertThat(report.removals()).isEmpty();
    assertThat(blob(hex)).exists();
    unusedFor(hex, Duration.ofHours(2));
    assertThat(cache.gc(GcPolicy.defaults().withMaxUnused(Duration.ZERO)).removals()).hasSize(1);
  }

  @Test
  void gc_collectsAbandonedTmpFilesButNotFreshOnesOrThoseOfLiveWriters() throws Exception {
    Path crashed = location.tmpDirectory().resolve("999999999-1.part"); // no such process
    Path fresh = location.tmpDirectory().resolve("999999999-2.part");
    Path live = location.tmpDirectory().resolve(ContentStore.PID + "-3.part"); // this JVM
    Path foreign = location.tmpDirectory().resolve("something-else");
    for (Path p : List.of(crashed, fresh, live, foreign)) {
      Files.write(p, new byte[10]);
    }
    TestBlobs.age(crashed, Duration.ofHours(2));
    TestBlobs.age(live, Duration.ofHours(2));
    TestBlobs.age(foreign, Duration.ofHours(2));

    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(crashed).doesNotExist();
    assertThat(foreign).doesNotExist();
    assertThat(fresh).exists();
    assertThat(live).exists();
    assertThat(report.count(CacheEntryKind.TMP)).isEqualTo(2);
  }

  @Test
  void gc_emptiesTheQuarantine() throws Exception {
    String hex = store(22, 1000);
    TestBlobs.flipByte(blob(hex), 3, false);
    assertThat(Cache.open(location, events).blobs().get(hex)).isEmpty();
    assertThat(TestBlobs.count(location.quarantineDirectory())).isEqualTo(1);

    GcReport report = cache.gc(GcPolicy.defaults());

    assertThat(report.count(CacheEntryKind.QUARANTINE)).isEqualTo(1);
    assertThat(TestBlobs.count(location.quarantineDirectory())).isZero();
  }

  @Test
  void gc_dryRunReportsTheSameButRemovesNothing() throws Exception {
    String stale = store(23, 700);
    unusedFor(stale, OLD);
    Path crashed = location.tmpDirectory().resolve("999999999-1.part");
    Files.write(crashed, new byte[10]);
    TestBlobs.age(crashed, Duration.ofHours(2));

    GcReport dry = cache.gc(GcPolicy.defaults().withDryRun(true));

    assertThat(dry.dryRun()).isTrue();
    assertThat(blob(stale)).exists();
    assertThat(crashed).exists();
    GcReport real = cache.gc(GcPolicy.defaults());
    assertThat(real.removals()).isEqualTo(dry.removals());
    assertThat(blob(stale)).doesNotExist();
  }

  @Test
  void gcPolicy_rejectsAGracePeriodTooShortForRunningBuilds() {
    assertThatThrownBy(() -> GcPolicy.defaults().withGracePeriod(Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gracePeriod");
    assertThatThrownBy(() -> GcPolicy.defaults().withMaxUnused(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
