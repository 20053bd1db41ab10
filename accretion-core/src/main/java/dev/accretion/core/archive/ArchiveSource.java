package dev.accretion.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random access to the bytes of an archive: a file, or a remote file read by HTTP ranges. Readers
 * ask for few, exact ranges (the end of the file, the central directory, a member).
 */
public interface ArchiveSource {
  /** The archive's size in bytes. */
  long size() throws IOException;

  /**
   * Exactly {@code length} bytes at {@code offset}.
   *
   * @throws ArchiveException when the archive ends before (it was truncated)
   * @throws IOException when the bytes cannot be read
   */
  byte[] read(long offset, int length) throws ArchiveException, IOException;

  /** A source over an open file channel (positional reads; thread-safe). */
  static ArchiveSource of(FileChannel channel, String label) {
    return new ArchiveSource() {
      @Override
      public long size() throws IOException {
        return channel.size();
      }

      @Override
      public byte[] read(long position, int length) throws ArchiveException, IOException {
        byte[] bytes = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, position + buffer.position());
          if (n < 0) {
            throw new ArchiveException(
                label,
                null,
                "ends unexpectedly at " + (position + buffer.position()) + " (truncated)",
                ZipArchive.DAMAGED);
          }
        }
        return bytes;
      }
    };
  }
}
