package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.List;

/**
 * A lock can't be installed on a target as it is: every reason found (a package with no wheel for
 * the target, a hash that differs from the index's, an sdist-only entry...), each naming the
 * package, and the target in the message.
 */
public class LockSelectionException extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public LockSelectionException(String headline, List<String> problems) {
    super(FailureKind.CONFLICT, message(headline, problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(String headline, List<String> problems) {
    StringBuilder out = new StringBuilder(headline);
    for (String p : problems) {
      out.append("\n  - ").append(p.replace("\n", "\n    "));
    }
    return out.toString();
  }

  /** Every problem, one line each (possibly with indented detail lines). */
  public List<String> problems() {
    return problems;
  }
}
