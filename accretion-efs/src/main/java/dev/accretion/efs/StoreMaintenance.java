package dev.accretion.efs;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a store holds ({@link #list}) and the removal of what no kept set uses ({@link #collect}).
 * Never prints; thread-safe.
 */
public final class StoreMaintenance {
  private StoreMaintenance() {}

  /** A version folder: its path relative to the root, size, file count, and the views using it. */
  public record VersionInfo(String path, long bytes, long files, List<String> views) {
    public VersionInfo {
      views = List.copyOf(views);
    }
  }

  /** A view: its digest, target, package count, and whether every version it links exists. */
  public record ViewInfo(
      String digest, String runtime, String architecture, int packages, boolean complete) {}

  /** What {@link #list} found. */
  public record Listing(List<VersionInfo> versions, List<ViewInfo> views, int installsInProgress) {
    public Listing {
      versions = List.copyOf(versions);
      views = List.copyOf(views);
    }
  }

  /** What {@link #collect} removed (or would remove, for a dry run) and kept. */
  public record Collected(
      List<String> removedVersions,
      List<String> removedViews,
      long removedBytes,
      List<String> keptVersions,
      List<String> keptViews,
      boolean dryRun) {
    public Collected {
      removedVersions = List.copyOf(removedVersions);
      removedViews = List.copyOf(removedViews);
      keptVersions = List.copyOf(keptVersions);
      keptViews = List.copyOf(keptViews);
    }
  }

  public static Listing list(Path root) throws AccretionException {
    EfsStore store = new EfsStore(root);
    requireRoot(store);
    try {
      Map<String, EfsSet> views = readViews(store);
      Map<String, List<String>> usedBy = new TreeMap<>();
      List<ViewInfo> viewInfos = new ArrayList<>();
      for (Map.Entry<String, EfsSet> v : views.entrySet()) {
        boolean complete = Files.isDirectory(store.view(v.getKey()));
        for (EfsPackage p : v.getValue().packages()) {
          usedBy.computeIfAbsent(p.path(), k -> new ArrayList<>()).add(v.getKey());
          complete &= Files.isDirectory(store.root().resolve(p.path()));
        }
        viewInfos.add(
            new ViewInfo(
                v.getKey(),
                v.getValue().runtime(),
                v.getValue().architecture(),
                v.getValue().packages().size(),
                complete));
      }
      List<VersionInfo> versions = new ArrayList<>();
      for (String path : store.versions()) {
        long[] size = EfsStore.size(store.root().resolve(path));
        versions.add(new VersionInfo(path, size[0], size[1], usedBy.getOrDefault(path, List.of())));
      }
      return new Listing(versions, viewInfos, liveInstalls(store).size());
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot read the store " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes every view whose digest is not in {@code keep} and every version folder that no kept
   * view and no install in progress needs. Holds the store's gc lock while it works; installs that
   * start meanwhile wait for it, and installs already running announced their versions, which are
   * kept.
   *
   * @param keep the digests of the sets to keep
   */
  public static Collected collect(Path root, Set<String> keep, boolean dryRun)
      throws AccretionException {
    EfsStore store = new EfsStore(root);
    requireRoot(store);
    try (StoreLock gc = StoreLock.acquire(store.gcLock(), "gc", Duration.ofMinutes(5))) {
      Map<String, EfsSet> views = readViews(store);
      for (String k : keep) {
        if (!views.containsKey(k)) {
          throw new AccretionException(
              FailureKind.NOT_FOUND,
              "the store " + root + " has no view " + k + " to keep",
              "`accretion efs ls --root " + root + "` lists the views; nothing was removed",
              null);
        }
      }
      Set<String> keptViews = new TreeSet<>(keep);
      Set<String> keptVersions = new TreeSet<>();
      for (List<String> body : liveInstalls(store)) {
        for (String line : body) {
          if (line.startsWith("version ")) {
            keptVersions.add(line.substring("version ".length()));
          } else if (line.startsWith("view ")) {
            keptViews.add(line.substring("view ".length()));
          }
        }
      }
      for (String k : keptViews) {
        EfsSet s = views.get(k);
        if (s != null) {
          for (EfsPackage p : s.packages()) {
            keptVersions.add(p.path());
          }
        }
      }
      List<String> removedViews = new ArrayList<>();
      for (String digest : views.keySet()) {
        if (!keptViews.contains(digest)) {
          removedViews.add(digest);
          if (!dryRun) {
            removeAside(store.view(digest));
            Files.deleteIfExists(store.viewRecord(digest));
          }
        }
      }
      List<String> removed = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      long bytes = 0;
      for (String path : store.versions()) {
        if (keptVersions.contains(path)) {
          kept.add(path);
          continue;
        }
        removed.add(path);
        bytes += EfsStore.size(store.root().resolve(path))[0];
        if (!dryRun) {
          removeAside(store.root().resolve(path));
        }
      }
      return new Collected(removed, removedViews, bytes, kept, new ArrayList<>(keptViews), dryRun);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot collect the store " + root + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "gc was interrupted", e);
    }
  }

  /** Renames a folder to a hidden name first, so it disappears at once, then deletes it. */
  private static void removeAside(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Path aside =
        dir.resolveSibling(
            "."
                + dir.getFileName()
                + ".trash-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
    EfsStore.deleteTree(aside);
  }

  private static void requireRoot(EfsStore store) throws AccretionException {
    if (!Files.isDirectory(store.root())) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "the store root " + store.root() + " is not a folder",
          "give the folder `accretion efs install --root` wrote to",
          null);
    }
  }

  private static Map<String, EfsSet> readViews(EfsStore store) throws IOException {
    Map<String, EfsSet> out = new TreeMap<>();
    for (Path p : store.viewRecords()) {
      String n = p.getFileName().toString();
      try {
        out.put(n.substring(0, n.length() - ".json".length()), EfsSet.parse(Files.readString(p)));
      } catch (dev.accretion.core.json.Json.SyntaxError | RuntimeException e) {
        throw new IOException("the view record " + p + " is not valid: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static List<List<String>> liveInstalls(EfsStore store) throws IOException {
    List<List<String>> out = new ArrayList<>();
    for (Path p : EfsStore.hidden(store.root())) {
      if (!p.getFileName().toString().equals(".installs")) {
        continue;
      }
      try (var s = Files.list(p)) {
        for (Path f : s.sorted().toList()) {
          if (f.getFileName().toString().endsWith(".lock") && StoreLock.isLive(f)) {
            StoreLock.body(f).ifPresent(out::add);
          }
        }
      }
    }
    return out;
  }
}
