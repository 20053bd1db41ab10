package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The entries of one layer or function zip, as {@link ContentInspector}s see them. The zip may be a
 * local file or a remote one read with HTTP range requests: listing entries costs nothing, reading
 * content costs a request per group of neighbouring entries, so inspectors read only what they
 * need, in one {@link #read} call where they can.
 */
public interface LayerContent {

  /** The zip as named in messages: a file path, a layer version ARN, a function name. */
  String label();

  /** Whether this is a function's own package ({@code /var/task}) rather than a layer. */
  boolean functionCode();

  /** Every entry, in the zip's central directory order; immutable. */
  List<ContentEntry> entries();

  /** The entry at {@code path} (no trailing slash), if any. */
  Optional<ContentEntry> entry(String path);

  /**
   * Reads the content of {@code entries}, handing each to {@code reader} as a stream of its
   * uncompressed bytes. Calls are made one at a time (never concurrently), in no promised order; an
   * entry larger than {@code maxBytes} uncompressed, or one that cannot be inflated, is passed to
   * {@link Reader#skipped} instead.
   *
   * @throws AccretionException if the zip cannot be read ({@link
   *     dev.accretion.core.FailureKind#UNREACHABLE} for a remote one), or the reader throws one
   */
  void read(Collection<ContentEntry> entries, long maxBytes, Reader reader)
      throws AccretionException;

  /** Receives entry content from {@link #read}. */
  interface Reader {
    /**
     * One entry's content; the stream need not be read to its end, and is closed after the call.
     */
    void read(ContentEntry entry, InputStream content) throws IOException, AccretionException;

    /** An entry that was not read, and why ({@code "larger than 16777216 bytes"}). */
    default void skipped(ContentEntry entry, String why) {}
  }
}
