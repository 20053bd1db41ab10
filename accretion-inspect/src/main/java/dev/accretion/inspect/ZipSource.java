package dev.accretion.inspect;

import dev.accretion.core.AccretionException;

/**
 * The bytes of one zip, read by position: a local file, or a remote file read with HTTP range
 * requests. Counts what it reads, so a report can say how little of a large layer was fetched.
 * Implementations are thread-safe.
 */
public interface ZipSource extends AutoCloseable {

  /** The zip as named in messages (a path, a layer version ARN, a function name). */
  String label();

  /** The zip's size in bytes. */
  long size();

  /**
   * Reads {@code length} bytes at {@code position}.
   *
   * @throws AccretionException if they cannot be read ({@link
   *     dev.accretion.core.FailureKind#UNREACHABLE} for a remote zip, {@link
   *     dev.accretion.core.FailureKind#BAD_INPUT} when the range lies outside the zip)
   */
  byte[] read(long position, int length) throws AccretionException;

  /** Bytes read so far (for a remote zip: bytes received). */
  long bytesRead();

  /** Reads made so far (for a remote zip: HTTP requests). */
  int requests();

  /** Whether reads cost a round trip (so neighbouring reads are worth merging). */
  boolean remote();

  @Override
  void close();
}
