package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one build in the output folder, published all together or not at all: each is
 * written to a temporary name beside its target ({@link AtomicFiles#tempBeside}: hidden, carrying
 * the pid, so a killed build's leftovers are recognised by the next one), forced to disk, and only
 * when every file is written are they renamed into place. Files they replace are first moved aside;
 * if a rename fails, the renamed files are removed and the old ones put back, so that a zip never
 * appears without its manifest, SBOM and locks (a full disk after the zip was written). A file
 * copied from the cache onto an output file that already holds exactly its bytes is left alone (no
 * write, no fsync, its modification time kept): an unchanged rebuild rewrites nothing. Not
 * thread-safe.
 */
final class OutputSet implements AutoCloseable {
  /** Where tests inject faults: called before each temporary file is written and each rename. */
  interface Hook {
    Hook NONE = (step, target) -> {};

    /**
     * @param step {@code write} or {@code rename}
     * @throws IOException to simulate a failure of that step (a full disk)
     */
    void before(String step, Path target) throws IOException;
  }

  private final Path dir;
  private final Hook hook;
  // target -> its temporary file, or null for a target that already holds the bytes
  private final Map<Path, Path> temps = new LinkedHashMap<>();
  private boolean committed;

  OutputSet(Path dir, Hook hook) {
    this.dir = dir;
    this.hook = hook;
  }

  /** The folder the files go to. */
  Path dir() {
    return dir;
  }

  /** A temporary file for {@code name}, created empty, to be published by {@link #commit}. */
  Path reserve(String name) throws AccretionException {
    Path target = dir.resolve(name);
    if (temps.containsKey(target)) {
      throw new IllegalStateException("two outputs named " + name);
    }
    try {
      hook.before("write", target);
      Files.createDirectories(dir);
      Path temp = AtomicFiles.createTempBeside(target);
      temps.put(target, temp);
      return temp;
    } catch (IOException e) {
      throw failure("write", target, e);
    }
  }

  /** Writes {@code content} to a temporary file for {@code name}. */
  void write(String name, byte[] content) throws AccretionException {
    Path temp = reserve(name);
    Path target = dir.resolve(name);
    try {
      AtomicFiles.writeForced(temp, out -> out.write(content));
    } catch (IOException e) {
      throw failure("write", target, e);
    }
  }

  /**
   * Copies {@code source} to a temporary file for {@code name}; if {@code name} is already a
   * regular file with exactly the bytes of {@code source}, keeps it as it is instead.
   */
  void copy(String name, Path source) throws AccretionException {
    Path target = dir.resolve(name);
    if (holdsSameBytes(target, source)) {
      if (temps.containsKey(target)) {
        throw new IllegalStateException("two outputs named " + name);
      }
      temps.put(target, null);
      return;
    }
    Path temp = reserve(name);
    try {
      AtomicFiles.writeForced(
          temp,
          out -> {
            try (var in = Files.newInputStream(source)) {
              in.transferTo(out);
            }
          });
    } catch (IOException e) {
      throw failure("write", target, e);
    }
  }

  /** Whether {@code target} is a regular file (not a link) whose bytes equal {@code source}'s. */
  private static boolean holdsSameBytes(Path target, Path source) {
    try {
      return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
          && Files.size(target) == Files.size(source)
          && Files.mismatch(target, source) == -1;
    } catch (IOException e) {
      return false; // unreadable: written again, which reports any real problem
    }
  }

  /**
   * Renames every temporary file into place. On failure, nothing of this set stays: the files
   * already renamed are removed and the ones they replaced restored.
   *
   * @return the published files, in the order they were reserved
   */
  List<Path> commit() throws AccretionException {
    Map<Path, Path> aside = new LinkedHashMap<>();
    List<Path> done = new ArrayList<>();
    try {
      for (Map.Entry<Path, Path> e : temps.entrySet()) {
        Path target = e.getKey();
        if (e.getValue() == null) {
          done.add(target); // already holds these bytes
          continue;
        }
        hook.before("rename", target);
        if (Files.exists(target)) {
          Path old = AtomicFiles.tempBeside(target);
          Files.move(target, old);
          aside.put(target, old);
        }
        AtomicFiles.move(e.getValue(), target);
        done.add(target);
      }
    } catch (IOException e) {
      for (Path target : done) {
        if (temps.get(target) != null) {
          AtomicFiles.deleteQuietly(target);
        }
      }
      for (Map.Entry<Path, Path> a : aside.entrySet()) {
        try {
          AtomicFiles.move(a.getValue(), a.getKey());
        } catch (IOException restore) {
          e.addSuppressed(restore);
        }
      }
      throw failure("publish", dir, e);
    }
    for (Path old : aside.values()) {
      AtomicFiles.deleteQuietly(old);
    }
    committed = true;
    return done;
  }

  private static AccretionException failure(String step, Path target, IOException e) {
    return new AccretionException(
        FailureKind.FAILED,
        "could not " + step + " " + target + ": " + e.getMessage(),
        "nothing of this build was left in the output folder; check its free space and"
            + " permissions, then build again",
        e);
  }

  /** How many files {@link #copy} found already holding their bytes (and left alone). */
  int alreadyInPlace() {
    int n = 0;
    for (Path temp : temps.values()) {
      if (temp == null) {
        n++;
      }
    }
    return n;
  }

  /** Removes the temporary files unless they were committed. Never throws. */
  @Override
  public void close() {
    if (!committed) {
      for (Path temp : temps.values()) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }
}
