package dev.accretion.pipeline.spi;

import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.elf.ElfInfo;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a layer, as a builder lays it out. Immutable apart from the archive a raw copy refers
 * to, which must stay open until the layer is written.
 *
 * <p>Content is one of:
 *
 * <ul>
 *   <li>{@link Raw}: an entry of a zip (wheel, jar) copied raw: its compressed bytes and CRC as
 *       they are, no inflate/deflate;
 *   <li>{@link Stored}: bytes the builder made (RECORD, INSTALLER, a shebang-rewritten script),
 *       written STORED so the zip never depends on a zlib build;
 *   <li>{@link Compressed}: bytes from a source that is not a zip (an npm tarball entry, a custom
 *       command's output), compressed by the core's own deterministic DEFLATE encoder (so the bytes
 *       do not depend on the zlib build either): by the pipeline, or already by the builder while
 *       other packages download ({@link Compressed#ready()});
 *   <li>{@link WholeFile}: a file on disk copied STORED as it is (a jar into {@code java/lib}).
 * </ul>
 *
 * @param path the path in the zip, {@code /}-separated, relative, normalized ({@code
 *     python/requests/api.py}, {@code nodejs/node_modules/express/index.js}, {@code
 *     java/lib/guava-33.4.0-jre.jar})
 * @param executable whether it gets mode 0755 (else 0644)
 * @param sha256 lowercase hex SHA-256 of the content (verified by the builder)
 * @param size the content's size in bytes
 * @param content where the bytes come from
 * @param elf the file's ELF facts if it is an ELF object, else null; builders scan every file they
 *     lay out (the pipeline checks machine and glibc against each target)
 */
public record LayerFile(
    String path, boolean executable, String sha256, long size, Content content, ElfInfo elf) {

  public LayerFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(content, "content");
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("not a relative file path: '" + path + "'");
    }
  }

  /** Where a layer file's bytes come from. */
  public sealed interface Content permits Raw, Stored, Compressed, WholeFile {}

  /** A zip entry copied raw. */
  public record Raw(ZipArchive archive, ZipEntryInfo entry) implements Content {
    public Raw {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(entry, "entry");
    }
  }

  /** Bytes written STORED. Do not change the array after handing it over. */
  public record Stored(byte[] bytes) implements Content {
    public Stored {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * Bytes the pipeline compresses deterministically. Do not change the array after handing it over.
   *
   * @param ready the bytes already compressed by {@link ReproducibleZipWriter#compress} (a builder
   *     that compresses each package as soon as it is downloaded, reusing its archive's matches),
   *     or null for the pipeline to compress them
   */
  public record Compressed(byte[] bytes, ReproducibleZipWriter.Compressed ready)
      implements Content {
    /**
     * @param bytes the file's bytes; null only when {@code ready} holds the deflated bytes alone
     *     ({@link ReproducibleZipWriter.Compressed#withoutContent}): read them with {@link
     *     #uncompressed}
     */
    public Compressed {
      if (bytes == null && (ready == null || ready.deflated() == null)) {
        throw new NullPointerException("bytes");
      }
      if (ready != null && ready.content() != bytes) {
        throw new IllegalArgumentException("the compressed entry is not of these bytes");
      }
    }

    /** The file's bytes: {@link #bytes} when held, else inflated from the deflated ones. */
    public byte[] uncompressed() {
      return bytes != null ? bytes : ready.uncompressed();
    }

    /** Bytes for the pipeline to compress. */
    public Compressed(byte[] bytes) {
      this(bytes, null);
    }
  }

  /** A whole file copied STORED. The file must not change until the layer is written. */
  public record WholeFile(Path file) implements Content {
    public WholeFile {
      Objects.requireNonNull(file, "file");
    }
  }

  /** Whether this file is a raw copy of a zip entry. */
  public boolean isRaw() {
    return content instanceof Raw;
  }
}
