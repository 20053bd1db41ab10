package dev.accretion.python.listing;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/** A dependency listing that can't be used as it is; the message names the file and line. */
public class ListingException extends AccretionException {
  private static final long serialVersionUID = 1L;

  public ListingException(String message) {
    super(FailureKind.BAD_INPUT, message);
  }

  public ListingException(String message, Throwable cause) {
    super(FailureKind.BAD_INPUT, message, cause);
  }

  /** A failure of the given kind. */
  public ListingException(FailureKind kind, String message) {
    super(kind, message);
  }
}
