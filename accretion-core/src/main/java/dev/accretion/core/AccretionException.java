package dev.accretion.core;

import java.util.Objects;

/**
 * An expected failure: bad input, an unreachable index, a wheel that does not fit, an AWS fault. It
 * carries its {@link FailureKind} and, as separate fields, what failed ({@link #problem()}) and
 * what to do next ({@link #advice()}); {@link #getMessage()} joins them for display ("problem:
 * advice") on one line where possible. Shells map the kind, never the text.
 *
 * <p>Subclasses fix the kind where one kind fits every instance; the constructors without a kind
 * give {@link FailureKind#FAILED}, which new code should not rely on.
 */
public class AccretionException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final String problem;
  private final String advice;

  /** A failure of kind {@link FailureKind#FAILED} whose message has no separate advice. */
  public AccretionException(String message) {
    this(FailureKind.FAILED, message, null, null);
  }

  /** As {@link #AccretionException(String)}, with a cause. */
  public AccretionException(String message, Throwable cause) {
    this(FailureKind.FAILED, message, null, cause);
  }

  /** A failure of {@code kind} whose message has no separate advice. */
  public AccretionException(FailureKind kind, String message) {
    this(kind, message, null, null);
  }

  /** As {@link #AccretionException(FailureKind, String)}, with a cause. */
  public AccretionException(FailureKind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  /**
   * @param kind what kind of failure; never null
   * @param problem what failed, on which input; never null
   * @param advice what the user can do, or null when the problem says it all
   * @param cause the underlying failure, or null
   */
  public AccretionException(FailureKind kind, String problem, String advice, Throwable cause) {
    super(join(problem, advice), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.advice = advice == null || advice.isBlank() ? null : advice;
  }

  /** An exception of {@code kind} carrying the problem and advice of {@code other} as its cause. */
  public static AccretionException as(FailureKind kind, AccretionException other) {
    return new AccretionException(kind, other.problem(), other.advice(), other);
  }

  private static String join(String problem, String advice) {
    Objects.requireNonNull(problem, "problem");
    return advice == null || advice.isBlank() ? problem : problem + ": " + advice;
  }

  /** The kind of failure. */
  public FailureKind kind() {
    return kind;
  }

  /** What failed, on which input. */
  public String problem() {
    return problem;
  }

  /** What the user can do about it; null when the problem says it all. */
  public String advice() {
    return advice;
  }
}
