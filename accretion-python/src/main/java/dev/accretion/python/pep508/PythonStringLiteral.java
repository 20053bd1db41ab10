package dev.accretion.python.pep508;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The value of a one-line Python string literal ({@code 'text'} or {@code "text"}), escapes
 * included: {@code packaging} evaluates marker strings with {@code ast.literal_eval}, so {@code
 * "\x41"} is {@code A} and {@code 'a\'} is an error.
 */
final class PythonStringLiteral {
  private PythonStringLiteral() {}

  /** Thrown for a literal Python would not compile; the offset is into the literal. */
  static final class InvalidLiteral extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    InvalidLiteral(int offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }

  /**
   * Evaluates {@code literal}, which starts and ends with the same quote character and does not
   * contain it in between.
   */
  static String evaluate(String literal) throws InvalidLiteral {
    int last = literal.length() - 1;
    StringBuilder out = new StringBuilder(last);
    int i = 1;
    while (i < last) {
      char c = literal.charAt(i);
      if (c == '\n' || c == '\r') {
        throw new InvalidLiteral(i, "unterminated string literal (a line break in the string)");
      }
      if (c == 0) {
        throw new InvalidLiteral(i, "source code string cannot contain null bytes");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < last
            && Character.isLowSurrogate(literal.charAt(i + 1))) {
          out.append(c).append(literal.charAt(i + 1));
          i += 2;
          continue;
        }
        throw new InvalidLiteral(i, "a lone surrogate cannot be encoded as UTF-8");
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= last) {
        // The backslash escapes the closing quote.
        throw new InvalidLiteral(i, "unterminated string literal (the closing quote is escaped)");
      }
      i = escape(literal, i + 1, last, out);
    }
    return out.toString();
  }

  /** Decodes the escape whose letter is at {@code i}; returns the index after it. */
  private static int escape(String s, int i, int last, StringBuilder out) throws InvalidLiteral {
    char c = s.charAt(i);
    switch (c) {
      case '\n':
        return i + 1;
      case '\r':
        return i + 1 < last && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      case '\\', '\'', '"':
        out.append(c);
        return i + 1;
      case 'a':
        out.append('\u0007');
        return i + 1;
      case 'b':
        out.append('\b');
        return i + 1;
      case 'f':
        out.append('\f');
        return i + 1;
      case 'n':
        out.append('\n');
        return i + 1;
      case 'r':
        out.append('\r');
        return i + 1;
      case 't':
        out.append('\t');
        return i + 1;
      case 'v':
        out.append('\u000B');
        return i + 1;
      case 'x':
        return hex(s, i, last, 2, out);
      case 'u':
        return hex(s, i, last, 4, out);
      case 'U':
        return hex(s, i, last, 8, out);
      case 'N':
        return named(s, i, last, out);
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      int value = 0;
      int end = i;
      while (end < last && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
        value = value * 8 + (s.charAt(end) - '0');
        end++;
      }
      out.append((char) value);
      return end;
    }
    // An unknown escape keeps its backslash (Python warns, but accepts it).
    out.append('\\');
    return i;
  }

  private static int hex(String s, int i, int last, int digits, StringBuilder out)
      throws InvalidLiteral {
    int value = 0;
    for (int k = 1; k <= digits; k++) {
      int d = i + k < last ? Character.digit(s.charAt(i + k), 16) : -1;
      if (d < 0 || s.charAt(i + k) > 'f') {
        throw new InvalidLiteral(
            i - 1, "truncated \\" + s.charAt(i) + " escape: needs " + digits + " hex digits");
      }
      value = value * 16 + d;
      if (value > 0x10FFFF) {
        throw new InvalidLiteral(i - 1, "illegal Unicode character in \\U escape");
      }
    }
    out.appendCodePoint(value);
    return i + digits + 1;
  }

  private static int named(String s, int i, int last, StringBuilder out) throws InvalidLiteral {
    int close = s.indexOf('}', i);
    if (i + 1 >= last || s.charAt(i + 1) != '{' || close < 0 || close >= last || close == i + 2) {
      throw new InvalidLiteral(i - 1, "malformed \\N character escape");
    }
    String name = s.substring(i + 2, close);
    int codePoint = codePointOf(name);
    if (codePoint < 0) {
      throw new InvalidLiteral(i - 1, "unknown Unicode character name '" + name + "'");
    }
    out.appendCodePoint(codePoint);
    return close + 1;
  }

  /**
   * The character a {@code \N{name}} escape names, as Python's {@code unicodedata.lookup}: the
   * character's Unicode name in any case, or the algorithmic names of CJK unified ideographs and
   * Hangul syllables (upper case only). Name aliases (such as {@code LINE FEED}) are not known here
   * and are rejected, as are names of control characters. Returns -1 for an unknown name.
   */
  static int codePointOf(String name) {
    if (name.startsWith(CJK_PREFIX)) {
      String hex = name.substring(CJK_PREFIX.length());
      if ((hex.length() == 4 || hex.length() == 5)
          && hex.chars().allMatch(PythonStringLiteral::isUpperHex)) {
        int cp = Integer.parseInt(hex, 16);
        for (int[] range : CJK_UNIFIED_IDEOGRAPHS) {
          if (cp >= range[0] && cp <= range[1]) {
            return cp;
          }
        }
      }
      return -1;
    }
    if (name.startsWith(HANGUL_PREFIX)) {
      Integer cp = hangulSyllables().get(name.substring(HANGUL_PREFIX.length()));
      return cp == null ? -1 : cp;
    }
    int cp;
    try {
      cp = Character.codePointOf(name);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    // Java also accepts the Unicode 1.0 names of control characters, surrounding whitespace, and
    // made-up "BLOCK NAME HEX" names of unnamed characters; Python accepts none of these.
    String actual = Character.getName(cp);
    if (Character.getType(cp) == Character.CONTROL
        || actual == null
        || !actual.equalsIgnoreCase(name)
        || actual.endsWith(" " + Integer.toHexString(cp).toUpperCase(Locale.ROOT))) {
      return -1;
    }
    return cp;
  }

  private static final String CJK_PREFIX = "CJK UNIFIED IDEOGRAPH-";
  private static final String HANGUL_PREFIX = "HANGUL SYLLABLE ";

  /** The CJK unified ideograph blocks of Unicode 14, the database of Python 3.11. */
  private static final int[][] CJK_UNIFIED_IDEOGRAPHS = {
    {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B738},
    {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x30000, 0x3134A}
  };

  private static boolean isUpperHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }

  private static Map<String, Integer> hangul;

  /** Unicode's algorithmic Hangul syllable names (section 3.12), without the prefix. */
  private static synchronized Map<String, Integer> hangulSyllables() {
    if (hangul == null) {
      String[] lead = {
        "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T",
        "P", "H"
      };
      String[] vowel = {
        "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO",
        "WE", "WI", "YU", "EU", "YI", "I"
      };
      String[] trail = {
        "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH",
        "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"
      };
      Map<String, Integer> names = new HashMap<>();
      int cp = 0xAC00;
      for (String l : lead) {
        for (String v : vowel) {
          for (String t : trail) {
            names.put(l + v + t, cp++);
          }
        }
      }
      hangul = names;
    }
    return hangul;
  }
}
