package dev.accretion.efs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A lock that works across threads, processes and hosts sharing an NFSv4 file system (EFS): a lock
 * file created with exclusive create ({@link Files#createFile}, {@code O_CREAT|O_EXCL}), holding
 * its owner (the kernel's boot id, the process id, a nonce) and kept fresh by a heartbeat (its
 * modification time is set every {@link #HEARTBEAT}).
 *
 * <p>Why not {@code FileChannel.lock}: NFSv4 does support byte-range locks (EFS honours them), but
 * a JVM holds them per process, not per thread ({@code OverlappingFileLockException} between
 * threads, and closing any channel to the file drops the lock), and a lock held by a frozen Lambda
 * sandbox lives on until its lease expires, invisible to {@code ls} and {@code gc}. Exclusive
 * create is atomic on NFSv4 (the protocol's {@code EXCLUSIVE4} create mode; it was not on NFSv2/3),
 * the owner is readable by anyone, and staleness is decided by the heartbeat:
 *
 * <ul>
 *   <li>a lock whose owner runs on this kernel (same boot id) and whose process is gone (kill -9)
 *       is stale at once;
 *   <li>any other lock is stale when its heartbeat is older than {@link #STALE} (a host that died,
 *       a Lambda sandbox that was frozen or killed).
 * </ul>
 *
 * A stale lock is broken by renaming it to a unique name (rename is atomic, so one breaker wins),
 * checking the renamed file is still the owner judged stale, and deleting it. Thread-safe.
 */
public final class StoreLock implements AutoCloseable {
  /** How often a held lock's modification time is refreshed. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /** A lock not refreshed for this long is stale (six missed heartbeats). */
  public static final Duration STALE = Duration.ofSeconds(60);

  private static final String BOOT_ID = bootId();
  private static final long PID = ProcessHandle.current().pid();
  private static final Set<StoreLock> HELD = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService BEAT =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "accretion-efs-heartbeat");
            t.setDaemon(true);
            return t;
          });

  static {
    BEAT.scheduleAtFixedRate(
        () -> {
          for (StoreLock l : HELD) {
            l.beat();
          }
        },
        HEARTBEAT.toMillis(),
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private final Path file;
  private final String owner;

  private StoreLock(Path file, String owner) {
    this.file = file;
    this.owner = owner;
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /**
   * Takes the lock if it is free (or stale), writing {@code body} after the owner line; empty if a
   * live owner holds it.
   */
  public static Optional<StoreLock> tryAcquire(Path file, String body) throws IOException {
    String owner =
        BOOT_ID
            + " "
            + PID
            + " "
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        if (!breakIfStale(file)) {
          return Optional.empty();
        }
        continue;
      }
      // the owner is written after the exclusive create: a reader that sees an empty file treats
      // it as live until the heartbeat says otherwise
      Files.writeString(file, owner + "\n" + body, StandardCharsets.UTF_8);
      StoreLock lock = new StoreLock(file, owner);
      HELD.add(lock);
      return Optional.of(lock);
    }
    return Optional.empty();
  }

  /** Waits for the lock, polling, until {@code timeout} passes. */
  public static StoreLock acquire(Path file, String body, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleep = 20;
    while (true) {
      Optional<StoreLock> lock = tryAcquire(file, body);
      if (lock.isPresent()) {
        return lock.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the lock "
                + file
                + " is still held after "
                + timeout.toSeconds()
                + " s by "
                + ownerLine(file).orElse("an unknown owner"));
      }
      Thread.sleep(sleep);
      sleep = Math.min(500, sleep * 2);
    }
  }

  /** Whether {@code file} is a lock that a live owner holds. */
  public static boolean isLive(Path file) {
    try {
      return !isStale(file);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The lines after the owner line of a lock file, or empty if it is gone. */
  public static Optional<List<String>> body(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return Optional.of(lines.isEmpty() ? List.of() : lines.subList(1, lines.size()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> ownerLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isStale(Path file) throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long age = System.currentTimeMillis() - modified.toMillis();
    Optional<String> owner = ownerLine(file);
    if (owner.isPresent()) {
      String[] parts = owner.get().split(" ");
      if (parts.length == 3 && parts[0].equals(BOOT_ID)) {
        long pid = Long.parseLong(parts[1]);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          return false;
        }
        // the owner's process is gone from this kernel: a killed installer
        return true;
      }
    }
    return age > STALE.toMillis();
  }

  private static boolean breakIfStale(Path file) throws IOException {
    try {
      if (!isStale(file)) {
        return false;
      }
      Optional<String> judged = ownerLine(file);
      Path aside =
          file.resolveSibling(
              file.getFileName()
                  + ".broken-"
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      Optional<String> moved = ownerLine(aside);
      if (!moved.equals(judged)) {
        // another breaker won and a new owner took the lock in between: give it back
        try {
          Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          Files.deleteIfExists(aside);
        }
        return false;
      }
      Files.deleteIfExists(aside);
      return true;
    } catch (NoSuchFileException e) {
      return true; // released or broken by someone else meanwhile: try again
    }
  }

  private void beat() {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // the next beat tries again; a lock that lost its file is released by close
    }
  }

  /** Releases the lock (deletes the file if it is still this owner's). Never throws. */
  @Override
  public void close() {
    HELD.remove(this);
    try {
      if (ownerLine(file).map(owner::equals).orElse(false)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a lock file left behind is stale once its heartbeat stops
    }
  }

  private static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException | RuntimeException e) {
      return "host-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }
  }
}
