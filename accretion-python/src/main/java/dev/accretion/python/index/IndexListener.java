package dev.accretion.python.index;

import java.net.URI;

/**
 * Receives what the index client and the metadata fetcher have to say: warnings (an unreachable
 * index that was skipped, a missing find-links folder), pages loaded, metadata read. The library
 * never prints; a CLI renders these events, a server stores them.
 *
 * <p>Methods are called from the client's worker threads, possibly concurrently: implementations
 * must be thread-safe and should return quickly. All methods have empty defaults.
 */
public interface IndexListener {
  /** A listener that ignores everything. */
  IndexListener NONE = new IndexListener() {};

  /** Where a loaded page's bytes came from. */
  enum PageOrigin {
    /** Read from a {@code file://} index or a local find-links folder. */
    FILE,
    /** Downloaded. */
    NETWORK,
    /** Served from the on-disk HTTP cache without a request ({@code max-age} still fresh). */
    CACHE,
    /** Served from the on-disk HTTP cache after the server answered 304 Not Modified. */
    REVALIDATED
  }

  /**
   * Something the user should know that did not stop the work, one line, for example {@code index
   * https://pypi.org/simple/ is unreachable: ...; going on with the other indexes}.
   */
  default void warning(String message) {}

  /**
   * A page or find-links listing was loaded (once per page per client).
   *
   * @param page the page URL or find-links location
   * @param files how many files it lists (before filtering by project for find-links)
   * @param origin where the bytes came from
   */
  default void pageLoaded(URI page, int files, PageOrigin origin) {}

  /**
   * Progress over all page loads of one client: {@code done} of {@code requested} distinct pages
   * have finished loading (successfully or not).
   */
  default void progress(long done, long requested) {}

  /**
   * A wheel's METADATA was read.
   *
   * @param file the wheel
   * @param source how it was read
   * @param bytesTransferred bytes received over the network for it (0 for local files)
   */
  default void metadataRead(IndexFile file, WheelMetadata.Source source, long bytesTransferred) {}
}
