package dev.accretion.core.archive;

import dev.accretion.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Collects entries and writes them as a zip whose bytes depend only on the entries: not on the
 * order they were added in, the time, time zone, umask, locale or thread count. Entries are:
 *
 * <ul>
 *   <li>raw copies of entries of an open {@link ZipArchive}, under a new path: the stored
 *       (compressed) bytes, CRC-32 and sizes are reused as they are, never inflated or deflated;
 *   <li>bytes given by the caller, STORED ({@link #addBytes}), or compressed by the {@link
 *       DeterministicDeflater} ({@link #addCompressed}): either way they never depend on a zlib
 *       build;
 *   <li>whole files copied STORED ({@link #addFile});
 *   <li>directories; every parent directory of every entry is also added.
 * </ul>
 *
 * <h2>Format</h2>
 *
 * <ul>
 *   <li>Order: entries sorted by their zip names (directories end with {@code /}) as unsigned bytes
 *       of UTF-8. A parent's name is a prefix of its children's, so every directory comes before
 *       its content.
 *   <li>Every timestamp is DOS date 1980-01-01 time 00:00:00 (date {@code 0x0021}, time {@code 0}),
 *       the earliest DOS time; there is no extended timestamp field.
 *   <li>Modes (in the high 16 bits of the external attributes, version made by Unix 4.5): {@code
 *       100644} for files, {@code 100755} for executable files, {@code 40755} for directories
 *       (which also carry the MS-DOS directory bit {@code 0x10}).
 *   <li>General purpose flags {@code 0x0800} (UTF-8 names) on every entry: no data descriptors, no
 *       encryption. No extra fields, no file comments, no archive comment.
 *   <li>ZIP64 only when needed: an entry gets a ZIP64 extra field only if one of its sizes or its
 *       header offset is 0xFFFFFFFF or more, and the ZIP64 end records are written only if there
 *       are 65,535 entries or more, or the central directory starts or spans past 0xFFFFFFFF.
 * </ul>
 *
 * <h2>Content digest</h2>
 *
 * The SHA-256 (lowercase hex) of the UTF-8 text made of one line per entry, in the order above:
 * {@code <zip name> NUL <mode in octal> NUL <sha256 hex of the uncompressed content> LF}, where the
 * mode is the full one written ({@code 100644}, {@code 100755}, {@code 40755}) and a directory's
 * content is empty. It changes exactly when a path, a mode or a file's content changes, whatever
 * the compression.
 *
 * <h2>Duplicates</h2>
 *
 * A path supplied twice is an error naming both sources, unless both are files with the same
 * content and mode (written once, from the source that sorts first, and listed in {@link
 * ZipResult#mergedDuplicates()}) or both are directories.
 *
 * <p>The add methods are thread-safe; {@link #write} may be called more than once. Raw entries are
 * read during {@link #write}, so their archives must stay open until it returns.
 */
public final class ReproducibleZipWriter {
  /** DOS time field of every entry: 00:00:00. */
  public static final int DOS_TIME = 0;

  /** DOS date field of every entry: 1980-01-01 ((1980-1980) << 9 | 1 << 5 | 1). */
  public static final int DOS_DATE = 0x0021;

  static final int FILE_MODE = 0100644;
  static final int EXECUTABLE_MODE = 0100755;
  static final int DIRECTORY_MODE = 040755;
  private static final int VERSION_MADE_BY = 3 << 8 | 45;
  private static final int FLAGS = 0x0800;
  private static final long U32_MAX = 0xFFFF_FFFFL;
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final long zip64SizeThreshold;
  private final int zip64CountThreshold;
  private final List<Item> items = new ArrayList<>();

  /** A writer with no entries yet. */
  public ReproducibleZipWriter() {
    this(U32_MAX, 0xFFFF);
  }

  /** For tests: ZIP64 structures from lower thresholds, to exercise them without 4 GiB files. */
  ReproducibleZipWriter(long zip64SizeThreshold, int zip64CountThreshold) {
    this.zip64SizeThreshold = zip64SizeThreshold;
    this.zip64CountThreshold = zip64CountThreshold;
  }

  private enum Kind {
    RAW,
    BYTES,
    FILE,
    DIRECTORY
  }

  /**
   * One entry to write. {@code bytes} holds what is written as the entry's data: the content for
   * STORED bytes, the deflated content for compressed bytes; {@code file} a whole file to copy.
   */
  private record Item(
      String path,
      Kind kind,
      boolean executable,
      String sha256Hex,
      long crc32,
      int method,
      long compressedSize,
      long size,
      ZipArchive archive,
      ZipEntryInfo entry,
      byte[] bytes,
      Path file,
      String source) {}

  /**
   * Adds a raw copy of {@code entry} at {@code path}, executable if the entry's Unix mode has an
   * execute bit.
   *
   * @see #addRaw(String, ZipArchive, ZipEntryInfo, String, boolean, String)
   */
  public ReproducibleZipWriter addRaw(
      String path, ZipArchive archive, ZipEntryInfo entry, String sha256Hex, String source) {
    return addRaw(path, archive, entry, sha256Hex, entry.isExecutable(), source);
  }

  /**
   * Adds a raw copy of {@code entry} of {@code archive} at {@code path}.
   *
   * @param path normalized relative path with {@code /} separators (no {@code .}, {@code ..} or
   *     empty segments, no leading or trailing slash)
   * @param sha256Hex the SHA-256 of the entry's uncompressed content, as verified by the caller
   *     (for example with {@link ZipArchive#digest}); used for the content digest and duplicates
   * @param source who supplies the entry (a package name), named in errors
   * @throws IllegalArgumentException if the path is not normalized, the entry is a directory or not
   *     from {@code archive}, or the digest is not 64 lowercase hex digits
   */
  public ReproducibleZipWriter addRaw(
      String path,
      ZipArchive archive,
      ZipEntryInfo entry,
      String sha256Hex,
      boolean executable,
      String source) {
    checkPath(path);
    Objects.requireNonNull(archive, "archive");
    archive.checkOwned(entry);
    if (entry.isDirectory()) {
      throw new IllegalArgumentException(
          "entry '" + entry.name() + "' is a directory: use addDirectory");
    }
    checkSha(sha256Hex);
    Objects.requireNonNull(source, "source");
    add(
        new Item(
            path,
            Kind.RAW,
            executable,
            sha256Hex,
            entry.crc32(),
            entry.method(),
            entry.compressedSize(),
            entry.uncompressedSize(),
            archive,
            entry,
            null,
            null,
            source));
    return this;
  }

  /**
   * Adds {@code content} (copied) as a STORED file at {@code path}.
   *
   * @throws IllegalArgumentException if the path is not normalized
   */
  public ReproducibleZipWriter addBytes(
      String path, byte[] content, boolean executable, String source) {
    checkPath(path);
    Objects.requireNonNull(source, "source");
    byte[] copy = content.clone();
    CRC32 crc = new CRC32();
    crc.update(copy);
    String sha = HexFormat.of().formatHex(ZipArchive.sha256().digest(copy));
    add(
        new Item(
            path,
            Kind.BYTES,
            executable,
            sha,
            crc.getValue(),
            ZipEntryInfo.STORED,
            copy.length,
            copy.length,
            null,
            null,
            copy,
            null,
            source));
    return this;
  }

  /**
   * What {@link #addCompressed} computes from an entry's content before adding it: its deflated
   * bytes (null when deflating would not make it smaller), CRC-32 and sha256. Computing it depends
   * on nothing but the content (and the matches of the stream it was cut from, when given), so
   * callers may do it for many entries on several threads ({@link #compress}), even while others
   * are still downloading, and add them in order afterwards: the archive's bytes are the same.
   */
  public record Compressed(byte[] content, byte[] deflated, long crc, String sha256, int size) {
    /**
     * @param content the entry's bytes; null only when {@code deflated} holds them (see {@link
     *     #withoutContent})
     * @param deflated the deflated bytes, or null when deflating would not make them smaller
     * @param size the length of the content
     */
    public Compressed {
      if (content == null && deflated == null) {
        throw new IllegalArgumentException("an entry needs its content or its deflated bytes");
      }
      if (content != null && content.length != size) {
        throw new IllegalArgumentException("size " + size + " is not the content's length");
      }
    }

    /**
     * The same entry without its uncompressed bytes when the deflated ones are all the archive
     * needs, so a builder that holds thousands of entries until the zip is written keeps only those
     * (less to copy in every garbage collection); itself when the entry is stored.
     */
    public Compressed withoutContent() {
      return deflated == null || content == null
          ? this
          : new Compressed(null, deflated, crc, sha256, size);
    }

    /** The entry's bytes: {@link #content} when held, else inflated from the deflated bytes. */
    public byte[] uncompressed() {
      if (content != null) {
        return content;
      }
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(deflated);
        byte[] out = new byte[size];
        int n = 0;
        while (n < size) {
          int got = inflater.inflate(out, n, size - n);
          if (got == 0 && (inflater.finished() || inflater.needsInput())) {
            break;
          }
          n += got;
        }
        if (n != size) {
          throw new IllegalStateException("the deflated bytes hold " + n + " bytes, not " + size);
        }
        return out;
      } catch (DataFormatException e) {
        throw new IllegalStateException("the deflated bytes are not valid DEFLATE", e);
      } finally {
        inflater.end();
      }
    }
  }

  /** Compresses {@code content} for {@link #addCompressed(String, Compressed, boolean, String)}. */
  public static Compressed compress(byte[] content) {
    return compress(content, null);
  }

  /**
   * Compresses {@code content} for {@link #addCompressed(String, Compressed, boolean, String)},
   * reusing the matches of {@code parse} when given ({@link
   * DeterministicDeflater#deflate(Lz77Slice)}).
   *
   * @param parse the same bytes as cut from an inflated stream, or null to search for matches
   * @throws IllegalArgumentException when {@code parse} holds other bytes than {@code content}
   */
  public static Compressed compress(byte[] content, Lz77Slice parse) {
    if (parse != null && !parse.holds(content)) {
      throw new IllegalArgumentException("the parse given holds other bytes than the content");
    }
    byte[] deflated =
        parse == null
            ? DeterministicDeflater.deflate(content)
            : DeterministicDeflater.deflate(parse);
    CRC32 crc = new CRC32();
    crc.update(content);
    String sha = HexFormat.of().formatHex(ZipArchive.sha256().digest(content));
    return new Compressed(
        content,
        deflated.length >= content.length ? null : deflated,
        crc.getValue(),
        sha,
        content.length);
  }

  /**
   * Adds {@code content} (copied) at {@code path}, compressed with {@link DeterministicDeflater}
   * (so the bytes never depend on a zlib build), or STORED when compressing would not make it
   * smaller.
   *
   * @throws IllegalArgumentException if the path is not normalized
   */
  public ReproducibleZipWriter addCompressed(
      String path, byte[] content, boolean executable, String source) {
    checkPath(path);
    Objects.requireNonNull(source, "source");
    return addCompressed(path, compress(content.clone()), executable, source);
  }

  /**
   * Adds an entry {@link #compress} prepared (its content is not copied again: the caller must not
   * change it).
   *
   * @throws IllegalArgumentException if the path is not normalized
   */
  public ReproducibleZipWriter addCompressed(
      String path, Compressed compressed, boolean executable, String source) {
    checkPath(path);
    Objects.requireNonNull(source, "source");
    if (compressed.deflated() == null) {
      return addBytes(path, compressed.content(), executable, source);
    }
    add(
        new Item(
            path,
            Kind.BYTES,
            executable,
            compressed.sha256(),
            compressed.crc(),
            ZipEntryInfo.DEFLATED,
            compressed.deflated().length,
            compressed.size(),
            null,
            null,
            compressed.deflated(),
            null,
            source));
    return this;
  }

  /**
   * Adds the whole of {@code file} as a STORED entry at {@code path}. The file is read now (for its
   * CRC-32, checked against {@code sha256Hex} and {@code size}) and again by {@link #write}, so it
   * must not change in between.
   *
   * @throws ArchiveException if the file cannot be read or is not what the caller says it is
   * @throws IllegalArgumentException if the path is not normalized or the digest malformed
   */
  public ReproducibleZipWriter addFile(
      String path, Path file, String sha256Hex, long size, boolean executable, String source)
      throws ArchiveException {
    checkPath(path);
    checkSha(sha256Hex);
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    CRC32 crc = new CRC32();
    MessageDigest sha = ZipArchive.sha256();
    long read = 0;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
        sha.update(buffer, 0, n);
        read += n;
      }
    } catch (IOException e) {
      throw new ArchiveException(
          file.toString(), null, "cannot be read (" + e + ")", "check the file", e);
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (read != size || !actual.equals(sha256Hex)) {
      throw new ArchiveException(
          file.toString(),
          null,
          "has "
              + read
              + " bytes with sha256 "
              + actual
              + ", not the "
              + size
              + " bytes with sha256 "
              + sha256Hex
              + " expected",
          "was the file changed while the layer was built? build again");
    }
    add(
        new Item(
            path,
            Kind.FILE,
            executable,
            sha256Hex,
            crc.getValue(),
            ZipEntryInfo.STORED,
            size,
            size,
            null,
            null,
            null,
            file,
            source));
    return this;
  }

  /**
   * Adds a directory (given without trailing slash). Parent directories of every entry are added
   * anyway; this is for empty directories.
   *
   * @throws IllegalArgumentException if the path is not normalized
   */
  public ReproducibleZipWriter addDirectory(String path, String source) {
    checkPath(path);
    Objects.requireNonNull(source, "source");
    add(
        new Item(
            path, Kind.DIRECTORY, true, EMPTY_SHA256, 0, 0, 0, 0, null, null, null, null, source));
    return this;
  }

  private void add(Item item) {
    synchronized (items) {
      items.add(item);
    }
  }

  private static void checkPath(String path) {
    Objects.requireNonNull(path, "path");
    String problem = ZipNames.canonicalProblem(path);
    if (problem != null) {
      throw new IllegalArgumentException(
          "path '" + ArchiveException.printable(path) + "' " + problem);
    }
  }

  private static void checkSha(String sha256Hex) {
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    // a character loop, not a regex: it runs for every entry
    boolean ok = sha256Hex.length() == 64;
    for (int i = 0; ok && i < 64; i++) {
      char c = sha256Hex.charAt(i);
      ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }
    if (!ok) {
      throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256Hex);
    }
  }

  /** One entry to write, after merging duplicates and adding parents. */
  private record Planned(byte[] name, String zipName, boolean directory, int mode, Item item) {}

  private record Plan(List<Planned> entries, List<ZipResult.MergedDuplicate> merged) {}

  private Plan plan(String label) throws ArchiveException {
    List<Item> snapshot;
    synchronized (items) {
      snapshot = new ArrayList<>(items);
    }
    Map<String, List<Item>> byPath = new HashMap<>();
    for (Item item : snapshot) {
      byPath.computeIfAbsent(item.path(), k -> new ArrayList<>(1)).add(item);
    }
    List<String> conflicts = new ArrayList<>();
    String firstConflictPath = null;
    Map<String, Item> files = new HashMap<>();
    Map<String, Boolean> directories = new HashMap<>();
    List<ZipResult.MergedDuplicate> merged = new ArrayList<>();
    List<String> paths = new ArrayList<>(byPath.keySet());
    paths.sort(ReproducibleZipWriter::compareUtf8);
    for (String path : paths) {
      List<Item> group = byPath.get(path);
      group.sort((a, b) -> compareUtf8(a.source(), b.source()));
      List<Item> fileItems = group.stream().filter(i -> i.kind() != Kind.DIRECTORY).toList();
      List<Item> dirItems = group.stream().filter(i -> i.kind() == Kind.DIRECTORY).toList();
      String conflict = null;
      if (!fileItems.isEmpty() && !dirItems.isEmpty()) {
        conflict =
            "is a file from '"
                + fileItems.get(0).source()
                + "' and a directory from '"
                + dirItems.get(0).source()
                + "'";
      } else if (fileItems.size() > 1) {
        Item kept = fileItems.get(0);
        for (Item other : fileItems.subList(1, fileItems.size())) {
          if (other.source().equals(kept.source())) {
            conflict = "was added twice by '" + kept.source() + "'";
          } else if (!other.sha256Hex().equals(kept.sha256Hex())) {
            conflict =
                "comes from both '"
                    + kept.source()
                    + "' (sha256 "
                    + kept.sha256Hex()
                    + ") and '"
                    + other.source()
                    + "' (sha256 "
                    + other.sha256Hex()
                    + ") with different content";
          } else if (other.executable() != kept.executable()) {
            conflict =
                "comes from both '"
                    + kept.source()
                    + "' and '"
                    + other.source()
                    + "' with the same content but different modes";
          }
          if (conflict != null) {
            break;
          }
        }
        if (conflict == null) {
          merged.add(
              new ZipResult.MergedDuplicate(
                  path, kept.sha256Hex(), fileItems.stream().map(Item::source).toList()));
        }
      }
      if (conflict != null) {
        if (firstConflictPath == null) {
          firstConflictPath = path;
        }
        conflicts.add("'" + ArchiveException.printable(path) + "' " + conflict);
        continue;
      }
      if (fileItems.isEmpty()) {
        directories.put(path, Boolean.TRUE);
      } else {
        files.put(path, fileItems.get(0));
      }
    }
    // Parents: every ancestor must be a directory, added when missing.
    for (String path : paths) {
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        String parent = path.substring(0, slash);
        Item file = files.get(parent);
        if (file != null) {
          if (firstConflictPath == null) {
            firstConflictPath = path;
          }
          List<Item> children = byPath.get(path);
          conflicts.add(
              "'"
                  + ArchiveException.printable(path)
                  + "' from '"
                  + children.get(0).source()
                  + "' needs '"
                  + ArchiveException.printable(parent)
                  + "' to be a directory, but it is a file from '"
                  + file.source()
                  + "'");
          break;
        }
        directories.putIfAbsent(parent, Boolean.FALSE);
      }
    }
    if (!conflicts.isEmpty()) {
      StringBuilder problem = new StringBuilder("cannot be written: ");
      int shown = Math.min(conflicts.size(), 10);
      problem.append(String.join("; ", conflicts.subList(0, shown)));
      if (conflicts.size() > shown) {
        problem.append("; and ").append(conflicts.size() - shown).append(" more conflicts");
      }
      throw new ArchiveException(
          label,
          null,
          problem.toString(),
          "one path can hold only one file: leave one of the sources out, or put them in"
              + " separate layers");
    }
    List<Planned> planned = new ArrayList<>(files.size() + directories.size());
    for (Map.Entry<String, Item> e : files.entrySet()) {
      String name = e.getKey();
      Item item = e.getValue();
      planned.add(
          new Planned(
              name.getBytes(StandardCharsets.UTF_8),
              name,
              false,
              item.executable() ? EXECUTABLE_MODE : FILE_MODE,
              item));
    }
    for (String dir : directories.keySet()) {
      String name = dir + "/";
      planned.add(
          new Planned(name.getBytes(StandardCharsets.UTF_8), name, true, DIRECTORY_MODE, null));
    }
    planned.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
    merged.sort((a, b) -> compareUtf8(a.path(), b.path()));
    return new Plan(planned, merged);
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the zip to a temporary file beside {@code target}, then moves it over {@code target}.
   * Streams: memory use does not grow with content size.
   *
   * @throws ArchiveException on conflicting paths (naming both sources), when a raw source cannot
   *     be read, or when the output cannot be written; {@code target} is then left unchanged
   */
  public ZipResult write(Path target) throws ArchiveException {
    Path absolute = target.toAbsolutePath();
    String label = absolute.toString();
    Plan plan = plan(label);
    Path temp;
    try {
      Files.createDirectories(absolute.getParent());
      temp = AtomicFiles.createTempBeside(absolute);
    } catch (IOException e) {
      throw outputFailure(label, e);
    }
    boolean moved = false;
    try {
      ZipResult result = write(plan, temp, absolute, label);
      try {
        AtomicFiles.move(temp, absolute);
        moved = true;
      } catch (IOException e) {
        throw outputFailure(label, e);
      }
      return result;
    } finally {
      if (!moved) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }

  /**
   * Writes the zip into {@code file} (created or truncated) and forces it to disk, without moving
   * it anywhere: for callers that publish several files together. The result names {@code
   * reportedPath} as the zip's path (where the caller will move it).
   *
   * @throws ArchiveException as {@link #write(Path)}; {@code file} then holds partial content
   */
  public ZipResult writeTo(Path file, Path reportedPath) throws ArchiveException {
    Path absolute = reportedPath.toAbsolutePath();
    String label = absolute.toString();
    return write(plan(label), file, absolute, label);
  }

  private ZipResult write(Plan plan, Path file, Path reported, String label)
      throws ArchiveException {
    Written written;
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      written = writeEntries(channel, plan.entries(), label);
      channel.force(true);
    } catch (IOException e) {
      throw outputFailure(label, e);
    }
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: the default permissions stand.
    }
    return new ZipResult(
        reported,
        HexFormat.of().formatHex(written.sha256()),
        Base64.getEncoder().encodeToString(written.sha256()),
        written.contentDigest(),
        written.zippedBytes(),
        written.unzippedBytes(),
        plan.entries().size(),
        plan.merged());
  }

  private static ArchiveException outputFailure(String label, IOException e) {
    return new ArchiveException(
        label,
        null,
        "could not be written (" + e + ")",
        "check free space and permissions of the output directory",
        e);
  }

  private record Written(
      byte[] sha256, String contentDigest, long zippedBytes, long unzippedBytes) {}

  private Written writeEntries(FileChannel channel, List<Planned> entries, String label)
      throws IOException, ArchiveException {
    Sink out = new Sink(channel);
    MessageDigest content = ZipArchive.sha256();
    long[] offsets = new long[entries.size()];
    long unzipped = 0;
    byte[] zero = {0};
    byte[] newline = {'\n'};
    for (int i = 0; i < entries.size(); i++) {
      Planned p = entries.get(i);
      Item item = p.item();
      long crc = p.directory() ? 0 : item.crc32();
      long compressed = p.directory() ? 0 : item.compressedSize();
      long size = p.directory() ? 0 : item.size();
      int method = p.directory() ? ZipEntryInfo.STORED : item.method();
      offsets[i] = out.position();
      boolean zip64Sizes = compressed >= zip64SizeThreshold || size >= zip64SizeThreshold;
      out.putInt(ZipArchive.LOCAL_SIG);
      out.putShort(versionNeeded(method, zip64Sizes));
      out.putShort(FLAGS);
      out.putShort(method);
      out.putShort(DOS_TIME);
      out.putShort(DOS_DATE);
      out.putInt((int) crc);
      out.putInt(zip64Sizes ? -1 : (int) compressed);
      out.putInt(zip64Sizes ? -1 : (int) size);
      out.putShort(p.name().length);
      out.putShort(zip64Sizes ? 20 : 0);
      out.put(p.name());
      if (zip64Sizes) {
        out.putShort(0x0001);
        out.putShort(16);
        out.putLong(size);
        out.putLong(compressed);
      }
      if (!p.directory()) {
        switch (item.kind()) {
          case RAW -> out.copyRaw(item.archive(), item.entry());
          case FILE -> out.copyFile(item.file(), item.size(), label);
          default -> out.put(item.bytes());
        }
        unzipped += size;
      }
      content.update(p.name());
      content.update(zero);
      content.update(Integer.toOctalString(p.mode()).getBytes(StandardCharsets.US_ASCII));
      content.update(zero);
      content.update(
          (p.directory() ? EMPTY_SHA256 : item.sha256Hex()).getBytes(StandardCharsets.US_ASCII));
      content.update(newline);
    }
    long centralStart = out.position();
    for (int i = 0; i < entries.size(); i++) {
      Planned p = entries.get(i);
      Item item = p.item();
      long crc = p.directory() ? 0 : item.crc32();
      long compressed = p.directory() ? 0 : item.compressedSize();
      long size = p.directory() ? 0 : item.size();
      int method = p.directory() ? ZipEntryInfo.STORED : item.method();
      boolean bigSize = size >= zip64SizeThreshold;
      boolean bigCompressed = compressed >= zip64SizeThreshold;
      boolean bigOffset = offsets[i] >= zip64SizeThreshold;
      int extraLength = (bigSize ? 8 : 0) + (bigCompressed ? 8 : 0) + (bigOffset ? 8 : 0);
      boolean zip64 = extraLength > 0;
      out.putInt(ZipArchive.CENTRAL_SIG);
      out.putShort(VERSION_MADE_BY);
      out.putShort(versionNeeded(method, zip64));
      out.putShort(FLAGS);
      out.putShort(method);
      out.putShort(DOS_TIME);
      out.putShort(DOS_DATE);
      out.putInt((int) crc);
      out.putInt(bigCompressed ? -1 : (int) compressed);
      out.putInt(bigSize ? -1 : (int) size);
      out.putShort(p.name().length);
      out.putShort(zip64 ? 4 + extraLength : 0);
      out.putShort(0); // comment length
      out.putShort(0); // disk number start
      out.putShort(0); // internal attributes
      out.putInt(p.mode() << 16 | (p.directory() ? 0x10 : 0));
      out.putInt(bigOffset ? -1 : (int) offsets[i]);
      out.put(p.name());
      if (zip64) {
        // APPNOTE 4.5.3: only the fields whose classic value is 0xFFFFFFFF, in this order.
        out.putShort(0x0001);
        out.putShort(extraLength);
        if (bigSize) {
          out.putLong(size);
        }
        if (bigCompressed) {
          out.putLong(compressed);
        }
        if (bigOffset) {
          out.putLong(offsets[i]);
        }
      }
    }
    long centralEnd = out.position();
    long centralSize = centralEnd - centralStart;
    int count = entries.size();
    boolean zip64End =
        count >= zip64CountThreshold
            || centralStart >= zip64SizeThreshold
            || centralSize >= zip64SizeThreshold;
    if (zip64End) {
      out.putInt(ZipArchive.ZIP64_END_SIG);
      out.putLong(44); // size of the remaining record
      out.putShort(VERSION_MADE_BY);
      out.putShort(45);
      out.putInt(0); // this disk
      out.putInt(0); // disk with the central directory
      out.putLong(count);
      out.putLong(count);
      out.putLong(centralSize);
      out.putLong(centralStart);
      out.putInt(ZipArchive.ZIP64_LOCATOR_SIG);
      out.putInt(0);
      out.putLong(centralEnd);
      out.putInt(1);
    }
    out.putInt(ZipArchive.END_SIG);
    out.putShort(0);
    out.putShort(0);
    int shortCount = count >= 0xFFFF || (zip64End && count >= zip64CountThreshold) ? 0xFFFF : count;
    out.putShort(shortCount);
    out.putShort(shortCount);
    out.putInt(centralSize >= zip64SizeThreshold ? -1 : (int) centralSize);
    out.putInt(centralStart >= zip64SizeThreshold ? -1 : (int) centralStart);
    out.putShort(0); // comment length
    out.flush();
    return new Written(
        out.sha.digest(), HexFormat.of().formatHex(content.digest()), out.position(), unzipped);
  }

  private static int versionNeeded(int method, boolean zip64) {
    if (zip64) {
      return 45;
    }
    return method == ZipEntryInfo.DEFLATED ? 20 : 10;
  }

  /** Buffered little-endian output that hashes what it writes. */
  private static final class Sink {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(256 << 10).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest sha = ZipArchive.sha256();
    private long flushed;

    Sink(FileChannel channel) {
      this.channel = channel;
    }

    long position() {
      return flushed + buffer.position();
    }

    private void room(int bytes) throws IOException {
      if (buffer.remaining() < bytes) {
        flush();
      }
    }

    void putShort(int value) throws IOException {
      room(2);
      buffer.putShort((short) value);
    }

    void putInt(int value) throws IOException {
      room(4);
      buffer.putInt(value);
    }

    void putLong(long value) throws IOException {
      room(8);
      buffer.putLong(value);
    }

    void put(byte[] bytes) throws IOException {
      int offset = 0;
      while (offset < bytes.length) {
        room(1);
        int n = Math.min(buffer.remaining(), bytes.length - offset);
        buffer.put(bytes, offset, n);
        offset += n;
      }
    }

    void copyRaw(ZipArchive archive, ZipEntryInfo entry) throws IOException, ArchiveException {
      long offset = 0;
      while (offset < entry.compressedSize()) {
        room(1);
        int limit = buffer.limit();
        int n = archive.readRaw(entry, offset, buffer);
        buffer.limit(limit);
        if (n < 0) {
          break;
        }
        offset += n;
      }
      if (offset != entry.compressedSize()) {
        throw new ArchiveException(
            archive.label(),
            entry.name(),
            "ended after " + offset + " of " + entry.compressedSize() + " bytes while copied",
            "was the file changed while the layer was built? build again");
      }
    }

    void copyFile(Path file, long size, String label) throws IOException, ArchiveException {
      long copied = 0;
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        while (true) {
          room(1);
          int limit = buffer.limit();
          if (buffer.remaining() > size - copied) {
            buffer.limit(buffer.position() + (int) (size - copied));
          }
          int n = buffer.hasRemaining() ? in.read(buffer) : -1;
          buffer.limit(limit);
          if (n <= 0) {
            break;
          }
          copied += n;
        }
        if (copied != size || in.size() != size) {
          throw new ArchiveException(
              label,
              file.toString(),
              "changed size while it was copied (" + in.size() + " bytes, " + size + " expected)",
              "was the file changed while the layer was built? build again");
        }
      }
    }

    void flush() throws IOException {
      buffer.flip();
      sha.update(buffer.array(), 0, buffer.limit());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      flushed += buffer.limit();
      buffer.clear();
    }
  }
}
