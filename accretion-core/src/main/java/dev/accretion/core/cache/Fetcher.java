package dev.accretion.core.cache;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces the content of a blob on a cache miss, for {@link ContentStore#fetch}: typically a
 * download from an index. It is called at most once per {@code fetch} call, only when the blob is
 * missing, while this process holds the blob's lock (so no other thread or process downloads the
 * same digest at the same time).
 */
@FunctionalInterface
public interface Fetcher {

  /**
   * Writes the whole content to {@code out}. The cache hashes and stores what is written and checks
   * the digest afterwards, so the fetcher need not verify it. Closing {@code out} is allowed and
   * has no effect beyond a flush.
   *
   * @throws IOException when the source fails (reported as an {@link AccretionException} naming the
   *     digest)
   * @throws AccretionException for failures the fetcher explains itself; propagated unchanged
   */
  void fetch(OutputStream out) throws IOException, AccretionException;
}
