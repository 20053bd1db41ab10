package dev.accretion.python.pep508;

/**
 * A marker that parses but cannot be evaluated: it compares with an operator that is undefined for
 * its values (for example {@code os_name ~= "posix"}, which {@code packaging} rejects with {@code
 * UndefinedComparison}), or it uses a variable the environment does not define. The message names
 * the marker and the comparison.
 *
 * <p>Unchecked: a {@link MarkerEnvironment} with every PEP 508 variable and well-formed package
 * metadata never cause it, so callers that evaluate many markers need not handle it at each call.
 */
public class MarkerEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MarkerEvaluationException(String message) {
    super(message);
  }
}
