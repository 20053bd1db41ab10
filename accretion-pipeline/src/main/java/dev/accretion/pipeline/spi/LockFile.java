package dev.accretion.pipeline.spi;

import java.util.Objects;

/**
 * A lock a session writes for one target, beside the zip (and by {@code accretion lock}).
 * Immutable.
 *
 * @param fileName the file name, made from the layer name and target by the session ({@code
 *     pylock.web-python312-arm64.toml}, {@code web-nodejs22x-arm64.package-lock.json}); a plain
 *     name, no folders
 * @param format the listing format id the file is in, so a later build reads it back ({@code
 *     pylock})
 * @param content the file's bytes (UTF-8 text)
 */
public record LockFile(String fileName, String format, byte[] content) {
  public LockFile {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(content, "content");
    if (fileName.isEmpty()
        || fileName.contains("/")
        || fileName.contains("\\")
        || fileName.startsWith(".")) {
      throw new IllegalArgumentException(
          "a lock file name is a plain name, got '" + fileName + "'");
    }
  }
}
