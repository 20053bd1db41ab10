package dev.accretion.python.resolve;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * No set of wheels satisfies the requirements on the target. The message is a multi-line
 * explanation: the requirement chains involved, why each candidate version was rejected (with the
 * platform constraint that excluded its files), and the ways out (a pin that works, a runtime that
 * works).
 */
public final class ResolutionFailure extends AccretionException {
  private static final long serialVersionUID = 1L;

  public ResolutionFailure(String explanation) {
    super(FailureKind.CONFLICT, explanation);
  }
}
