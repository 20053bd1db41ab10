package dev.accretion.core.elf;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Recognises ELF files by their magic and reads what decides whether they load on a Lambda target:
 * class, byte order, machine, type, needed libraries and required symbol versions ({@code
 * GLIBC_2.28}...), as the dynamic loader sees them (program headers, {@code PT_DYNAMIC}, {@code
 * DT_VERNEED}). Every offset and count is bounds-checked: truncated or hostile files end in an
 * {@link ElfException} naming the file, never another exception.
 *
 * <p>Only headers and a few tables are read, never the whole file: a seekable source is read where
 * needed; a stream is scanned once by an {@link ElfScanner}. Stateless and thread-safe.
 */
public final class ElfInspector {
  private ElfInspector() {}

  /**
   * Opens a stream over the same content each time it is called, for example {@code () ->
   * archive.open(entry)}.
   */
  @FunctionalInterface
  public interface StreamOpener {
    InputStream open() throws IOException, AccretionException;
  }

  /** Inspects a file on disk. */
  public static Optional<ElfInfo> inspect(Path file) throws ElfException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return inspect(channel, file.toString());
    } catch (IOException e) {
      throw new ElfException(file.toString(), "could not be read (" + e + ")", "check the file", e);
    }
  }

  /**
   * Inspects the content of a seekable channel (not closed; its position is changed).
   *
   * @param name the file as named in errors
   */
  public static Optional<ElfInfo> inspect(SeekableByteChannel channel, String name)
      throws ElfException {
    Objects.requireNonNull(channel, "channel");
    long size;
    try {
      size = channel.size();
    } catch (IOException e) {
      throw new ElfException(name, "could not be read (" + e + ")", "check the file", e);
    }
    return ElfParser.parse(
        new ElfParser.Source() {
          @Override
          public long size() {
            return size;
          }

          @Override
          public byte[] read(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(position);
            while (buffer.hasRemaining()) {
              if (channel.read(buffer) < 0) {
                throw new IOException("unexpected end of file at " + channel.position());
              }
            }
            return buffer.array();
          }
        },
        name);
  }

  /** Inspects bytes in memory. */
  public static Optional<ElfInfo> inspect(byte[] bytes, String name) throws ElfException {
    Objects.requireNonNull(bytes, "bytes");
    return ElfParser.parse(
        new ElfParser.Source() {
          @Override
          public long size() {
            return bytes.length;
          }

          @Override
          public byte[] read(long position, int length) {
            return Arrays.copyOfRange(bytes, (int) position, (int) position + length);
          }
        },
        name);
  }

  /**
   * Inspects content available as a stream: one pass with an {@link ElfScanner} (stopping after
   * four bytes when the content is not ELF), plus a partial second pass in the rare layouts that
   * need one.
   *
   * @throws ElfException if the content is malformed ELF or cannot be read (the IOException is the
   *     cause)
   */
  public static Optional<ElfInfo> inspect(StreamOpener opener, String name) throws ElfException {
    Objects.requireNonNull(opener, "opener");
    ElfScanner scanner = new ElfScanner(name);
    byte[] buffer = new byte[64 << 10];
    try (InputStream in = opener.open()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        scanner.write(buffer, 0, n);
        if (scanner.isNotElf()) {
          return Optional.empty();
        }
      }
    } catch (IOException | AccretionException e) {
      throw new ElfException(name, "could not be read (" + e.getMessage() + ")", null, e);
    }
    return scanner.finish(opener);
  }
}
