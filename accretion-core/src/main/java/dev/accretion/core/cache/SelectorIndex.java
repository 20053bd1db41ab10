package dev.accretion.core.cache;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Maps a {@link SelectorKey} (a digest of a build's inputs) to the {@link ArtifactRecord} it
 * produced, so an unchanged rebuild copies the cached artifact instead of resolving and assembling
 * again. One small file per key, {@code selectors/<hex>}, in Java properties format (UTF-8, sorted
 * keys, no date comment): {@code format}, {@code key}, {@code artifact}, {@code manifest}, {@code
 * created}, {@code files}, {@code file.<i>.name|sha256|size}, {@code attribute.<name>}.
 *
 * <p>Writes are atomic (temp file in {@code tmp/}, fsync, rename over the old entry, fsync of the
 * folder); when several processes record the same key the last writer wins, which is harmless since
 * equal inputs give equal artifacts. A lookup is a hit only if every blob the record references is
 * present and verifies; otherwise it is a miss reported as {@link CacheEvent.SelectorMiss} with the
 * reason (an unreadable entry is also moved to {@code quarantine/}). A hit refreshes the entry's
 * modification time (at most every five minutes), which gc reads as its last use.
 *
 * <p>Thread-safe; any number of processes may share it. No argument may be null.
 */
public final class SelectorIndex {
  static final String FORMAT = "1";

  private final ContentStore store;
  private final Path directory;

  SelectorIndex(ContentStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.directory = store.location().selectorDirectory();
  }

  /**
   * Returns the artifact recorded for {@code key} if it and every blob it references are intact;
   * otherwise empty, with the reason reported.
   *
   * @throws CacheException if the cache cannot be read
   */
  public Optional<ArtifactRecord> get(SelectorKey key) throws CacheException {
    Objects.requireNonNull(key, "key");
    Path file = directory.resolve(key.sha256());
    Path root = store.location().root();
    FileStamp stamp;
    byte[] bytes;
    try {
      stamp = FileStamp.of(file);
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return miss(key, "no build with these inputs is cached");
    } catch (IOException e) {
      throw CacheFiles.failed(root, "read", file, e);
    }
    ArtifactRecord record;
    try {
      record = parse(bytes, key);
    } catch (OtherFormatException e) {
      return miss(key, "the cached entry " + file + " " + e.getMessage());
    } catch (IllegalArgumentException e) {
      try {
        Path aside = setAside(file, stamp, key);
        return miss(
            key,
            "the cached entry "
                + file
                + " is unreadable ("
                + e.getMessage()
                + ")"
                + (aside != null ? "; moved to " + aside : ""));
      } catch (IOException io) {
        throw CacheFiles.failed(root, "set aside", file, io);
      }
    }
    for (String digest : record.referencedDigests()) {
      if (store.lookup(digest).isEmpty()) {
        return miss(
            key,
            "blob sha256 "
                + digest
                + " of the cached build is missing or was corrupt; building again");
      }
    }
    try {
      refresh(file);
    } catch (IOException e) {
      throw CacheFiles.failed(root, "update", file, e);
    }
    store.emit(new CacheEvent.SelectorHit(key, record));
    return Optional.of(record);
  }

  /**
   * Records that {@code key} produced {@code record}. Every blob the record references must already
   * be in the store (store the files first, then the selector).
   *
   * @throws CacheException if a referenced blob is missing or the entry cannot be written
   */
  public void put(SelectorKey key, ArtifactRecord record) throws CacheException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(record, "record");
    for (String digest : record.referencedDigests()) {
      // lookup also touches the blob's last-use marker, so gc sees it as in use from here on
      if (store.lookup(digest).isEmpty()) {
        throw new CacheException(
            "cannot record the build "
                + key
                + " in the cache at "
                + store.location().root()
                + ": its file sha256 "
                + digest
                + " is not in the cache (store the artifact's files before recording it)");
      }
    }
    Path file = directory.resolve(key.sha256());
    Path tmp = store.newTempFile();
    try {
      Files.write(tmp, format(key, record));
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        Files.createDirectories(directory);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      CacheFiles.fsyncDirectory(directory);
    } catch (IOException e) {
      throw CacheFiles.failed(store.location().root(), "write", file, e);
    } finally {
      CacheFiles.deleteQuietly(tmp);
    }
    store.emit(new CacheEvent.SelectorStored(key, record));
  }

  private Optional<ArtifactRecord> miss(SelectorKey key, String reason) {
    store.emit(new CacheEvent.SelectorMiss(key, reason));
    return Optional.empty();
  }

  /** Moves an unreadable entry to quarantine if nobody replaced it meanwhile. */
  Path setAside(Path file, FileStamp stamp, SelectorKey key) throws IOException {
    try {
      if (!FileStamp.of(file).equals(stamp)) {
        return null; // rewritten since it was read; the next lookup reads the new one
      }
      Path target = store.quarantineTarget("selector-" + key.sha256());
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void refresh(Path file) throws IOException {
    Instant now = store.clock().instant();
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      if (Duration.between(modified, now).compareTo(ContentStore.TOUCH_INTERVAL) >= 0) {
        Files.setLastModifiedTime(file, FileTime.from(now));
      }
    } catch (NoSuchFileException e) {
      // removed by a concurrent gc after it was read; the record read is still valid
    }
  }

  /** The entry's bytes: UTF-8 properties, sorted by key, no comment line (so no date). */
  static byte[] format(SelectorKey key, ArtifactRecord record) {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("key", key.sha256());
    p.setProperty("artifact", record.artifactSha256());
    p.setProperty("manifest", record.manifestSha256());
    p.setProperty("created", record.created().toString());
    p.setProperty("files", Integer.toString(record.files().size()));
    for (int i = 0; i < record.files().size(); i++) {
      ArtifactFile f = record.files().get(i);
      p.setProperty("file." + i + ".name", f.name());
      p.setProperty("file." + i + ".sha256", f.sha256());
      p.setProperty("file." + i + ".size", Long.toString(f.size()));
    }
    for (Map.Entry<String, String> a : record.attributes().entrySet()) {
      p.setProperty("attribute." + a.getKey(), a.getValue());
    }
    StringWriter text = new StringWriter();
    try {
      // Since JDK 18 Properties.store writes entries sorted by key.
      p.store(text, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    StringBuilder out = new StringBuilder();
    for (String line : text.toString().split("\n", -1)) {
      String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        out.append(trimmed).append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An entry written in another format version (by another Accretion version); left alone. */
  static final class OtherFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    OtherFormatException(String message) {
      super(message);
    }
  }

  /**
   * Reads an entry; throws {@link IllegalArgumentException} saying what is wrong when it is not a
   * well-formed entry for {@code key}.
   */
  static ArtifactRecord parse(byte[] bytes, SelectorKey key) throws OtherFormatException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8");
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a properties file: " + e.getMessage());
    }
    String format = required(p, "format");
    if (!FORMAT.equals(format)) {
      throw new OtherFormatException(
          "has format " + format + " (this Accretion reads format " + FORMAT + ")");
    }
    if (!key.sha256().equals(required(p, "key"))) {
      throw new IllegalArgumentException("it names key " + p.getProperty("key"));
    }
    int count = parseInt(required(p, "files"), "files");
    List<ArtifactFile> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(
          new ArtifactFile(
              required(p, "file." + i + ".name"),
              required(p, "file." + i + ".sha256"),
              parseLong(required(p, "file." + i + ".size"), "file." + i + ".size")));
    }
    TreeMap<String, String> attributes = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("attribute.")) {
        attributes.put(name.substring("attribute.".length()), p.getProperty(name));
      } else if (!isKnown(name, count)) {
        throw new IllegalArgumentException("unknown entry " + name);
      }
    }
    Instant created;
    try {
      created = Instant.parse(required(p, "created"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad created time " + p.getProperty("created"));
    }
    return new ArtifactRecord(
        required(p, "artifact"), required(p, "manifest"), files, attributes, created);
  }

  private static boolean isKnown(String name, int count) {
    switch (name) {
      case "format", "key", "artifact", "manifest", "created", "files" -> {
        return true;
      }
      default -> {
        if (!name.startsWith("file.")) {
          return false;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3 || !List.of("name", "sha256", "size").contains(parts[2])) {
          return false;
        }
        try {
          int i = Integer.parseInt(parts[1]);
          return i >= 0 && i < count && Integer.toString(i).equals(parts[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
  }

  private static String required(Properties p, String name) {
    String value = p.getProperty(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }

  private static int parseInt(String text, String name) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + name + " " + text);
    }
  }

  private static long parseLong(String text, String name) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + name + " " + text);
    }
  }
}
