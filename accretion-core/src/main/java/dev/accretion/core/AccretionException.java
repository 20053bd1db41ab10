package dev.accretion.core;

/**
 * An expected failure: bad input, an unreachable index, a wheel that does not fit, an AWS fault.
 * The message says what failed, on which input, and what to do next; it is meant to be shown to a
 * user as it is, on one line where possible.
 */
public class AccretionException extends Exception {
  private static final long serialVersionUID = 1L;

  public AccretionException(String message) {
    super(message);
  }

  public AccretionException(String message, Throwable cause) {
    super(message, cause);
  }
}
