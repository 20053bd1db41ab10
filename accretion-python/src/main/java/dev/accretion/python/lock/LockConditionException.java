package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/** A lock's marker or constraint could not be evaluated for the target. */
public class LockConditionException extends AccretionException {
  private static final long serialVersionUID = 1L;

  public LockConditionException(String message) {
    super(FailureKind.BAD_INPUT, message);
  }

  public LockConditionException(String message, Throwable cause) {
    super(FailureKind.BAD_INPUT, message, cause);
  }
}
