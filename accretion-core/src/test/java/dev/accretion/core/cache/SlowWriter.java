package dev.accretion.core.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-process entry point for {@link ContentStoreMultiProcessIT}: starts storing {@link
 * #content()} but hangs after the first 256 KiB, so the test can kill it mid-write like a crash.
 *
 * <p>Argument: cache root.
 */
public final class SlowWriter {
  static final int SIZE = 1 << 20;
  static final int BEFORE_HANG = 256 << 10;

  private SlowWriter() {}

  static byte[] content() {
    return TestBlobs.content(77, SIZE);
  }

  public static void main(String[] args) throws Exception {
    Cache cache = Cache.open(CacheLocation.of(Path.of(args[0])), CacheListener.none());
    byte[] content = content();
    InputStream hanging =
        new InputStream() {
          int position;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (position >= BEFORE_HANG) {
              try {
                Thread.sleep(600_000);
              } catch (InterruptedException e) {
                throw new InterruptedIOException();
              }
              throw new IOException("the test was supposed to kill this process");
            }
            int n = Math.min(len, BEFORE_HANG - position);
            System.arraycopy(content, position, b, off, n);
            position += n;
            return n;
          }
        };
    cache.blobs().put(hanging, Optional.empty());
  }
}
