package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What identifies one version of one file cheaply: device and inode (or the platform's file key),
 * size, modification time and status-change time. Any write to the file, a replacement by rename,
 * or {@code touch} changes it; the cache re-hashes a blob whenever its stamp differs from the one
 * it last verified.
 */
record FileStamp(Object fileKey, long size, long modifiedNanos, long changedNanos) {

  static FileStamp of(Path path) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      // One stat(2): ctime is only available through the "unix" view; it changes on every write
      // and on chmod/utimes, so even a writer that restores the mtime is noticed.
      Map<String, Object> a =
          Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime");
      return new FileStamp(
          a.get("dev") + ":" + a.get("ino"),
          (Long) a.get("size"),
          nanos((FileTime) a.get("lastModifiedTime")),
          nanos((FileTime) a.get("ctime")));
    }
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    Object key = a.fileKey() != null ? a.fileKey() : path.toAbsolutePath().toString();
    return new FileStamp(key, a.size(), nanos(a.lastModifiedTime()), nanos(a.creationTime()));
  }

  /**
   * The stamp as one line of text for {@code verified/<hex>}, or null when its file key is not a
   * plain device:inode string (then nothing is persisted and every process hashes again).
   */
  String persisted() {
    return fileKey instanceof String key && !key.contains(" ")
        ? key + " " + size + " " + modifiedNanos + " " + changedNanos + "\n"
        : null;
  }

  /** The stamp {@link #persisted()} wrote, or null for anything else. */
  static FileStamp parse(String text) {
    String[] parts = text.strip().split(" ");
    if (parts.length != 4) {
      return null;
    }
    try {
      return new FileStamp(
          parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long nanos(FileTime time) {
    return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
