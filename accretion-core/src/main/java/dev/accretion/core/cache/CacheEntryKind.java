package dev.accretion.core.cache;

/** The kinds of entries {@code accretion cache ls} counts and {@code gc} removes. */
public enum CacheEntryKind {
  /** A content-addressed file in {@code blobs/sha256/}. */
  BLOB,
  /** A selector entry in {@code selectors/}. */
  SELECTOR,
  /** A corrupt entry set aside in {@code quarantine/}. */
  QUARANTINE,
  /** An in-progress (or abandoned) write in {@code tmp/}. */
  TMP
}
