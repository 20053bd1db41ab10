package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private CacheLocation location;
  private ContentStore store;

  @BeforeEach
  void open() throws CacheException {
    location = CacheLocation.of(dir.resolve("cache"));
    store = Cache.open(location, events).blobs();
  }

  private Path put(byte[] content) throws CacheException {
    return store.put(new ByteArrayInputStream(content), Optional.empty());
  }

  @Test
  void put_storesUnderSha256AndGetReturnsTheVerifiedBlob() throws Exception {
    byte[] content = TestBlobs.content(1, 100_000);
    String hex = TestBlobs.sha256(content);

    Path blob = put(content);

    assertThat(blob).isEqualTo(location.blobDirectory().resolve(hex));
    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    assertThat(store.get(hex)).contains(blob);
    assertThat(events.of(CacheEvent.Stored.class))
        .containsExactly(new CacheEvent.Stored(hex, content.length, blob, false));
    assertThat(events.of(CacheEvent.Hit.class)).containsExactly(new CacheEvent.Hit(hex, blob));
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void put_makesBlobsReadOnly() throws Exception {
    Path blob = put(TestBlobs.content(2, 10));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)))
        .isEqualTo("r--r--r--");
  }

  @Test
  void put_acceptsMatchingExpectedDigestInAnyCase() throws Exception {
    byte[] content = TestBlobs.content(3, 5000);
    String hex = TestBlobs.sha256(content);

    Path blob =
        store.put(
            new ByteArrayInputStream(content), Optional.of(hex.toUpperCase(java.util.Locale.ROOT)));

    assertThat(blob.getFileName().toString()).isEqualTo(hex);
  }

  @Test
  void put_digestMismatchStoresNothingAndNamesBothDigests() throws Exception {
    byte[] content = TestBlobs.content(4, 5000);
    String actual = TestBlobs.sha256(content);
    String expected = TestBlobs.sha256(TestBlobs.content(5, 5000));

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), Optional.of(expected)))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> {
              assertThat(e.expectedSha256()).isEqualTo(expected);
              assertThat(e.actualSha256()).isEqualTo(actual);
            })
        .hasMessageContaining(expected)
        .hasMessageContaining(actual)
        .hasMessageContaining("nothing was stored");
    assertThat(TestBlobs.count(location.blobDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
    assertThat(store.get(actual)).isEmpty();
  }

  @Test
  void put_rejectsMalformedExpectedDigestBeforeReading() {
    assertThatThrownBy(
            () -> store.put(new ByteArrayInputStream(new byte[1]), Optional.of("sha256:abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256:abc");
  }

  @Test
  void put_neverOverwritesAnExistingBlob() throws Exception {
    byte[] content = TestBlobs.content(6, 20_000);
    Path blob = put(content);
    FileStamp first = FileStamp.of(blob);

    Path again = put(content);

    assertThat(again).isEqualTo(blob);
    assertThat(FileStamp.of(blob)).isEqualTo(first); // same inode, untouched
    assertThat(events.of(CacheEvent.Stored.class))
        .extracting(CacheEvent.Stored::alreadyPresent)
        .containsExactly(false, true);
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void put_setsAsideACorruptExistingBlobAndStoresTheGoodCopy() throws Exception {
    byte[] content = TestBlobs.content(7, 20_000);
    String hex = TestBlobs.sha256(content);
    Path blob = put(content);
    TestBlobs.flipByte(blob, 100, false);

    put(content);

    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    assertThat(TestBlobs.count(location.quarantineDirectory())).isEqualTo(1);
    assertThat(events.of(CacheEvent.CorruptQuarantined.class))
        .singleElement()
        .satisfies(e -> assertThat(e.sha256()).isEqualTo(hex));
  }

  @Test
  void put_fromPathCopiesTheFile() throws Exception {
    byte[] content = TestBlobs.content(8, 3000);
    Path source = dir.resolve("wheel.whl");
    Files.write(source, content);

    Path blob = store.put(source, Optional.of(TestBlobs.sha256(content)));

    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    assertThat(source).exists();
  }

  @Test
  void put_fromMissingPathNamesTheFile() {
    Path missing = dir.resolve("nope.whl");

    assertThatThrownBy(() -> store.put(missing, Optional.empty()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void put_failingSourceStoresNothingAndSaysTheSourceFailed() throws Exception {
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served++ > 1000) {
              throw new IOException("connection reset");
            }
            return 7;
          }
        };

    assertThatThrownBy(() -> store.put(failing, Optional.empty()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("connection reset")
        .hasMessageContaining("reading");
    assertThat(TestBlobs.count(location.blobDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void get_missingBlobIsEmptyAndReportsMiss() throws Exception {
    String hex = TestBlobs.sha256(new byte[] {1});

    assertThat(store.get(hex)).isEmpty();
    assertThat(events.events()).containsExactly(new CacheEvent.Miss(hex));
  }

  @Test
  void get_rejectsMalformedDigest() {
    assertThatThrownBy(() -> store.get("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void get_corruptBlobIsQuarantinedReportedAndMissed() throws Exception {
    byte[] content = TestBlobs.content(9, 50_000);
    String hex = TestBlobs.sha256(content);
    Path blob = put(content);
    TestBlobs.flipByte(blob, 40_000, false);
    byte[] corrupt = Files.readAllBytes(blob);

    Optional<Path> found = store.get(hex);

    assertThat(found).isEmpty();
    assertThat(blob).doesNotExist();
    CacheEvent.CorruptQuarantined event = events.of(CacheEvent.CorruptQuarantined.class).get(0);
    assertThat(event.sha256()).isEqualTo(hex);
    assertThat(event.actualSha256()).isEqualTo(TestBlobs.sha256(corrupt));
    assertThat(event.quarantined().getParent()).isEqualTo(location.quarantineDirectory());
    assertThat(Files.readAllBytes(event.quarantined())).isEqualTo(corrupt); // kept, not deleted
    assertThat(events.of(CacheEvent.Miss.class)).containsExactly(new CacheEvent.Miss(hex));
  }

  @Test
  void get_detectsCorruptionOfABlobAlreadyVerifiedInThisProcess() throws Exception {
    byte[] content = TestBlobs.content(10, 50_000);
    String hex = TestBlobs.sha256(content);
    put(content);
    assertThat(store.get(hex)).isPresent();
    // Same size, same mtime: only the ctime tells the file was written to.
    TestBlobs.flipByte(location.blobDirectory().resolve(hex), 0, true);

    assertThat(store.get(hex)).isEmpty();
    assertThat(events.of(CacheEvent.CorruptQuarantined.class)).hasSize(1);
  }

  @Test
  void get_verifiesBlobsWrittenByAnotherInstance() throws Exception {
    byte[] content = TestBlobs.content(11, 1000);
    String hex = TestBlobs.sha256(content);
    put(content);
    TestBlobs.flipByte(location.blobDirectory().resolve(hex), 5, true);
    ContentStore other = Cache.open(location, events).blobs();

    assertThat(other.get(hex)).isEmpty();
  }

  @Test
  void get_trustsTheStampAnEarlierInstanceVerifiedAndRehashesWhenItDiffers() throws Exception {
    byte[] content = TestBlobs.content(13, 4000);
    String hex = TestBlobs.sha256(content);
    Path blob = put(content);
    Path stamp = location.verifiedDirectory().resolve(hex);
    assertThat(stamp).exists();
    assertThat(FileStamp.parse(Files.readString(stamp))).isEqualTo(FileStamp.of(blob));

    // Bytes that changed while the stamp stayed (a disk error, say) are what a later process
    // trusts without hashing; `cache verify` (no memo) still finds them.
    TestBlobs.flipByte(blob, 7, true);
    Files.writeString(stamp, FileStamp.of(blob).persisted());
    ContentStore later = Cache.open(location, events).blobs();
    assertThat(later.get(hex)).contains(blob);
    assertThat(later.check(hex, blob, false)).isInstanceOf(ContentStore.Check.Corrupt.class);

    // A write that changes the stamp is hashed again by a later process, found and set aside,
    // and its stamp file is dropped.
    TestBlobs.flipByte(blob, 9, true);
    ContentStore third = Cache.open(location, events).blobs();
    assertThat(third.get(hex)).isEmpty();
    assertThat(events.of(CacheEvent.CorruptQuarantined.class)).hasSize(1);
    assertThat(stamp).doesNotExist();
  }

  @Test
  void get_ignoresAnUnreadableStampFile() throws Exception {
    byte[] content = TestBlobs.content(14, 3000);
    String hex = TestBlobs.sha256(content);
    Path blob = put(content);
    Files.writeString(location.verifiedDirectory().resolve(hex), "not a stamp at all");
    TestBlobs.flipByte(blob, 3, true);

    assertThat(Cache.open(location, events).blobs().get(hex)).isEmpty();
    assertThat(events.of(CacheEvent.CorruptQuarantined.class)).hasSize(1);
  }

  @Test
  void fetch_downloadsOnceThenHits() throws Exception {
    byte[] content = TestBlobs.content(12, 70_000);
    String hex = TestBlobs.sha256(content);
    AtomicInteger downloads = new AtomicInteger();
    Fetcher fetcher =
        out -> {
          downloads.incrementAndGet();
          out.write(content);
        };

    Path first = store.fetch(hex, fetcher);
    Path second = store.fetch(hex, fetcher);

    assertThat(first).isEqualTo(second);
    assertThat(Files.readAllBytes(first)).isEqualTo(content);
    assertThat(downloads).hasValue(1);
    assertThat(events.events())
        .containsExactly(
            new CacheEvent.Miss(hex),
            new CacheEvent.Stored(hex, content.length, first, false),
            new CacheEvent.Hit(hex, first));
  }

  @Test
  void fetch_refetchesACorruptBlob() throws Exception {
    byte[] content = TestBlobs.content(13, 30_000);
    String hex = TestBlobs.sha256(content);
    AtomicInteger downloads = new AtomicInteger();
    Fetcher fetcher =
        out -> {
          downloads.incrementAndGet();
          out.write(content);
        };
    Path blob = store.fetch(hex, fetcher);
    TestBlobs.flipByte(blob, 1234, false);

    Path again = store.fetch(hex, fetcher);

    assertThat(downloads).hasValue(2);
    assertThat(Files.readAllBytes(again)).isEqualTo(content);
    assertThat(TestBlobs.count(location.quarantineDirectory())).isEqualTo(1);
  }

  @Test
  void fetch_wrongContentThrowsMismatchAndStoresNothing() throws Exception {
    String hex = TestBlobs.sha256(TestBlobs.content(14, 100));
    byte[] other = TestBlobs.content(15, 100);

    assertThatThrownBy(() -> store.fetch(hex, out -> out.write(other)))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> assertThat(e.actualSha256()).isEqualTo(TestBlobs.sha256(other)))
        .hasMessageContaining(hex);
    assertThat(TestBlobs.count(location.blobDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void fetch_fetcherIoFailureNamesTheDigestAndStoresNothing() throws Exception {
    String hex = TestBlobs.sha256(TestBlobs.content(16, 100));

    assertThatThrownBy(
            () ->
                store.fetch(
                    hex,
                    out -> {
                      out.write(new byte[10]);
                      throw new IOException("HTTP 503 from files.example");
                    }))
        .isInstanceOf(AccretionException.class)
        .isNotInstanceOf(CacheException.class)
        .hasMessageContaining(hex)
        .hasMessageContaining("HTTP 503");
    assertThat(TestBlobs.count(location.blobDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
  }

  @Test
  void fetch_fetcherAccretionExceptionPropagatesUnchanged() {
    String hex = TestBlobs.sha256(TestBlobs.content(17, 100));
    AccretionException own = new AccretionException("numpy-2.4.6 is yanked");

    assertThatThrownBy(
            () ->
                store.fetch(
                    hex,
                    out -> {
                      throw own;
                    }))
        .isSameAs(own);
  }

  @Test
  void fetch_fetcherMayCloseTheStreamAndWriteByteByByte() throws Exception {
    byte[] content = TestBlobs.content(18, 300);
    String hex = TestBlobs.sha256(content);

    Path blob =
        store.fetch(
            hex,
            out -> {
              try (out) {
                for (byte b : content) {
                  out.write(b);
                }
              }
            });

    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
  }

  @Test
  void fetch_emptyContentIsABlobToo() throws Exception {
    String hex = TestBlobs.sha256(new byte[0]);

    Path blob = store.fetch(hex, out -> {});

    assertThat(blob).isEmptyFile();
    assertThat(store.get(hex)).contains(blob);
  }

  @Test
  void tmpLeftoversOfACrashedWriterAreIgnored() throws Exception {
    byte[] content = TestBlobs.content(19, 10_000);
    String hex = TestBlobs.sha256(content);
    // What a writer killed halfway leaves: a partial temp file, no blob.
    Path leftover = location.tmpDirectory().resolve("999999999-123.part");
    Files.write(leftover, java.util.Arrays.copyOf(content, 4000));

    assertThat(store.get(hex)).isEmpty();
    Path blob = put(content);

    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    assertThat(leftover).exists(); // gc collects it once it is old
  }

  @Test
  void cacheRemovedWhileInUseIsRecreatedOnNextWrite() throws Exception {
    Cache.open(location, events); // layout exists
    deleteTree(location.root());

    Path blob = put(TestBlobs.content(20, 100));

    assertThat(blob).exists();
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void alias_findsABlobKnownOnlyBySha512AndNeverTrustsAWrongOne() throws Exception {
    byte[] content = TestBlobs.content(9, 50_000);
    String sha512 =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(content));
    assertThat(store.getByAlias("sha512", sha512)).isEmpty();
    Path blob = put(content);
    store.putAlias("sha512", sha512, TestBlobs.sha256(content));

    assertThat(store.getByAlias("sha512", sha512.toUpperCase(java.util.Locale.ROOT)))
        .contains(blob);
    assertThat(location.aliasDirectory().resolve("sha512").resolve(sha512)).exists();

    // an alias that points at a blob with another sha512 is a miss, and is forgotten
    byte[] other = TestBlobs.content(10, 1000);
    put(other);
    String wrong = "ab".repeat(64);
    store.putAlias("sha512", wrong, TestBlobs.sha256(other));
    assertThat(store.getByAlias("sha512", wrong)).isEmpty();
    assertThat(location.aliasDirectory().resolve("sha512").resolve(wrong)).doesNotExist();

    assertThatThrownBy(() -> store.putAlias("sha256", sha512, TestBlobs.sha256(content)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.getByAlias("../x", sha512))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
