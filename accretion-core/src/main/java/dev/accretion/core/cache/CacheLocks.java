package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-file locks that exclude both other threads of this JVM and other processes: a JVM-wide {@link
 * ReentrantLock} per lock file (because {@link FileChannel#lock} is held per process and throws
 * {@link OverlappingFileLockException} when two threads of one JVM ask for it), then an exclusive
 * {@link FileLock} on the file itself, taken by the outermost holder only. Reentrant for the
 * holding thread.
 *
 * <p>The locks only de-duplicate work; correctness never depends on them, because blobs are
 * content-addressed and published without overwriting. So when the file system cannot lock (some
 * network file systems answer ENOLCK) the cross-process part is skipped rather than failing the
 * build.
 */
final class CacheLocks {
  private static final ConcurrentHashMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

  private CacheLocks() {}

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users; // changed only inside ENTRIES.compute
    FileChannel channel; // guarded by lock
    FileLock fileLock; // guarded by lock
  }

  /** A held lock; {@link #close()} releases it (on the thread that acquired it). */
  static final class Held implements AutoCloseable {
    private final Path file;
    private final Entry entry;
    private boolean closed;

    private Held(Path file, Entry entry) {
      this.file = file;
      this.entry = entry;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (entry.lock.getHoldCount() == 1) {
          releaseFileLock(entry);
        }
      } finally {
        entry.lock.unlock();
        leave(file);
      }
    }
  }

  /**
   * Blocks until this thread holds the lock for {@code file} (created if missing); {@code onWait}
   * runs once, before blocking, if another thread or process holds it.
   *
   * @throws IOException if the lock file cannot be created or opened, or the wait was interrupted
   */
  static Held acquire(Path file, Runnable onWait) throws IOException {
    Entry entry = enter(file);
    boolean locked = false;
    try {
      if (!entry.lock.tryLock()) {
        onWait.run();
        entry.lock.lockInterruptibly();
      }
      locked = true;
      if (entry.lock.getHoldCount() == 1) {
        lockFile(entry, file, onWait, true);
      }
      return new Held(file, entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClosedByInterruptException();
    } catch (IOException | RuntimeException | Error e) {
      if (locked) {
        entry.lock.unlock();
      }
      leave(file);
      throw e;
    }
  }

  /** Returns the lock if nobody else holds it right now, else empty; never blocks. */
  static Optional<Held> tryAcquire(Path file) throws IOException {
    Entry entry = enter(file);
    if (!entry.lock.tryLock()) {
      leave(file);
      return Optional.empty();
    }
    try {
      if (entry.lock.getHoldCount() == 1 && !lockFile(entry, file, () -> {}, false)) {
        entry.lock.unlock();
        leave(file);
        return Optional.empty();
      }
      return Optional.of(new Held(file, entry));
    } catch (IOException | RuntimeException | Error e) {
      entry.lock.unlock();
      leave(file);
      throw e;
    }
  }

  private static Entry enter(Path file) {
    return ENTRIES.compute(
        file,
        (key, existing) -> {
          Entry entry = existing != null ? existing : new Entry();
          entry.users++;
          return entry;
        });
  }

  private static void leave(Path file) {
    ENTRIES.compute(file, (key, existing) -> --existing.users == 0 ? null : existing);
  }

  /** Takes the file lock; returns false only when {@code block} is false and it is held. */
  private static boolean lockFile(Entry entry, Path file, Runnable onWait, boolean block)
      throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      // the locks folder was removed under us (someone cleared the cache by hand); recreate it
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        if (!block) {
          channel.close();
          return false;
        }
        onWait.run();
        lock = channel.lock();
      }
      entry.channel = channel;
      entry.fileLock = lock;
      return true;
    } catch (ClosedByInterruptException | FileLockInterruptionException e) {
      channel.close();
      throw e;
    } catch (IOException | OverlappingFileLockException e) {
      // No cross-process lock available here (e.g. ENOLCK on NFS, or the same file reached through
      // another path in this JVM). Proceed without it: see the class comment.
      channel.close();
      return true;
    } catch (RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  private static void releaseFileLock(Entry entry) {
    FileChannel channel = entry.channel;
    entry.channel = null;
    entry.fileLock = null;
    if (channel != null) {
      try {
        channel.close(); // releases the FileLock too
      } catch (IOException e) {
        // closing a lock file cannot lose data; the OS drops the lock with the descriptor anyway
      }
    }
  }
}
