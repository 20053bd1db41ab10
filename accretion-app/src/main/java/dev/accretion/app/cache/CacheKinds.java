package dev.accretion.app.cache;

import dev.accretion.core.cache.CacheEntryKind;

/** The names of the cache's entry kinds in documents and tables. */
final class CacheKinds {
  private CacheKinds() {}

  static String name(CacheEntryKind kind) {
    return switch (kind) {
      case BLOB -> "blobs";
      case SELECTOR -> "selectors";
      case QUARANTINE -> "quarantine";
      case TMP -> "tmp";
    };
  }
}
