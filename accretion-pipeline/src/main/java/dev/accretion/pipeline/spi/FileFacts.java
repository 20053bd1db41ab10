package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;

/**
 * The facts of fetched files, for lock writers: the pipeline answers from what it fetched, and
 * fetches (into the cache) a file it has not seen, such as an excluded package's.
 */
public interface FileFacts {
  /** The file's lowercase hex SHA-256. */
  String sha256(PackageSource source) throws AccretionException;

  /** The file's size in bytes. */
  long size(PackageSource source) throws AccretionException;
}
