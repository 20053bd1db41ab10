package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreConcurrencyTest {
  @TempDir Path dir;

  @Test
  void threadsFetchingTheSameDigestDownloadItOnce() throws Exception {
    RecordingListener events = new RecordingListener();
    CacheLocation location = CacheLocation.of(dir.resolve("cache"));
    ContentStore store = Cache.open(location, events).blobs();
    byte[] content = TestBlobs.content(1, 200_000);
    String hex = TestBlobs.sha256(content);
    AtomicInteger downloads = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    int threads = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.fetch(
                      hex,
                      out -> {
                        downloads.incrementAndGet();
                        sleep(200); // a slow download, so the others must wait for it
                        out.write(content);
                      });
                }));
      }
      start.countDown();
      Set<Path> paths = new HashSet<>();
      for (Future<Path> result : results) {
        paths.add(result.get(60, TimeUnit.SECONDS));
      }

      assertThat(downloads).hasValue(1);
      assertThat(paths).containsExactly(location.blobDirectory().resolve(hex));
      assertThat(events.of(CacheEvent.LockWait.class)).isNotEmpty();
      assertThat(events.of(CacheEvent.Stored.class)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void threadsPuttingFetchingAndReadingSameAndDifferentDigestsKeepTheCacheConsistent()
      throws Exception {
    CacheLocation location = CacheLocation.of(dir.resolve("cache"));
    // Two instances on one directory, as two components of one process would have.
    List<ContentStore> stores =
        List.of(
            Cache.open(location, CacheListener.none()).blobs(),
            Cache.open(location, CacheListener.none()).blobs());
    int blobCount = 24;
    List<byte[]> contents = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < blobCount; i++) {
      byte[] content = TestBlobs.content(100 + i, 1 + (i * 7919) % 150_000);
      contents.add(content);
      digests.add(TestBlobs.sha256(content));
    }
    // The first half is only ever fetched: each must be downloaded exactly once. The second
    // half is also put directly, which may beat the fetch: at most one download each.
    ConcurrentHashMap<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ContentStore store = stores.get(t % 2);
        Random random = new Random(t);
        tasks.add(
            () -> {
              start.await();
              for (int op = 0; op < 80; op++) {
                int i = random.nextInt(blobCount);
                String hex = digests.get(i);
                byte[] content = contents.get(i);
                int kind = i < blobCount / 2 ? random.nextInt(2) : random.nextInt(3);
                Path blob;
                switch (kind) {
                  case 0 ->
                      blob =
                          store.fetch(
                              hex,
                              out -> {
                                downloads
                                    .computeIfAbsent(hex, k -> new AtomicInteger())
                                    .incrementAndGet();
                                sleep(5);
                                out.write(content, 0, content.length / 2);
                                out.write(
                                    content,
                                    content.length / 2,
                                    content.length - content.length / 2);
                              });
                  case 1 -> {
                    Optional<Path> found = store.get(hex);
                    if (found.isEmpty()) {
                      continue;
                    }
                    blob = found.get();
                  }
                  default -> blob = store.put(new ByteArrayInputStream(content), Optional.of(hex));
                }
                assertThat(Files.readAllBytes(blob)).isEqualTo(content);
              }
              return null;
            });
      }
      List<Future<Void>> results = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Void> result : results) {
        result.get(120, TimeUnit.SECONDS); // rethrows any failure of a worker
      }
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < blobCount; i++) {
      int count = downloads.getOrDefault(digests.get(i), new AtomicInteger()).get();
      assertThat(count).as("downloads of blob %d", i).isLessThanOrEqualTo(1);
    }
    Cache cache = Cache.open(location, CacheListener.none());
    VerifyReport report = cache.verify();
    assertThat(report.ok()).isTrue();
    assertThat(TestBlobs.count(location.quarantineDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
    List<Path> blobs;
    try (var listing = Files.list(location.blobDirectory())) {
      blobs = listing.toList();
    }
    for (Path blob : blobs) {
      int i = digests.indexOf(blob.getFileName().toString());
      assertThat(i).isNotNegative();
      assertThat(Files.readAllBytes(blob)).isEqualTo(contents.get(i));
    }
    // Every fetch-only blob that was asked for was downloaded exactly once.
    for (int i = 0; i < blobCount / 2; i++) {
      boolean stored = Files.exists(location.blobDirectory().resolve(digests.get(i)));
      int count = downloads.getOrDefault(digests.get(i), new AtomicInteger()).get();
      assertThat(count).isEqualTo(stored ? 1 : 0);
    }
  }

  private static void sleep(long millis) throws java.io.IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }
}
