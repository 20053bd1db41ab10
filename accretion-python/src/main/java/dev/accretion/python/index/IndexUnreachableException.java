package dev.accretion.python.index;

import dev.accretion.core.FailureKind;
import java.net.URI;

/**
 * An index (or find-links location, or file host) could not be reached: DNS failure, connection
 * refused or timed out, a 5xx answer, a missing {@code file://} folder. The message names the URL
 * and the cause, and says how to fix or skip it. Its kind is {@link FailureKind#UNREACHABLE}. With
 * the first-index strategy it stops the resolution of every package the index might own; with
 * best-match, {@link SimpleIndexClient#pages} turns it into a warning and goes on with the others.
 */
public class IndexUnreachableException extends IndexException {
  private static final long serialVersionUID = 1L;

  private final URI location;

  /** Set when the server did answer (a 5xx): the host is up, so other pages may still work. */
  transient boolean serverAnswered;

  public IndexUnreachableException(URI location, String message, Throwable cause) {
    super(FailureKind.UNREACHABLE, message, cause);
    this.location = location;
  }

  /** The index or location that could not be reached (without credentials). */
  public URI location() {
    return location;
  }
}
