package dev.accretion.core.archive;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * A zip archive that cannot be used as it is: hostile or damaged structure, content that fails its
 * checks, a limit exceeded, or an output that cannot be written. The message names the archive
 * file, the entry (when there is one), the reason and what to do, for example:
 *
 * <pre>
 * /cache/evil-1.0-py3-none-any.whl: entry '../../etc/passwd' has a '..' path segment, which would
 * escape the install directory; the archive is damaged or was crafted to attack installers: do not
 * use it, download it again or report it to its publisher
 * </pre>
 *
 * <p>Entry names are shown with control characters and undecodable bytes escaped ({@code \x00},
 * {@code \u0085}), so a message always prints on one line.
 */
public class ArchiveException extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final String archive;
  private final String entry;
  private final String problem;

  /**
   * @param archive the archive file as shown to the user (a path); never null
   * @param entry the entry name, or null when the problem concerns the whole archive
   * @param problem what is wrong, as a predicate of the entry or archive ("is encrypted")
   * @param advice what the user can do about it
   */
  public ArchiveException(String archive, String entry, String problem, String advice) {
    this(archive, entry, problem, advice, null);
  }

  /** As {@link #ArchiveException(String, String, String, String)}, with a cause. */
  public ArchiveException(
      String archive, String entry, String problem, String advice, Throwable cause) {
    super(FailureKind.REFUSED, format(archive, entry, problem, advice), cause);
    this.archive = archive;
    this.entry = entry;
    this.problem = problem;
  }

  private static String format(String archive, String entry, String problem, String advice) {
    StringBuilder message = new StringBuilder(archive);
    message.append(':');
    if (entry != null) {
      message.append(" entry '").append(printable(entry)).append('\'');
    }
    message.append(' ').append(problem);
    if (advice != null && !advice.isEmpty()) {
      message.append("; ").append(advice);
    }
    return message.toString();
  }

  /** The archive file as shown in the message. */
  public String archive() {
    return archive;
  }

  /** The entry name (unescaped), or null when the problem concerns the whole archive. */
  public String entry() {
    return entry;
  }

  /** The reason alone, without archive, entry or advice. */
  public String problem() {
    return problem;
  }

  /**
   * Returns {@code text} with every control character, backslash-like ambiguity and unpaired
   * surrogate escaped so that it prints on one line and shows what is really there.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else if (Character.getType(c) == Character.CONTROL
          || Character.isSurrogate(c)
          || c == '\u2028'
          || c == '\u2029') {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
