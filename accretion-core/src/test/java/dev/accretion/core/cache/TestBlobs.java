package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/** Deterministic blob contents and file tricks shared by the cache tests. */
final class TestBlobs {
  private TestBlobs() {}

  /** {@code size} pseudo-random bytes determined by {@code seed}. */
  static byte[] content(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(Sha256.newDigest().digest(bytes));
  }

  /**
   * Flips one byte of a (read-only) blob in place, the way bit rot or a careless tool would, and
   * optionally puts the modification time back so only the ctime betrays the change.
   */
  static void flipByte(Path file, long offset, boolean keepMtime) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.flip();
      byte b = one.get();
      channel.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0x5a)}), offset);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    if (keepMtime) {
      Files.setLastModifiedTime(file, mtime);
    }
  }

  /** Sets a file's modification time {@code age} before now. */
  static void age(Path file, Duration age) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
  }

  static long count(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.count();
    }
  }
}
