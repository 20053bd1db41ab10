package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** ls, verify and gc over one cache directory; see {@link Cache}. */
final class CacheMaintenance {
  private static final int LARGEST = 10;

  private final ContentStore store;
  private final CacheLocation location;

  CacheMaintenance(ContentStore store) {
    this.store = store;
    this.location = store.location();
  }

  /** A regular file in one of the cache's folders, as listed. */
  private record Entry(Path path, String name, long size, Instant modified) {}

  /** What reading a selector file gave. */
  private sealed interface SelectorRead {
    record Parsed(ArtifactRecord record) implements SelectorRead {}

    record Unreadable(String reason) implements SelectorRead {}

    record OtherFormat(String reason) implements SelectorRead {}
  }

  CacheReport ls() throws CacheException {
    try {
      List<Entry> blobs = list(location.blobDirectory());
      List<Entry> selectors = list(location.selectorDirectory());
      Map<CacheEntryKind, CacheReport.Usage> usage = new EnumMap<>(CacheEntryKind.class);
      usage.put(CacheEntryKind.BLOB, usage(blobs));
      usage.put(CacheEntryKind.SELECTOR, usage(selectors));
      usage.put(CacheEntryKind.QUARANTINE, usage(list(location.quarantineDirectory())));
      usage.put(CacheEntryKind.TMP, usage(list(location.tmpDirectory())));

      Map<String, Set<String>> names = new TreeMap<>();
      for (Entry selector : selectors) {
        if (read(selector) instanceof SelectorRead.Parsed parsed) {
          ArtifactRecord record = parsed.record();
          for (ArtifactFile file : record.files()) {
            names.computeIfAbsent(file.sha256(), k -> new TreeSet<>()).add(file.name());
          }
          names.computeIfAbsent(record.artifactSha256(), k -> new TreeSet<>());
        }
      }
      List<CacheReport.LargeBlob> largest = new ArrayList<>();
      List<Entry> bySize = new ArrayList<>(blobs);
      bySize.sort(Comparator.comparingLong(Entry::size).reversed().thenComparing(Entry::name));
      for (Entry blob : bySize.subList(0, Math.min(LARGEST, bySize.size()))) {
        largest.add(
            new CacheReport.LargeBlob(
                blob.name(),
                blob.size(),
                lastUse(blob),
                List.copyOf(names.getOrDefault(blob.name(), Set.of()))));
      }
      return new CacheReport(location.root(), usage, largest);
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "list", location.root(), e);
    }
  }

  VerifyReport verify(List<VerifyReport.Leftover> removedAtOpen, CacheListener listener)
      throws CacheException {
    VerifyReport report = verify();
    List<VerifyReport.Leftover> leftovers = new ArrayList<>(removedAtOpen);
    leftovers.addAll(removeLeftovers(location.tmpDirectory(), listener));
    return new VerifyReport(
        report.blobsChecked(),
        report.bytesChecked(),
        report.corrupt(),
        report.brokenSelectors(),
        report.unexpectedFiles(),
        leftovers);
  }

  VerifyReport verify() throws CacheException {
    long checked = 0;
    long bytes = 0;
    List<VerifyReport.CorruptBlob> corrupt = new ArrayList<>();
    List<VerifyReport.BrokenSelector> broken = new ArrayList<>();
    List<Path> unexpected = new ArrayList<>();
    Path current = location.blobDirectory();
    try {
      for (Entry blob : list(location.blobDirectory())) {
        current = blob.path();
        if (!Sha256.isHex(blob.name())) {
          unexpected.add(blob.path());
          continue;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
          ContentStore.Check check = store.check(blob.name(), blob.path(), false);
          if (check instanceof ContentStore.Check.Good) {
            checked++;
            bytes += blob.size();
            break;
          }
          if (check instanceof ContentStore.Check.Missing) {
            break; // removed while listing (gc, or quarantined by a concurrent lookup)
          }
          ContentStore.Check.Corrupt bad = (ContentStore.Check.Corrupt) check;
          Optional<Path> aside = store.quarantine(blob.name(), blob.path(), bad);
          if (aside.isPresent()) {
            checked++;
            bytes += blob.size();
            corrupt.add(new VerifyReport.CorruptBlob(blob.name(), bad.actualSha256(), aside.get()));
            break;
          }
          // changed while being checked: check the new file
        }
      }
      SelectorIndex index = new SelectorIndex(store);
      for (Entry selector : list(location.selectorDirectory())) {
        current = selector.path();
        if (!Sha256.isHex(selector.name())) {
          unexpected.add(selector.path());
          continue;
        }
        FileStamp stamp;
        try {
          stamp = FileStamp.of(selector.path());
        } catch (NoSuchFileException e) {
          continue;
        }
        SelectorRead read = read(selector);
        if (read instanceof SelectorRead.Unreadable unreadable) {
          Path aside = index.setAside(selector.path(), stamp, SelectorKey.of(selector.name()));
          broken.add(
              new VerifyReport.BrokenSelector(
                  selector.name(),
                  "unreadable ("
                      + unreadable.reason()
                      + ")"
                      + (aside != null ? "; moved to " + aside : "")));
        } else if (read instanceof SelectorRead.Parsed parsed) {
          for (String digest : parsed.record().referencedDigests()) {
            if (!Files.exists(store.blobPath(digest))) {
              broken.add(
                  new VerifyReport.BrokenSelector(
                      selector.name(), "references blob sha256 " + digest + ", which is missing"));
              break;
            }
          }
        }
      }
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "verify", current, e);
    }
    return new VerifyReport(checked, bytes, corrupt, broken, unexpected);
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  GcReport gc(GcPolicy policy) throws CacheException {
    Path gcLock = location.lockDirectory().resolve("gc");
    try (CacheLocks.Held held =
        CacheLocks.acquire(gcLock, () -> store.emit(new CacheEvent.LockWait("gc", gcLock)))) {
      return collect(policy);
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "lock", gcLock, e);
    }
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private GcReport collect(GcPolicy policy) throws CacheException {
    Instant now = store.clock().instant();
    boolean dry = policy.dryRun();
    Duration threshold = policy.unusedThreshold();
    List<GcReport.Removal> removals = new ArrayList<>();
    Path current = location.root();
    try {
      // 1. Temp files whose writer crashed or was killed. A live writer (same pid, still running)
      //    keeps its file even if it stalled.
      for (Entry tmp : list(location.tmpDirectory())) {
        current = tmp.path();
        if (olderThan(tmp.modified(), now, policy.tmpMaxAge()) && !writerAlive(tmp.name())) {
          remove(tmp, CacheEntryKind.TMP, "abandoned temporary file", dry, removals);
        }
      }
      // 2. Quarantine: corrupt entries kept for inspection only; nothing reads them.
      for (Entry aside : list(location.quarantineDirectory())) {
        current = aside.path();
        remove(aside, CacheEntryKind.QUARANTINE, "quarantined as corrupt", dry, removals);
      }
      // 3. Selectors. What remains is the set of roots for the blobs.
      Set<String> referenced = new HashSet<>();
      for (Entry selector : list(location.selectorDirectory())) {
        current = selector.path();
        if (!Sha256.isHex(selector.name())) {
          continue; // not ours
        }
        SelectorRead read = read(selector);
        String reason = null;
        Duration minAge = policy.gracePeriod();
        if (olderThan(selector.modified(), now, threshold)) {
          reason = "unused for " + describe(Duration.between(selector.modified(), now));
          minAge = threshold;
        } else if (olderThan(selector.modified(), now, policy.gracePeriod())) {
          if (read instanceof SelectorRead.Unreadable unreadable) {
            reason = "unreadable (" + unreadable.reason() + ")";
          } else if (read instanceof SelectorRead.Parsed parsed) {
            for (String digest : parsed.record().referencedDigests()) {
              if (!Files.exists(store.blobPath(digest))) {
                reason = "references blob sha256 " + digest + ", which is missing";
                break;
              }
            }
          }
        }
        if (reason != null && removeSelector(selector, reason, now, minAge, dry, removals)) {
          continue;
        }
        if (read instanceof SelectorRead.Parsed parsed) {
          referenced.addAll(parsed.record().referencedDigests());
        }
      }
      // 4. Blobs no remaining selector references and nobody used for the threshold.
      for (Entry blob : list(location.blobDirectory())) {
        current = blob.path();
        String hex = blob.name();
        if (!Sha256.isHex(hex) || referenced.contains(hex)) {
          continue;
        }
        if (!olderThan(lastUse(blob), now, threshold)) {
          continue;
        }
        removeBlob(blob, now, threshold, dry, removals);
      }
      // 5. Markers and lock files left behind by blobs that are gone (metadata; not reported).
      if (!dry) {
        for (Entry marker : list(location.accessDirectory())) {
          current = marker.path();
          if (Sha256.isHex(marker.name())
              && olderThan(marker.modified(), now, policy.gracePeriod())
              && !Files.exists(store.blobPath(marker.name()))) {
            CacheFiles.deleteQuietly(marker.path());
          }
        }
        for (Entry stamp :
            Files.isDirectory(location.verifiedDirectory())
                ? list(location.verifiedDirectory())
                : List.<Entry>of()) {
          current = stamp.path();
          String name = stamp.name();
          String hex = name.length() > 64 ? name.substring(0, 64) : name;
          // a stamp whose blob is gone, or a temp file a killed process left behind
          if (olderThan(stamp.modified(), now, policy.gracePeriod())
              && (!name.equals(hex) || !Files.exists(store.blobPath(hex)))) {
            CacheFiles.deleteQuietly(stamp.path());
          }
        }
        for (Entry lock : list(location.lockDirectory())) {
          current = lock.path();
          String hex = lock.name();
          if (Sha256.isHex(hex)
              && olderThan(lock.modified(), now, policy.gracePeriod())
              && !Files.exists(store.blobPath(hex))) {
            Optional<CacheLocks.Held> held = store.tryLock(hex);
            if (held.isPresent()) {
              try (CacheLocks.Held h = held.get()) {
                CacheFiles.deleteQuietly(lock.path());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "collect", current, e);
    }
    return new GcReport(dry, removals);
  }

  private boolean removeSelector(
      Entry selector,
      String reason,
      Instant now,
      Duration minAge,
      boolean dry,
      List<GcReport.Removal> removals)
      throws IOException {
    if (!dry) {
      // A build may have rewritten or hit it since it was listed: then it stays.
      if (!olderThan(CacheFiles.modifiedOrEpoch(selector.path()), now, minAge)) {
        return false;
      }
      if (!Files.deleteIfExists(selector.path())) {
        return false;
      }
    }
    removals.add(
        new GcReport.Removal(CacheEntryKind.SELECTOR, selector.path(), selector.size(), reason));
    return true;
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private void removeBlob(
      Entry blob, Instant now, Duration threshold, boolean dry, List<GcReport.Removal> removals)
      throws IOException {
    String hex = blob.name();
    String reason =
        "not referenced by any build, unused for " + describe(Duration.between(lastUse(blob), now));
    if (dry) {
      removals.add(new GcReport.Removal(CacheEntryKind.BLOB, blob.path(), blob.size(), reason));
      return;
    }
    Optional<CacheLocks.Held> held = store.tryLock(hex);
    if (held.isEmpty()) {
      return; // being fetched or set aside right now: in use
    }
    try (CacheLocks.Held h = held.get()) {
      // Lookups touch the marker before they look, so re-reading it here, just before the delete,
      // catches any build that started using the blob since it was listed.
      if (!olderThan(lastUse(blob), now, threshold)) {
        return;
      }
      if (!Files.deleteIfExists(blob.path())) {
        return;
      }
      store.forget(hex);
      CacheFiles.deleteQuietly(store.accessMarker(hex));
      CacheFiles.deleteQuietly(store.lockPath(hex));
      CacheFiles.fsyncDirectory(location.blobDirectory());
    }
    removals.add(new GcReport.Removal(CacheEntryKind.BLOB, blob.path(), blob.size(), reason));
  }

  private void remove(
      Entry entry, CacheEntryKind kind, String reason, boolean dry, List<GcReport.Removal> removals)
      throws IOException {
    if (dry || Files.deleteIfExists(entry.path())) {
      removals.add(new GcReport.Removal(kind, entry.path(), entry.size(), reason));
    }
  }

  /** The later of the blob's store time and its last-use marker, read now. */
  private Instant lastUse(Entry blob) throws IOException {
    Instant modified = CacheFiles.modifiedOrEpoch(blob.path());
    Instant marker = CacheFiles.modifiedOrEpoch(store.accessMarker(blob.name()));
    Instant latest = modified.isAfter(marker) ? modified : marker;
    return latest.isAfter(blob.modified()) ? latest : blob.modified();
  }

  private static boolean olderThan(Instant time, Instant now, Duration age) {
    return Duration.between(time, now).compareTo(age) > 0;
  }

  /**
   * Removes the {@code .part} files in {@code tmp/} whose writer is gone: a file is named {@code
   * <pid>-<random>.part} by the process writing it, so a file whose pid no longer runs belongs to a
   * killed or crashed build, while a concurrent build's files (its pid alive) are left alone.
   * Reports each removal to {@code listener}; a file that can't be removed is left for gc.
   */
  static List<VerifyReport.Leftover> removeLeftovers(Path tmpDirectory, CacheListener listener) {
    List<VerifyReport.Leftover> removed = new ArrayList<>();
    List<Path> files;
    try (java.util.stream.Stream<Path> stream = Files.list(tmpDirectory)) {
      files = stream.toList();
    } catch (IOException e) {
      return removed;
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!name.endsWith(".part") || writerAlive(name)) {
        continue;
      }
      long size;
      try {
        size = Files.size(file);
        Files.delete(file);
      } catch (IOException e) {
        continue;
      }
      VerifyReport.Leftover leftover = new VerifyReport.Leftover(file, size);
      removed.add(leftover);
      listener.onEvent(new CacheEvent.LeftoverRemoved(file, size));
    }
    return removed;
  }

  /** Whether the process named in a temp file's {@code <pid>-...} name is still running. */
  private static boolean writerAlive(String name) {
    int dash = name.indexOf('-');
    if (dash <= 0) {
      return false;
    }
    try {
      long pid = Long.parseLong(name.substring(0, dash));
      return pid == ContentStore.PID
          || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private SelectorRead read(Entry selector) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(selector.path());
    } catch (NoSuchFileException e) {
      return new SelectorRead.Unreadable("removed while being read");
    }
    try {
      return new SelectorRead.Parsed(SelectorIndex.parse(bytes, SelectorKey.of(selector.name())));
    } catch (SelectorIndex.OtherFormatException e) {
      return new SelectorRead.OtherFormat(e.getMessage());
    } catch (IllegalArgumentException e) {
      return new SelectorRead.Unreadable(e.getMessage());
    }
  }

  private static CacheReport.Usage usage(List<Entry> entries) {
    return new CacheReport.Usage(entries.size(), entries.stream().mapToLong(Entry::size).sum());
  }

  /** The regular files directly in {@code dir}, sorted by name; empty if {@code dir} is gone. */
  private static List<Entry> list(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path path : stream) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed concurrently
        }
        if (a.isRegularFile()) {
          entries.add(
              new Entry(
                  path, path.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  private static String describe(Duration age) {
    long days = age.toDays();
    if (days >= 1) {
      return days + (days == 1 ? " day" : " days");
    }
    long hours = age.toHours();
    if (hours >= 1) {
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = Math.max(0, age.toMinutes());
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }
}
