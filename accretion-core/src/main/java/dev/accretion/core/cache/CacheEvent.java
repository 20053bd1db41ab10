package dev.accretion.core.cache;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something the cache did or saw, reported to a {@link CacheListener}. Digests are lowercase hex.
 * The CLI renders these (for example "unchanged: copied from cache"); the server stores them with
 * the build log.
 */
public sealed interface CacheEvent {

  /** A blob was found and its digest verified. */
  record Hit(String sha256, Path blob) implements CacheEvent {
    public Hit {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(blob, "blob");
    }
  }

  /** A blob is not in the cache (or was just set aside as corrupt). */
  record Miss(String sha256) implements CacheEvent {
    public Miss {
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  /**
   * Content was stored under its digest. {@code alreadyPresent} is true when an identical blob was
   * there already (verified and kept; the new copy was discarded).
   */
  record Stored(String sha256, long size, Path blob, boolean alreadyPresent) implements CacheEvent {
    public Stored {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(blob, "blob");
    }
  }

  /**
   * A blob's content did not match its name; the file was moved to {@code quarantined} (not
   * deleted, so it can be inspected) and will be fetched again.
   */
  record CorruptQuarantined(String sha256, String actualSha256, Path quarantined)
      implements CacheEvent {
    public CorruptQuarantined {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(actualSha256, "actualSha256");
      Objects.requireNonNull(quarantined, "quarantined");
    }
  }

  /**
   * Another thread or process holds the lock for {@code subject} (a blob digest, or {@code gc});
   * this one waits for it, typically because the same file is being downloaded elsewhere.
   */
  record LockWait(String subject, Path lockFile) implements CacheEvent {
    public LockWait {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(lockFile, "lockFile");
    }
  }

  /**
   * A partial file in {@code tmp/} whose writer is gone (a killed or crashed build: its pid, in the
   * file's name, no longer runs) was removed.
   */
  record LeftoverRemoved(Path file, long size) implements CacheEvent {
    public LeftoverRemoved {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A selector was found and every blob it references is present and verified. */
  record SelectorHit(SelectorKey key, ArtifactRecord record) implements CacheEvent {
    public SelectorHit {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(record, "record");
    }
  }

  /** A selector lookup found nothing usable; {@code reason} says why, for a user. */
  record SelectorMiss(SelectorKey key, String reason) implements CacheEvent {
    public SelectorMiss {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A selector was written (or rewritten: last writer wins). */
  record SelectorStored(SelectorKey key, ArtifactRecord record) implements CacheEvent {
    public SelectorStored {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(record, "record");
    }
  }
}
