package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The shared cache of one machine: a {@link ContentStore} of blobs, a {@link SelectorIndex} from
 * build inputs to artifacts, and the management behind {@code accretion cache ls | verify | gc}.
 * See {@link CacheLocation} for the layout and {@link ContentStore} for the safety rules.
 *
 * <p>Thread-safe. Any number of processes may use one cache directory at once, including while
 * another runs {@link #gc}; one gc runs at a time (others wait).
 */
public final class Cache {
  private static final String CACHEDIR_TAG =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
          + "# This file is a cache directory tag created by Accretion.\n"
          + "# For information about cache directory tags, see https://bford.info/cachedir/\n";

  private final CacheLocation location;
  private final ContentStore store;
  private final SelectorIndex selectors;
  private final CacheListener listener;
  private final List<VerifyReport.Leftover> leftoversRemoved;

  private Cache(
      CacheLocation location,
      CacheListener listener,
      Clock clock,
      List<VerifyReport.Leftover> leftoversRemoved) {
    this.listener = listener;
    this.leftoversRemoved = List.copyOf(leftoversRemoved);
    this.location = location;
    this.store = new ContentStore(location, listener, clock);
    this.selectors = new SelectorIndex(store);
  }

  /**
   * Opens the cache at {@code location} with the system clock; see {@link #open(CacheLocation,
   * CacheListener, Clock)}.
   */
  public static Cache open(CacheLocation location, CacheListener listener) throws CacheException {
    return open(location, listener, Clock.systemUTC());
  }

  /**
   * Opens the cache at {@code location}, creating the directory and its layout if missing, and
   * checks that it can be written.
   *
   * @param listener receives every {@link CacheEvent}
   * @param clock the time used for last-use markers and by gc
   * @throws CacheException if the directory cannot be created or written (the message names it and
   *     suggests {@code --cache-dir} or {@code ACCRETION_CACHE_DIR})
   */
  public static Cache open(CacheLocation location, CacheListener listener, Clock clock)
      throws CacheException {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    Path root = location.root();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw CacheFiles.unusable(root, root, new NotDirectoryException(root.toString()));
    }
    for (Path dir :
        List.of(
            location.blobDirectory(),
            location.selectorDirectory(),
            location.tmpDirectory(),
            location.quarantineDirectory(),
            location.lockDirectory(),
            location.accessDirectory(),
            location.verifiedDirectory(),
            location.aliasDirectory())) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw CacheFiles.unusable(root, dir, e);
      }
    }
    // Directories that exist can still be unwritable (read-only mount, another user's cache):
    // find out now, with a message that says what to do, rather than halfway through a build.
    try {
      Path probe = Files.createTempFile(location.tmpDirectory(), ContentStore.PID + "-", ".part");
      Files.delete(probe);
    } catch (IOException e) {
      throw CacheFiles.unusable(root, location.tmpDirectory(), e);
    }
    Path tag = root.resolve("CACHEDIR.TAG");
    if (!Files.exists(tag)) {
      try {
        Files.writeString(
            tag, CACHEDIR_TAG, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException e) {
        // written by a concurrent process
      } catch (IOException e) {
        throw CacheFiles.unusable(root, tag, e);
      }
    }
    // partial files of builds that were killed: their writer's pid is in the name and gone
    List<VerifyReport.Leftover> leftovers =
        CacheMaintenance.removeLeftovers(location.tmpDirectory(), listener);
    return new Cache(location, listener, clock, leftovers);
  }

  /**
   * The partial files of killed or crashed writers that opening the cache found in {@code tmp/} and
   * removed (each also reported as {@link CacheEvent.LeftoverRemoved}).
   */
  public List<VerifyReport.Leftover> leftoversRemoved() {
    return leftoversRemoved;
  }

  /** Where this cache lives. */
  public CacheLocation location() {
    return location;
  }

  /** The blob store. */
  public ContentStore blobs() {
    return store;
  }

  /** The selector index. */
  public SelectorIndex selectors() {
    return selectors;
  }

  /**
   * Counts entries and sizes by kind and lists the largest blobs.
   *
   * @throws CacheException if the cache cannot be read
   */
  public CacheReport ls() throws CacheException {
    return new CacheMaintenance(store).ls();
  }

  /**
   * Re-hashes every blob (ignoring what this process verified before), moves corrupt ones to
   * quarantine, and checks every selector.
   *
   * @throws CacheException if the cache cannot be read
   */
  public VerifyReport verify() throws CacheException {
    return new CacheMaintenance(store).verify(leftoversRemoved, listener);
  }

  /**
   * Removes what {@code policy} says is stale; safe while other processes build.
   *
   * @throws CacheException if the cache cannot be read or an entry cannot be removed
   */
  public GcReport gc(GcPolicy policy) throws CacheException {
    Objects.requireNonNull(policy, "policy");
    return new CacheMaintenance(store).gc(policy);
  }
}
