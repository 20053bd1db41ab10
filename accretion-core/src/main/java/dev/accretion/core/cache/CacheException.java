package dev.accretion.core.cache;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * An expected failure of the shared cache: the cache directory cannot be created or written, a
 * blob's content does not have the digest it was stored or fetched under, or a read failed. The
 * message names the cache path involved and says what to do (for example choose another cache
 * directory with {@code --cache-dir} or {@code ACCRETION_CACHE_DIR}).
 */
public class CacheException extends AccretionException {
  private static final long serialVersionUID = 1L;

  public CacheException(String message) {
    super(message);
  }

  /** A cache failure of another kind than {@link FailureKind#FAILED}. */
  protected CacheException(FailureKind kind, String message) {
    super(kind, message);
  }

  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
