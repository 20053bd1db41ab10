package dev.accretion.python;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * Malformed input in one of the Python packaging formats (a version, specifier, requirement,
 * marker, wheel filename, metadata file, index page...). The message quotes the offending text and
 * points at the position where parsing failed, for example:
 *
 * <pre>
 * invalid version '1.0.0-beta!' at position 10: unexpected '!'
 * </pre>
 */
public class ParseException extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final String text;
  private final int position;
  private final String reason;

  /**
   * @param what what was being parsed, e.g. {@code "version"}, {@code "requirement"}
   * @param text the whole offending text
   * @param position zero-based index into {@code text} where parsing failed, or -1 if unknown
   * @param reason what was expected or found, in a few words
   */
  public ParseException(String what, String text, int position, String reason) {
    super(FailureKind.BAD_INPUT, format(what, text, position, reason));
    this.what = what;
    this.text = text;
    this.position = position;
    this.reason = reason;
  }

  private static String format(String what, String text, int position, String reason) {
    StringBuilder message = new StringBuilder("invalid ").append(what).append(" '");
    // a bounded window around the failure: an error never echoes a whole multi-megabyte line
    message.append(Excerpt.around(text, position)).append('\'');
    if (position >= 0) {
      message.append(" at position ").append(position);
    }
    return message.append(": ").append(reason).toString();
  }

  public String what() {
    return what;
  }

  public String text() {
    return text;
  }

  /** Zero-based position of the failure in {@link #text()}, or -1 if unknown. */
  public int position() {
    return position;
  }

  public String reason() {
    return reason;
  }
}
