package dev.accretion.python.install;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.Objects;

/**
 * A wheel that cannot be installed into a layer: a broken or hostile structure (no or several
 * {@code .dist-info} folders, names that differ from the filename, {@code __pycache__} entries, a
 * RECORD that does not match the content, an unsupported {@code Wheel-Version}), native code for
 * another machine or a newer glibc than the target's, or a zip the strict reader refused (then the
 * {@link dev.accretion.core.archive.ArchiveException} is the cause). The message names the wheel
 * file, the package and, where there is one, the entry, and says what to do.
 */
public class InvalidWheelException extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final String wheel;
  private final String entry;
  private final String problem;

  /**
   * @param wheel the wheel's file name
   * @param entry the entry concerned, or null
   * @param problem what is wrong, as a predicate of the wheel or entry ("has two .dist-info
   *     folders")
   * @param advice what the user can do
   */
  public InvalidWheelException(String wheel, String entry, String problem, String advice) {
    this(wheel, entry, problem, advice, null);
  }

  /** With a cause. */
  public InvalidWheelException(
      String wheel, String entry, String problem, String advice, Throwable cause) {
    super(FailureKind.REFUSED, format(wheel, entry, problem, advice), cause);
    this.wheel = Objects.requireNonNull(wheel, "wheel");
    this.entry = entry;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  private static String format(String wheel, String entry, String problem, String advice) {
    StringBuilder s = new StringBuilder("wheel ").append(wheel);
    if (entry != null) {
      s.append(": file '").append(printable(entry)).append('\'');
    } else {
      s.append(':');
    }
    s.append(' ').append(problem);
    if (advice != null && !advice.isEmpty()) {
      s.append("; ").append(advice);
    }
    return s.toString();
  }

  /** Control characters escaped, so a message prints on one line. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The wheel's file name. */
  public String wheel() {
    return wheel;
  }

  /** The entry concerned, or null when the problem is the whole wheel. */
  public String entry() {
    return entry;
  }

  /** The reason alone. */
  public String problem() {
    return problem;
  }
}
