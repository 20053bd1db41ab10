package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate JVMs sharing one cache directory at the same time. */
class ContentStoreMultiProcessIT {
  @TempDir Path dir;

  @Test
  void twoProcessesHammeringOneCacheStoreEveryBlobOnceAndCorruptNothing() throws Exception {
    CacheLocation location = CacheLocation.of(dir.resolve("cache"));
    Path logs = dir.resolve("logs");
    Path go = dir.resolve("go");
    int workers = 2;
    Process[] processes = new Process[workers];
    for (int w = 0; w < workers; w++) {
      processes[w] =
          ChildJvm.start(
              CacheHammer.class,
              logs,
              "worker" + w,
              location.root().toString(),
              dir.resolve("ready" + w).toString(),
              go.toString(),
              Integer.toString(w));
    }
    // Start both workloads at the same instant, once both JVMs are up.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int w = 0; w < workers; w++) {
      while (!Files.exists(dir.resolve("ready" + w))) {
        assertThat(processes[w].isAlive())
            .as("worker %d died early: %s", w, ChildJvm.stderr(logs, "worker" + w))
            .isTrue();
        assertThat(System.nanoTime()).as("workers did not start").isLessThan(deadline);
        Thread.sleep(5);
      }
    }
    Files.createFile(go);

    Map<String, Integer> downloads = new HashMap<>();
    long[][] windows = new long[workers][];
    int lockWaits = 0;
    for (int w = 0; w < workers; w++) {
      assertThat(processes[w].waitFor(180, TimeUnit.SECONDS)).as("worker %d finished", w).isTrue();
      String out = ChildJvm.stdout(logs, "worker" + w);
      assertThat(processes[w].exitValue())
          .as("worker %d: %s", w, ChildJvm.stderr(logs, "worker" + w))
          .isZero();
      assertThat(out).endsWith("done\n");
      for (String line : out.lines().toList()) {
        String[] parts = line.split(" ");
        switch (parts[0]) {
          case "download" -> downloads.merge(parts[1], Integer.parseInt(parts[2]), Integer::sum);
          case "window" ->
              windows[w] = new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
          case "lockwaits" -> lockWaits += Integer.parseInt(parts[1]);
          default -> {}
        }
      }
    }

    // The two workloads really ran at the same time, and contended for the same digests.
    assertThat(windows[0][0]).isLessThan(windows[1][1]);
    assertThat(windows[1][0]).isLessThan(windows[0][1]);
    assertThat(lockWaits).isPositive();
    // Fetch-only blobs: downloaded exactly once across both processes.
    for (int i = 0; i < CacheHammer.FETCH_ONLY; i++) {
      String hex = TestBlobs.sha256(CacheHammer.fetchOnly(i));
      assertThat(downloads.getOrDefault(hex, 0)).as("downloads of fetch-only blob %d", i).isOne();
    }
    // Blobs that were also put directly: at most once (a put may have stored it first).
    for (int i = 0; i < CacheHammer.MIXED; i++) {
      String hex = TestBlobs.sha256(CacheHammer.mixed(i));
      assertThat(downloads.getOrDefault(hex, 0))
          .as("downloads of mixed blob %d", i)
          .isLessThanOrEqualTo(1);
    }
    Cache cache = Cache.open(location, CacheListener.none());
    VerifyReport report = cache.verify();
    assertThat(report.ok()).as("%s", report).isTrue();
    assertThat(report.blobsChecked()).isEqualTo(CacheHammer.FETCH_ONLY + CacheHammer.MIXED);
    assertThat(TestBlobs.count(location.quarantineDirectory())).isZero();
    assertThat(TestBlobs.count(location.tmpDirectory())).isZero();
    for (int i = 0; i < CacheHammer.FETCH_ONLY; i++) {
      byte[] content = CacheHammer.fetchOnly(i);
      assertThat(location.blobDirectory().resolve(TestBlobs.sha256(content)))
          .hasBinaryContent(content);
    }
    for (int i = 0; i < CacheHammer.MIXED; i++) {
      byte[] content = CacheHammer.mixed(i);
      assertThat(location.blobDirectory().resolve(TestBlobs.sha256(content)))
          .hasBinaryContent(content);
    }
    for (int k = 0; k < CacheHammer.SELECTORS; k++) {
      assertThat(cache.selectors().get(CacheHammer.selectorKey(k)))
          .contains(CacheHammer.selectorRecord(k));
    }
  }

  @Test
  void aWriterKilledMidWriteLeavesOnlyATempFile_whichTheNextOpenRemoves() throws Exception {
    CacheLocation location = CacheLocation.of(dir.resolve("cache"));
    Path logs = dir.resolve("logs");
    byte[] content = SlowWriter.content();
    String hex = TestBlobs.sha256(content);
    Process writer = ChildJvm.start(SlowWriter.class, logs, "writer", location.root().toString());
    Path found = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (found == null) {
      assertThat(writer.isAlive()).as("writer died: %s", ChildJvm.stderr(logs, "writer")).isTrue();
      assertThat(System.nanoTime()).as("writer never started writing").isLessThan(deadline);
      if (Files.isDirectory(location.tmpDirectory())) {
        try (Stream<Path> files = Files.list(location.tmpDirectory())) {
          found =
              files
                  .filter(p -> p.getFileName().toString().startsWith(writer.pid() + "-"))
                  .filter(p -> p.toFile().length() >= 64 << 10)
                  .findFirst()
                  .orElse(null);
        }
      }
      Thread.sleep(5);
    }
    Path partial = found;
    writer.destroyForcibly();
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // the next open sees that the file's writer (its pid is in the name) is gone: it removes the
    // partial file and says so; a live writer's files are never touched (CacheOpenTest)
    RecordingListener events = new RecordingListener();
    Cache cache = Cache.open(location, events);
    assertThat(partial).doesNotExist();
    assertThat(events.of(CacheEvent.LeftoverRemoved.class))
        .singleElement()
        .satisfies(e -> assertThat(e.file()).isEqualTo(partial));
    assertThat(cache.blobs().get(hex)).isEmpty();
    assertThat(cache.ls().usage(CacheEntryKind.TMP).count()).isZero();
    Path blob = cache.blobs().put(new ByteArrayInputStream(content), Optional.of(hex));
    assertThat(blob).hasBinaryContent(content);
    VerifyReport report = cache.verify();
    assertThat(report.ok()).isTrue();
    assertThat(report.leftovers()).extracting(VerifyReport.Leftover::file).containsExactly(partial);
    assertThat(cache.blobs().get(hex)).contains(blob);
    assertThat(List.copyOf(events.of(CacheEvent.CorruptQuarantined.class))).isEmpty();
  }
}
