package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A zip on the local disk. Thread-safe (reads are positional). */
public final class FileZipSource implements ZipSource {
  private final Path file;
  private final String label;
  private final FileChannel channel;
  private final long size;
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();

  private FileZipSource(Path file, String label, FileChannel channel, long size) {
    this.file = file;
    this.label = label;
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens {@code file}.
   *
   * @param label how messages name it; null for the path
   * @throws AccretionException {@link FailureKind#NOT_FOUND} if there is no such file, {@link
   *     FailureKind#BAD_INPUT} if it cannot be read
   */
  public static FileZipSource open(Path file, String label) throws AccretionException {
    Objects.requireNonNull(file, "file");
    String name = label == null ? file.toString() : label;
    if (Files.isDirectory(file)) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          name + " is a folder, not a zip",
          "give the layer's .zip file (or zip the folder first)",
          null);
    }
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      return new FileZipSource(file, name, channel, channel.size());
    } catch (NoSuchFileException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "no such file: " + name,
          "check the path, or give a layer version ARN or a function name",
          e);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, name + " cannot be read (" + e + ")", "check the file", e);
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public byte[] read(long position, int length) throws AccretionException {
    if (position < 0 || length < 0 || position + length > size) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          label + ": bytes " + position + "+" + length + " lie outside the file (" + size + ")",
          "the zip is truncated or damaged",
          null);
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          throw new IOException("unexpected end of file");
        }
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, label + " cannot be read (" + e + ")", "check the file", e);
    }
    bytesRead.addAndGet(length);
    requests.incrementAndGet();
    return buffer.array();
  }

  @Override
  public long bytesRead() {
    return bytesRead.get();
  }

  @Override
  public int requests() {
    return requests.get();
  }

  @Override
  public boolean remote() {
    return false;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // only read from: nothing is lost
    }
  }
}
