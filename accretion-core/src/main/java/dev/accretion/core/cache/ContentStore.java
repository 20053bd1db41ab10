package dev.accretion.core.cache;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The content-addressed blob store of the shared cache: downloaded files and built artifacts, each
 * stored once under its sha256 at {@code blobs/sha256/<hex>} (one flat folder: a cache holds
 * thousands of blobs, not millions, and ext4, XFS and APFS index large folders; a flat layout also
 * keeps the path the design names).
 *
 * <p><b>Writes</b> go to a temp file in the cache's own {@code tmp/} folder (so the final step is a
 * same-file-system link or rename), are hashed while written, forced to disk ({@link
 * FileChannel#force}), made read-only, and then published with a hard link, which fails instead of
 * replacing when the blob already exists: a blob is never overwritten. When the name is taken, the
 * existing blob is verified and kept (the new copy is discarded), or, if corrupt, set aside and
 * replaced. The blob folder is fsynced after each publish. On file systems without hard links the
 * publish is a rename done under the blob's lock, after checking the name is free.
 *
 * <p><b>Reads</b> ({@link #get}) verify the digest before returning a blob. To avoid re-hashing
 * large artifacts on every read, the store remembers the {@link FileStamp} (device, inode, size,
 * mtime, ctime) of every blob it has verified or written, in memory and in {@code verified/<hex>},
 * and re-hashes only when the stamp differs. Any write, replacement, chmod or touch changes the
 * stamp (the ctime cannot be set back by a user process), so the only thing this trusts is that a
 * file nobody wrote to keeps its bytes: the same trust git's index places in stat data. {@code
 * accretion cache verify} hashes every blob regardless. A corrupt blob is moved to {@code
 * quarantine/} (not deleted), reported as {@link CacheEvent.CorruptQuarantined}, and treated as a
 * miss so the caller fetches it again.
 *
 * <p><b>Concurrency.</b> Instances are thread-safe, and any number of processes (and instances) may
 * share one cache directory. Safety rests on content addressing: a blob name can only ever hold its
 * own bytes, publishing never replaces, every read verifies, and removal (quarantine, gc) happens
 * under the blob's lock after re-checking that the file is still the one found bad or unused.
 * {@link #fetch} additionally takes a per-digest lock ({@code locks/<hex>}: a JVM-wide lock plus
 * {@link FileChannel#lock}) around the download, so one digest is downloaded by one thread of one
 * process at a time; the others wait ({@link CacheEvent.LockWait}) and then find it stored.
 *
 * <p><b>Last use.</b> Every lookup or store touches {@code access/<hex>} (at most once per five
 * minutes per process), which gc reads instead of the file system's atime.
 *
 * <p>Digest arguments are sha256 hex strings (any case; stored lowercase); a malformed one throws
 * {@link IllegalArgumentException}. No argument may be null.
 */
public final class ContentStore {
  /** How stale a last-use marker may be; gc's minimum grace period is well above it. */
  static final Duration TOUCH_INTERVAL = Duration.ofMinutes(5);

  static final long PID = ProcessHandle.current().pid();
  private static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--r--r--");

  private final CacheLocation location;
  private final Path blobDirectory;
  private final Path tmpDirectory;
  private final Path quarantineDirectory;
  private final Path lockDirectory;
  private final Path accessDirectory;
  private final Path verifiedDirectory;
  private final CacheListener listener;
  private final Clock clock;
  private final Map<String, FileStamp> verified = new ConcurrentHashMap<>();
  private final Map<String, Instant> touched = new ConcurrentHashMap<>();

  ContentStore(CacheLocation location, CacheListener listener, Clock clock) {
    this.location = Objects.requireNonNull(location, "location");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.blobDirectory = location.blobDirectory();
    this.tmpDirectory = location.tmpDirectory();
    this.quarantineDirectory = location.quarantineDirectory();
    this.lockDirectory = location.lockDirectory();
    this.accessDirectory = location.accessDirectory();
    this.verifiedDirectory = location.verifiedDirectory();
  }

  /** The cache this store belongs to. */
  public CacheLocation location() {
    return location;
  }

  /**
   * Stores everything {@code in} yields (reading it to the end; the caller closes it) and returns
   * the blob's path. If {@code expectedSha256} is given and the content differs, throws {@link
   * DigestMismatchException} and stores nothing. Storing content that is already present is cheap
   * on disk: the existing blob is verified and kept.
   *
   * @throws CacheException if reading {@code in} or writing the cache fails, or on a digest
   *     mismatch
   */
  public Path put(InputStream in, Optional<String> expectedSha256) throws CacheException {
    Objects.requireNonNull(in, "in");
    return put(in, expectedSha256, "the content offered to the cache");
  }

  /**
   * Stores a copy of {@code file} (which stays where it is) and returns the blob's path; see {@link
   * #put(InputStream, Optional)}.
   *
   * @throws CacheException if {@code file} cannot be read, writing the cache fails, or on a digest
   *     mismatch
   */
  public Path put(Path file, Optional<String> expectedSha256) throws CacheException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return put(in, expectedSha256, file.toString());
    } catch (IOException e) {
      throw new CacheException(
          "could not read " + file + " to store it in the cache: " + CacheFiles.reason(e), e);
    }
  }

  private Path put(InputStream in, Optional<String> expectedSha256, String what)
      throws CacheException {
    Objects.requireNonNull(expectedSha256, "expectedSha256");
    String expected =
        expectedSha256.isPresent()
            ? Sha256.requireHex(expectedSha256.get(), "expected sha256")
            : null;
    Path tmp = newTempFile();
    try {
      BlobWriter.Written written;
      try (BlobWriter out = BlobWriter.open(tmp)) {
        byte[] buffer = new byte[1 << 16];
        while (true) {
          int n;
          try {
            n = in.read(buffer);
          } catch (IOException e) {
            throw new CacheException(
                "reading " + what + " failed while storing it in the cache: " + e.getMessage(), e);
          }
          if (n < 0) {
            break;
          }
          out.append(buffer, 0, n);
        }
        written = out.finish();
      }
      if (expected != null && !expected.equals(written.sha256())) {
        throw new DigestMismatchException(what, expected, written.sha256());
      }
      return publish(tmp, written.sha256(), written.size());
    } catch (BlobWriter.WriteFailure e) {
      throw CacheFiles.failed(location.root(), "write", tmp, e.cause());
    } finally {
      CacheFiles.deleteQuietly(tmp);
    }
  }

  /**
   * Returns the verified blob for {@code sha256}, or empty when it is missing or was corrupt (then
   * it has been moved to {@code quarantine/} and {@link CacheEvent.CorruptQuarantined} reported).
   * Reports {@link CacheEvent.Hit} or {@link CacheEvent.Miss}.
   *
   * @throws CacheException if the blob exists but cannot be read
   */
  public Optional<Path> get(String sha256) throws CacheException {
    String hex = Sha256.requireHex(sha256, "sha256");
    Optional<Path> found = lookup(hex);
    emit(found.isPresent() ? new CacheEvent.Hit(hex, found.get()) : new CacheEvent.Miss(hex));
    return found;
  }

  /**
   * Returns the verified blob for {@code sha256}, calling {@code fetcher} to produce it on a miss.
   * At most one thread of one process runs a fetcher for a given digest at a time; the others wait
   * and then use what it stored. If the fetched content has another digest, throws {@link
   * DigestMismatchException} and stores nothing.
   *
   * @throws CacheException if the cache cannot be read or written, or on a digest mismatch
   * @throws AccretionException when the fetcher fails (its own {@code AccretionException}
   *     unchanged; an {@code IOException} wrapped with the digest named)
   */
  public Path fetch(String sha256, Fetcher fetcher) throws AccretionException {
    String hex = Sha256.requireHex(sha256, "sha256");
    Objects.requireNonNull(fetcher, "fetcher");
    Optional<Path> found = get(hex);
    if (found.isPresent()) {
      return found.get();
    }
    CacheLocks.Held held;
    try {
      held = lock(hex);
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "lock", lockPath(hex), e);
    }
    try (held) {
      // Another thread or process may have stored it while this one waited for the lock.
      found = lookup(hex);
      if (found.isPresent()) {
        emit(new CacheEvent.Hit(hex, found.get()));
        return found.get();
      }
      return download(hex, fetcher);
    }
  }

  private Path download(String hex, Fetcher fetcher) throws AccretionException {
    Path tmp = newTempFile();
    try {
      BlobWriter.Written written;
      try (BlobWriter out = BlobWriter.open(tmp)) {
        try {
          fetcher.fetch(new NonClosing(out));
        } catch (IOException e) {
          BlobWriter.WriteFailure own = BlobWriter.WriteFailure.in(e);
          if (own != null) {
            throw own; // the cache failed, not the source
          }
          throw new AccretionException(
              FailureKind.UNREACHABLE,
              "fetching sha256 " + hex + " into the cache failed: " + e.getMessage(),
              e);
        }
        written = out.finish();
      }
      if (!hex.equals(written.sha256())) {
        throw new DigestMismatchException(
            "the content fetched for sha256 " + hex, hex, written.sha256());
      }
      return publish(tmp, hex, written.size());
    } catch (BlobWriter.WriteFailure e) {
      throw CacheFiles.failed(location.root(), "write", tmp, e.cause());
    } finally {
      CacheFiles.deleteQuietly(tmp);
    }
  }

  /**
   * Records that the blob {@code sha256} also has the digest {@code algorithm:hex} (a sha512 an npm
   * lock promises, a sha1 a Maven repository publishes), so that {@link #getByAlias} finds it
   * without a download. The caller must have checked that digest on the blob's bytes.
   *
   * @param algorithm a lower-case digest name other than sha256: {@code sha512}, {@code sha384},
   *     {@code sha1}
   * @throws CacheException if the alias cannot be written
   */
  public void putAlias(String algorithm, String hex, String sha256) throws CacheException {
    String sha = Sha256.requireHex(sha256, "sha256");
    Path file = aliasPath(algorithm, hex);
    try {
      // verified on every read, so a write lost in a crash costs only a download
      dev.accretion.core.io.AtomicFiles.writeUnforced(
          file, (sha + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "write", file, e);
    }
  }

  /**
   * The blob whose {@code algorithm} digest is {@code hex}, if an alias names one and the blob is
   * present and really has that digest (hashed again on every call: an alias is a hint, never
   * trusted). Reports {@link CacheEvent.Hit} or {@link CacheEvent.Miss} for the sha256 found.
   *
   * @throws CacheException if the cache cannot be read
   */
  public Optional<Path> getByAlias(String algorithm, String hex) throws CacheException {
    Path file = aliasPath(algorithm, hex);
    String sha;
    try {
      sha = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "read", file, e);
    }
    if (!Sha256.isHex(sha)) {
      CacheFiles.deleteQuietly(file);
      return Optional.empty();
    }
    Optional<Path> blob = get(sha);
    if (blob.isEmpty()) {
      return blob;
    }
    try {
      MessageDigest digest = MessageDigest.getInstance(jdkName(algorithm));
      try (InputStream in = Files.newInputStream(blob.get())) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
      if (!java.util.HexFormat.of()
          .formatHex(digest.digest())
          .equals(hex.toLowerCase(java.util.Locale.ROOT))) {
        // a wrong hint (written by a broken process): forget it, the caller downloads
        CacheFiles.deleteQuietly(file);
        return Optional.empty();
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unsupported digest algorithm " + algorithm, e);
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "read", blob.get(), e);
    }
    return blob;
  }

  private Path aliasPath(String algorithm, String hex) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    if (!algorithm.matches("[a-z0-9]{1,16}") || algorithm.equals("sha256")) {
      throw new IllegalArgumentException("not an alias digest algorithm: " + algorithm);
    }
    String lower = hex.toLowerCase(java.util.Locale.ROOT);
    if (!lower.matches("[0-9a-f]{32,128}")) {
      throw new IllegalArgumentException("not a hex digest: " + hex);
    }
    jdkName(algorithm);
    return location.aliasDirectory().resolve(algorithm).resolve(lower);
  }

  private static String jdkName(String algorithm) {
    return switch (algorithm) {
      case "sha1" -> "SHA-1";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
    };
  }

  /** Verified lookup without hit/miss events; corruption is still quarantined and reported. */
  Optional<Path> lookup(String hex) throws CacheException {
    Path blob = blobPath(hex);
    try {
      // Touch before looking: gc re-reads the marker right before it deletes, so a blob found
      // here was either seen as recently used by gc or was already gone when this looked.
      touch(hex);
      for (int attempt = 0; attempt < 3; attempt++) {
        Check check = check(hex, blob, true);
        if (check instanceof Check.Good) {
          return Optional.of(blob);
        }
        if (check instanceof Check.Missing) {
          return Optional.empty();
        }
        if (quarantine(hex, blob, (Check.Corrupt) check).isPresent()) {
          return Optional.empty();
        }
        // gone, or changed since it was hashed: look again
      }
      return Optional.empty();
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "read", blob, e);
    }
  }

  /**
   * Publishes a complete, forced temp file as blob {@code hex} without ever replacing an existing
   * one.
   */
  private Path publish(Path tmp, String hex, long size) throws CacheException {
    Path blob = blobPath(hex);
    try {
      touch(hex);
      makeReadOnly(tmp);
      for (int attempt = 0; attempt < 5; attempt++) {
        if (linkOrMove(tmp, blob, hex)) {
          CacheFiles.fsyncDirectory(blobDirectory);
          // The temp name goes first: unlinking it changes the blob's ctime, and the stamp
          // remembered as verified must be the final one.
          CacheFiles.deleteQuietly(tmp);
          try {
            remember(hex, FileStamp.of(blob));
          } catch (NoSuchFileException e) {
            // already collected by a concurrent gc; the next lookup is a miss
          }
          emit(new CacheEvent.Stored(hex, size, blob, false));
          return blob;
        }
        Check check = check(hex, blob, true);
        if (check instanceof Check.Good) {
          emit(new CacheEvent.Stored(hex, size, blob, true));
          return blob;
        }
        if (check instanceof Check.Corrupt corrupt) {
          quarantine(hex, blob, corrupt);
        }
        // Missing (removed meanwhile) or set aside: try to publish again.
      }
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "store", blob, e);
    }
    throw new CacheException(
        "could not store sha256 "
            + hex
            + " at "
            + blob
            + ": the entry kept changing while it was being stored (is another program modifying"
            + " the cache?); try again, or check it with 'accretion cache verify'");
  }

  /** Creates {@code blob} from {@code tmp}; false when {@code blob} already exists. */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private boolean linkOrMove(Path tmp, Path blob, String hex) throws IOException {
    try {
      // link(2) fails with EEXIST instead of replacing: the one no-clobber publish POSIX has.
      Files.createLink(blob, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (AccessDeniedException | NoSuchFileException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links on this file system (FAT, some FUSE and SMB mounts answer EPERM): check and
      // rename under the blob's lock, which every writer on this file system then takes.
      try (CacheLocks.Held held = lock(hex)) {
        if (Files.exists(blob)) {
          return false;
        }
        Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
    }
  }

  /** The result of hashing a blob. */
  sealed interface Check {
    record Good(FileStamp stamp) implements Check {}

    record Missing() implements Check {}

    record Corrupt(FileStamp stamp, String actualSha256) implements Check {}
  }

  /**
   * Hashes {@code blob} (or trusts this instance's earlier verification of the same stamp when
   * {@code useMemo}). Retries when the file changes while being hashed.
   */
  Check check(String hex, Path blob, boolean useMemo) throws IOException {
    for (int attempt = 0; ; attempt++) {
      FileStamp before;
      String actual;
      FileStamp after;
      try {
        before = FileStamp.of(blob);
        if (useMemo && before.equals(remembered(hex))) {
          return new Check.Good(before);
        }
        actual = Sha256.hash(blob);
        after = FileStamp.of(blob);
      } catch (NoSuchFileException e) {
        return new Check.Missing();
      }
      if (!before.equals(after) && attempt < 2) {
        continue;
      }
      if (hex.equals(actual)) {
        remember(hex, after);
        return new Check.Good(after);
      }
      unremember(hex);
      return new Check.Corrupt(after, actual);
    }
  }

  /**
   * Moves a corrupt blob to {@code quarantine/}, under the blob's lock, if it is still the very
   * file that was found corrupt (a concurrent process may already have set it aside, or replaced it
   * with a good copy). Returns where it went, or empty when it was gone or had changed; then the
   * caller checks it again.
   */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  Optional<Path> quarantine(String hex, Path blob, Check.Corrupt corrupt) throws IOException {
    try (CacheLocks.Held held = lock(hex)) {
      FileStamp now;
      try {
        now = FileStamp.of(blob);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
      if (!now.equals(corrupt.stamp())) {
        return Optional.empty();
      }
      Path target = quarantineTarget("blob-" + hex);
      Files.move(blob, target, StandardCopyOption.ATOMIC_MOVE);
      unremember(hex);
      CacheFiles.fsyncDirectory(blobDirectory);
      emit(new CacheEvent.CorruptQuarantined(hex, corrupt.actualSha256(), target));
      return Optional.of(target);
    }
  }

  /** A fresh name in {@code quarantine/} starting with {@code prefix}. */
  Path quarantineTarget(String prefix) throws IOException {
    Files.createDirectories(quarantineDirectory);
    return quarantineDirectory.resolve(
        prefix
            + "."
            + clock.millis()
            + "-"
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
  }

  /** Records a use of blob {@code hex} in its {@code access/} marker (throttled). */
  void touch(String hex) throws IOException {
    Instant now = clock.instant();
    Instant last = touched.get(hex);
    if (last != null
        && !last.isAfter(now)
        && Duration.between(last, now).compareTo(TOUCH_INTERVAL) < 0) {
      return;
    }
    Path marker = accessDirectory.resolve(hex);
    FileTime time = FileTime.from(now);
    try {
      Files.setLastModifiedTime(marker, time);
    } catch (NoSuchFileException e) {
      try {
        Files.createFile(marker);
      } catch (FileAlreadyExistsException raced) {
        // another process created it at the same moment; set the time below
      } catch (NoSuchFileException gone) {
        Files.createDirectories(accessDirectory);
        createIfAbsent(marker);
      }
      Files.setLastModifiedTime(marker, time);
    }
    touched.put(hex, now);
  }

  private static void createIfAbsent(Path file) throws IOException {
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // fine: it exists
    }
  }

  /** Takes the per-digest lock, reporting a wait. */
  CacheLocks.Held lock(String hex) throws IOException {
    Path file = lockDirectory.resolve(hex);
    return CacheLocks.acquire(file, () -> emit(new CacheEvent.LockWait(hex, file)));
  }

  /** Takes the per-digest lock only if it is free. */
  Optional<CacheLocks.Held> tryLock(String hex) throws IOException {
    return CacheLocks.tryAcquire(lockDirectory.resolve(hex));
  }

  Path blobPath(String hex) {
    return blobDirectory.resolve(hex);
  }

  Path lockPath(String hex) {
    return lockDirectory.resolve(hex);
  }

  Path accessMarker(String hex) {
    return accessDirectory.resolve(hex);
  }

  /** Forgets what was verified about {@code hex} (after gc removed it). */
  void forget(String hex) {
    unremember(hex);
    touched.remove(hex);
  }

  Path verifiedStamp(String hex) {
    return verifiedDirectory.resolve(hex);
  }

  /**
   * Records that blob {@code hex} had these bytes at {@code stamp}, for this instance and, in
   * {@code verified/<hex>}, for later processes. Persisting is only a saving: when it fails the
   * next process hashes the blob again.
   */
  private void remember(String hex, FileStamp stamp) {
    verified.put(hex, stamp);
    String text = stamp.persisted();
    if (text == null) {
      return;
    }
    Path tmp = verifiedDirectory.resolve(hex + "." + PID + "-" + Thread.currentThread().threadId());
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, verifiedStamp(hex), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      CacheFiles.deleteQuietly(tmp);
    }
  }

  /** The stamp blob {@code hex} had when it was last verified, by this or an earlier process. */
  private FileStamp remembered(String hex) {
    FileStamp known = verified.get(hex);
    if (known != null) {
      return known;
    }
    try {
      Path file = verifiedStamp(hex);
      if (Files.size(file) > 200) {
        return null;
      }
      return FileStamp.parse(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void unremember(String hex) {
    verified.remove(hex);
    CacheFiles.deleteQuietly(verifiedStamp(hex));
  }

  Clock clock() {
    return clock;
  }

  void emit(CacheEvent event) {
    listener.onEvent(event);
  }

  /** A new temp file in {@code tmp/}, named {@code <pid>-<random>.part} so gc can tell owners. */
  Path newTempFile() throws CacheException {
    try {
      try {
        return Files.createTempFile(tmpDirectory, PID + "-", ".part");
      } catch (NoSuchFileException e) {
        // someone removed the cache folder by hand while this process runs: recreate the layout
        Files.createDirectories(tmpDirectory);
        Files.createDirectories(blobDirectory);
        return Files.createTempFile(tmpDirectory, PID + "-", ".part");
      }
    } catch (IOException e) {
      throw CacheFiles.failed(location.root(), "create a temporary file in", tmpDirectory, e);
    }
  }

  private static void makeReadOnly(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // Blobs are immutable; read-only modes keep tools and users from editing them in place.
      Files.setPosixFilePermissions(file, READ_ONLY);
    }
  }

  /** The stream a {@link Fetcher} writes to: closing it only flushes. */
  private static final class NonClosing extends OutputStream {
    private final BlobWriter out;

    NonClosing(BlobWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  /** Writes a temp file while hashing it. Write failures are {@link WriteFailure}s. */
  static final class BlobWriter extends OutputStream {
    private final FileChannel channel;
    private final MessageDigest digest = Sha256.newDigest();
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private long size;
    private boolean finished;

    record Written(String sha256, long size) {}

    /** An I/O failure of the cache itself (not of the source being copied). */
    static final class WriteFailure extends IOException {
      private static final long serialVersionUID = 1L;

      WriteFailure(IOException cause) {
        super(cause.getMessage(), cause);
      }

      IOException cause() {
        return (IOException) getCause();
      }

      /** The write failure in {@code e}'s cause chain (a fetcher may wrap it), or null. */
      static WriteFailure in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof WriteFailure failure) {
            return failure;
          }
        }
        return null;
      }
    }

    private BlobWriter(FileChannel channel) {
      this.channel = channel;
    }

    static BlobWriter open(Path tmp) throws WriteFailure {
      try {
        return new BlobWriter(
            FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (finished) {
        throw new IOException("the cache entry is already complete; no more bytes are accepted");
      }
      append(b, off, len);
    }

    /** Hashes and writes bytes; only the cache's own failures are thrown. */
    void append(byte[] b, int off, int len) throws WriteFailure {
      Objects.checkFromIndexSize(off, len, b.length);
      digest.update(b, off, len);
      size += len;
      while (len > 0) {
        int n = Math.min(len, buffer.remaining());
        buffer.put(b, off, n);
        off += n;
        len -= n;
        if (!buffer.hasRemaining()) {
          drain();
        }
      }
    }

    @Override
    public void flush() throws WriteFailure {
      drain();
    }

    private void drain() throws WriteFailure {
      buffer.flip();
      try {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        throw new WriteFailure(e);
      } finally {
        buffer.clear();
      }
    }

    /** Flushes and forces the file to disk; returns its digest and size. */
    Written finish() throws WriteFailure {
      drain();
      try {
        channel.force(true);
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
      finished = true;
      return new Written(Sha256.hex(digest.digest()), size);
    }

    @Override
    public void close() throws WriteFailure {
      try {
        channel.close();
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
    }
  }
}
