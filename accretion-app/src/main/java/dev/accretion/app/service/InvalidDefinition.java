package dev.accretion.app.service;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * A layer definition that cannot be accepted, with the JSON pointer (RFC 6901) of the field at
 * fault in the API's document ({@code /targets/1/runtime}; empty for the whole document).
 */
public final class InvalidDefinition extends AccretionException {
  private final String pointer;

  public InvalidDefinition(FailureKind kind, String pointer, String problem, String advice) {
    super(kind, problem, advice, null);
    this.pointer = pointer;
  }

  /** The JSON pointer of the bad field. */
  public String pointer() {
    return pointer;
  }
}
