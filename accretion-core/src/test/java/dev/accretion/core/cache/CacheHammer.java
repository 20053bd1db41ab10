package dev.accretion.core.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child-process workload for {@link ContentStoreMultiProcessIT}: several threads fetching, putting
 * and reading the same blobs and selectors as another process does at the same time. Prints {@code
 * download <hex> <count>} for every digest this process downloaded, {@code window <start> <end>}
 * (epoch millis of the workload), {@code lockwaits <n>}, then {@code done}; exits 1 with a stack
 * trace on any failure or inconsistency.
 *
 * <p>Arguments: cache root, ready file to create, go file to wait for, worker number.
 */
public final class CacheHammer {
  static final int FETCH_ONLY = 16;
  static final int MIXED = 8;
  static final int SELECTORS = 4;
  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

  private CacheHammer() {}

  /** Blobs only ever fetched (exactly one download across all processes). */
  static byte[] fetchOnly(int i) {
    return TestBlobs.content(1000 + i, 1 + (i * 104_729) % 1_000_000);
  }

  /** Blobs both put directly and fetched. */
  static byte[] mixed(int i) {
    return TestBlobs.content(2000 + i, 1 + (i * 15_485) % 300_000);
  }

  static SelectorKey selectorKey(int k) {
    return SelectorKey.builder().add("listing", "set " + k).add("builder", "hammer").build();
  }

  /** What selector {@code k} records: fetch-only blob k as artifact, mixed blob k as manifest. */
  static ArtifactRecord selectorRecord(int k) {
    byte[] zip = fetchOnly(k);
    byte[] manifest = mixed(k);
    String zipHex = TestBlobs.sha256(zip);
    String manifestHex = TestBlobs.sha256(manifest);
    return ArtifactRecord.of(
        zipHex,
        manifestHex,
        List.of(
            new ArtifactFile("set" + k + ".zip", zipHex, zip.length),
            new ArtifactFile("set" + k + ".json", manifestHex, manifest.length)),
        Map.of("set", Integer.toString(k)),
        CREATED);
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path ready = Path.of(args[1]);
    Path go = Path.of(args[2]);
    int worker = Integer.parseInt(args[3]);
    try {
      run(root, ready, go, worker);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(Path root, Path ready, Path go, int worker) throws Exception {
    AtomicInteger lockWaits = new AtomicInteger();
    Cache cache =
        Cache.open(
            CacheLocation.of(root),
            event -> {
              if (event instanceof CacheEvent.LockWait) {
                lockWaits.incrementAndGet();
              }
            });
    List<byte[]> fetchOnly = new ArrayList<>();
    List<byte[]> mixed = new ArrayList<>();
    for (int i = 0; i < FETCH_ONLY; i++) {
      fetchOnly.add(fetchOnly(i));
    }
    for (int i = 0; i < MIXED; i++) {
      mixed.add(mixed(i));
    }
    ConcurrentHashMap<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    Files.createFile(ready);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(go)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("never told to start");
      }
      Thread.sleep(2);
    }
    long started = System.currentTimeMillis();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random random = new Random(worker * 100L + t);
      results.add(
          pool.submit(
              () -> {
                List<Integer> order = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                  for (int i = 0; i < FETCH_ONLY + MIXED + SELECTORS; i++) {
                    order.add(i);
                  }
                }
                Collections.shuffle(order, random);
                for (int op : order) {
                  if (op < FETCH_ONLY) {
                    fetch(cache, fetchOnly.get(op), downloads);
                  } else if (op < FETCH_ONLY + MIXED) {
                    byte[] content = mixed.get(op - FETCH_ONLY);
                    if (random.nextBoolean()) {
                      fetch(cache, content, downloads);
                    } else {
                      Path blob =
                          cache
                              .blobs()
                              .put(
                                  new ByteArrayInputStream(content),
                                  Optional.of(TestBlobs.sha256(content)));
                      check(blob, content);
                    }
                  } else {
                    int k = op - FETCH_ONLY - MIXED;
                    fetch(cache, fetchOnly.get(k), downloads);
                    fetch(cache, mixed.get(k), downloads);
                    ArtifactRecord record = selectorRecord(k);
                    cache.selectors().put(selectorKey(k), record);
                    Optional<ArtifactRecord> read = cache.selectors().get(selectorKey(k));
                    if (!read.equals(Optional.of(record))) {
                      throw new IllegalStateException("selector " + k + " read back as " + read);
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> result : results) {
      result.get();
    }
    pool.shutdown();
    StringBuilder out = new StringBuilder();
    downloads.forEach(
        (hex, count) -> out.append("download ").append(hex).append(' ').append(count).append('\n'));
    out.append("window ").append(started).append(' ').append(System.currentTimeMillis());
    out.append('\n').append("lockwaits ").append(lockWaits.get()).append('\n');
    out.append("done\n");
    System.out.print(out);
    System.out.flush();
  }

  private static void fetch(Cache cache, byte[] content, Map<String, AtomicInteger> downloads)
      throws Exception {
    String hex = TestBlobs.sha256(content);
    Path blob =
        cache
            .blobs()
            .fetch(
                hex,
                out -> {
                  downloads.computeIfAbsent(hex, k -> new AtomicInteger()).incrementAndGet();
                  int half = content.length / 2;
                  out.write(content, 0, half);
                  pause(); // widen the window in which the other process could interfere
                  out.write(content, half, content.length - half);
                });
    check(blob, content);
  }

  private static void check(Path blob, byte[] content) throws IOException {
    if (!Arrays.equals(Files.readAllBytes(blob), content)) {
      throw new IllegalStateException(blob + " does not hold the content stored under it");
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(15);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }
}
