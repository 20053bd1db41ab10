package dev.accretion.python.index;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * A failure to read a package index, a find-links location or a file they list: an HTTP error, a
 * refused credential, a hash mismatch, a file that is not a valid wheel. The message names the URL
 * and says what to do.
 */
public class IndexException extends AccretionException {
  private static final long serialVersionUID = 1L;

  public IndexException(String message) {
    super(FailureKind.UNREACHABLE, message);
  }

  public IndexException(String message, Throwable cause) {
    super(FailureKind.UNREACHABLE, message, cause);
  }

  /** A failure of the given kind. */
  public IndexException(FailureKind kind, String message, Throwable cause) {
    super(kind, message, cause);
  }
}
