package dev.accretion.app;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/** Failures of {@link FailureKind#USAGE}: the request itself is wrong (CLI exit 2, HTTP 400). */
public final class Usage {
  private Usage() {}

  /** A usage failure saying what is wrong with the request and how to write it. */
  public static AccretionException error(String message) {
    return new AccretionException(FailureKind.USAGE, message);
  }

  /** {@code other}'s message, as a usage failure prefixed with the option it came from. */
  public static AccretionException error(String option, Exception other) {
    return new AccretionException(FailureKind.USAGE, option + ": " + other.getMessage(), other);
  }
}
