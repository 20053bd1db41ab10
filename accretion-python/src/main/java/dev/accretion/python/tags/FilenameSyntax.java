package dev.accretion.python.tags;

import java.util.regex.Pattern;

/**
 * Character rules shared by wheel and sdist filename parsing, written to accept what Python's
 * {@code packaging} 26 accepts (its {@code \w}, {@code \s} and PEP 440 version pattern), except for
 * the deliberate refusals documented on {@link WheelFilename#parse}.
 */
final class FilenameSyntax {
  private FilenameSyntax() {}

  /**
   * PEP 440's version pattern (Appendix B) with the possessive quantifiers {@code packaging} 26
   * uses; matched case-insensitively (ASCII only, as its {@code (?a:...)} groups say) after
   * whitespace is stripped.
   */
  private static final Pattern VERSION =
      Pattern.compile(
          "v?+"
              + "(?:[0-9]+!)?+"
              + "[0-9]+(?:\\.[0-9]+)*+"
              + "(?:[._-]?+(?:alpha|a|beta|b|preview|pre|c|rc)[._-]?+(?:[0-9]+)?)?+"
              + "(?:(?:-[0-9]+)|(?:[._-]?(?:post|rev|r)[._-]?(?:[0-9]+)?))?+"
              + "(?:[._-]?+dev[._-]?+(?:[0-9]+)?)?+"
              + "(?:\\+[a-z0-9]+(?:[._-][a-z0-9]+)*+)?+",
          Pattern.CASE_INSENSITIVE);

  /** Whether {@code packaging.version.Version(text)} would accept the text. */
  static boolean isValidVersion(String text) {
    return VERSION.matcher(stripPythonWhitespace(text)).matches();
  }

  /** {@code str.strip()} with Python's notion of whitespace ({@code str.isspace()}). */
  static String stripPythonWhitespace(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isPythonSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || (c >= '\u001c' && c <= ' ')
        || c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }

  /**
   * Whether a code point matches Python's {@code \w} for str patterns: {@code _} or {@code
   * str.isalnum()} (letters of any script, and digits and other numbers).
   */
  static boolean isPythonWordChar(int cp) {
    if (cp == '_' || Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /**
   * The index of the first control or line-break character, or -1. Filenames containing one are
   * refused outright: they come from broken or hostile indexes, and {@code packaging}'s regexes
   * treat them inconsistently (its {@code $} lets a trailing newline through).
   */
  static int firstControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i;
      }
    }
    return -1;
  }
}
