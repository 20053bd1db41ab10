package dev.accretion.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers see either the old content or the whole new one, never a part: the
 * bytes go to a temporary file beside the target (same folder, so the same file system), are forced
 * to disk, and the temporary file is renamed over the target (an atomic rename where the file
 * system has one).
 *
 * <p>Temporary names are {@code .<target name>.<pid>-<random>.tmp}: hidden, next to what they
 * become, and carrying the writing process's id, so that {@link #removeStale} can tell a leftover
 * of a killed process (its process is gone) from the work of a running one. Stateless and
 * thread-safe.
 */
public final class AtomicFiles {
  private static final long PID = ProcessHandle.current().pid();
  private static final Pattern TEMP =
      Pattern.compile("^\\.(.+)\\.(\\d{1,19})-[0-9a-z]{1,13}\\.tmp$");

  private AtomicFiles() {}

  /** Writes the bytes to an open output stream (for {@link #write(Path, Content)}). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A fresh temporary name beside {@code target}: {@code .<name>.<pid>-<random>.tmp}. */
  public static Path tempBeside(Path target) {
    return target.resolveSibling(
        "."
            + target.getFileName()
            + "."
            + PID
            + "-"
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
            + ".tmp");
  }

  /**
   * Creates the temporary file {@link #tempBeside} names (the parent folder must exist), failing if
   * it already exists.
   */
  public static Path createTempBeside(Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = tempBeside(target);
      try {
        return Files.createFile(temp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 8) {
          throw e;
        }
      }
    }
  }

  /** Replaces {@code target} with {@code content}; see the class comment. */
  public static void write(Path target, byte[] content) throws IOException {
    Objects.requireNonNull(content, "content");
    write(target, out -> out.write(content));
  }

  /**
   * As {@link #write(Path, byte[])}, but without forcing the bytes to disk before the rename: for
   * caches that verify what they read back and may lose a write in a crash. Readers still never see
   * a part.
   */
  public static void writeUnforced(Path target, byte[] content) throws IOException {
    Objects.requireNonNull(content, "content");
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = createTempBeside(absolute);
    try {
      Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
      move(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Replaces {@code target} with what {@code content} writes; the parent folder is created when
   * missing. On failure {@code target} is unchanged and the temporary file is removed.
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = createTempBeside(absolute);
    try {
      writeForced(temp, content);
      move(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Copies {@code source} over {@code target} atomically (the copy gets default permissions). */
  public static void copy(Path source, Path target) throws IOException {
    write(
        target,
        out -> {
          try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(out);
          }
        });
  }

  /**
   * Writes {@code content} into the existing file {@code file} (truncating it) and forces it to
   * disk, without any rename: for callers that rename several files themselves.
   */
  public static void writeForced(Path file, Content content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = Channels.newOutputStream(channel);
      content.writeTo(out);
      out.flush();
      channel.force(true);
    }
  }

  /** Renames {@code temp} over {@code target}: atomically if the file system can, else plainly. */
  public static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes {@code file} if it exists, ignoring failures (for clean-up after another failure). */
  public static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the failure being reported matters more than a leftover
    }
  }

  /**
   * The process id in a temporary name made by {@link #tempBeside}, or empty if {@code fileName} is
   * not such a name.
   */
  public static OptionalLong writerOf(String fileName) {
    Matcher m = TEMP.matcher(fileName);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(2)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Removes the temporary files {@link #tempBeside} made in {@code dir} whose writing process is
   * gone (killed while writing: nothing will ever rename them). Files of running processes (this
   * one included) are left alone, so a concurrent build is never disturbed. Meant for folders of
   * one machine: a process id says nothing about another host's processes.
   *
   * @return the files removed
   * @throws IOException if the folder cannot be listed
   */
  public static List<Path> removeStale(Path dir) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path file : files) {
        OptionalLong pid = writerOf(file.getFileName().toString());
        if (pid.isEmpty() || pid.getAsLong() == PID || isAlive(pid.getAsLong())) {
          continue;
        }
        try {
          if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
            removed.add(file);
          }
        } catch (IOException e) {
          // another build removed it first, or it is not ours to remove: leave it
        }
      }
    } catch (NoSuchFileException e) {
      return removed;
    }
    return removed;
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
