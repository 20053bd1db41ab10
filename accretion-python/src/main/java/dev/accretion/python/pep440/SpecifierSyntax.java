package dev.accretion.python.pep440;

/**
 * The lexical grammar of one PEP 440 version specifier, as {@code packaging} 26.2 matches it. The
 * PEP 508 requirement parser ({@code dev.accretion.python.pep508}) uses {@link #matchEnd} to find
 * where a specifier ends inside a requirement, exactly where {@code packaging}'s tokenizer ends it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SpecifierSyntax {
  private static final String[] PRE_WORDS = {
    "alpha", "beta", "preview", "pre", "a", "b", "c", "rc"
  };
  private static final String[] POST_WORDS = {"post", "rev", "r"};

  private SpecifierSyntax() {}

  /**
   * Python's notion of whitespace ({@code str.isspace()}, and {@code \s} in a {@code str} regular
   * expression): ASCII whitespace, the information separators U+001C..U+001F, and Unicode space
   * separators and line/paragraph separators.
   */
  public static boolean isWhitespace(int c) {
    if (c <= ' ') {
      return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }
    if (c < 0x85) {
      return false;
    }
    return c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /**
   * The end of the specifier that starts at {@code from} (an operator, optional whitespace, a
   * version), or -1 if none starts there. Like {@code packaging}'s regular expression, this takes
   * the longest well-formed specifier and does not look at what follows: for {@code ">=1.0+abc"} it
   * ends before {@code +}.
   */
  public static int matchEnd(CharSequence text, int from) {
    Operator operator = operatorAt(text, from);
    if (operator == null) {
      return -1;
    }
    int p = from + operator.symbol().length();
    if (operator == Operator.ARBITRARY) {
      // ===: anything but whitespace, ';' and ')' (the escape hatch for non-PEP 440 versions).
      p = skipWhitespace(text, p);
      while (p < text.length()) {
        char c = text.charAt(p);
        if (isWhitespace(c) || c == ';' || c == ')') {
          break;
        }
        p++;
      }
      return p;
    }
    return versionEnd(text, skipWhitespace(text, p), operator);
  }

  /**
   * The operator at {@code from}, tried in {@code packaging}'s order ({@code ===} before {@code
   * ==}, two-character operators before {@code <} and {@code >}); null if there is none.
   */
  static Operator operatorAt(CharSequence text, int from) {
    if (startsWith(text, from, "===")) {
      return Operator.ARBITRARY;
    }
    if (from + 2 <= text.length()) {
      char a = text.charAt(from);
      char b = text.charAt(from + 1);
      if (b == '=') {
        switch (a) {
          case '~':
            return Operator.COMPATIBLE;
          case '=':
            return Operator.EQUAL;
          case '!':
            return Operator.NOT_EQUAL;
          case '<':
            return Operator.LESS_THAN_EQUAL;
          case '>':
            return Operator.GREATER_THAN_EQUAL;
          default:
            break;
        }
      }
    }
    if (from < text.length()) {
      char a = text.charAt(from);
      if (a == '<') {
        return Operator.LESS_THAN;
      }
      if (a == '>') {
        return Operator.GREATER_THAN;
      }
    }
    return null;
  }

  /** The end of the version after the operator (and its whitespace), or -1. */
  static int versionEnd(CharSequence s, int p, Operator operator) {
    int start = p;
    if (p < s.length() && (s.charAt(p) == 'v' || s.charAt(p) == 'V')) {
      p++;
    }
    int withEpoch = -1;
    int digits = digitsEnd(s, p);
    if (digits > p && digits < s.length() && s.charAt(digits) == '!') {
      withEpoch = release(s, digits + 1, operator);
    }
    int end = withEpoch >= 0 ? withEpoch : release(s, p, operator);
    if (end < 0) {
      return -1;
    }
    boolean equality = operator == Operator.EQUAL || operator == Operator.NOT_EQUAL;
    if (equality && startsWith(s, end, ".*")) {
      return end + 2;
    }
    end = pre(s, end);
    end = post(s, end);
    end = dev(s, end);
    if (equality) {
      end = local(s, end);
    }
    return end > start ? end : -1;
  }

  /** Release numbers {@code N(.N)*}; {@code ~=} needs at least two. Returns the end or -1. */
  private static int release(CharSequence s, int p, Operator operator) {
    int end = digitsEnd(s, p);
    if (end == p) {
      return -1;
    }
    int dots = 0;
    while (end + 1 < s.length() && s.charAt(end) == '.' && Version.isDigit(s.charAt(end + 1))) {
      end = digitsEnd(s, end + 1);
      dots++;
    }
    if (operator == Operator.COMPATIBLE && dots == 0) {
      return -1;
    }
    return end;
  }

  private static int pre(CharSequence s, int p) {
    int q = optionalSeparator(s, p);
    for (String word : PRE_WORDS) {
      int e = word(s, q, word);
      if (e >= 0) {
        return digitsEnd(s, optionalSeparator(s, e));
      }
    }
    return p;
  }

  private static int post(CharSequence s, int p) {
    if (p + 1 < s.length() && s.charAt(p) == '-' && Version.isDigit(s.charAt(p + 1))) {
      return digitsEnd(s, p + 1);
    }
    int q = optionalSeparator(s, p);
    for (String word : POST_WORDS) {
      int e = word(s, q, word);
      if (e >= 0) {
        return digitsEnd(s, optionalSeparator(s, e));
      }
    }
    return p;
  }

  private static int dev(CharSequence s, int p) {
    int e = word(s, optionalSeparator(s, p), "dev");
    return e >= 0 ? digitsEnd(s, optionalSeparator(s, e)) : p;
  }

  private static int local(CharSequence s, int p) {
    if (p >= s.length() || s.charAt(p) != '+') {
      return p;
    }
    int q = alnumEnd(s, p + 1);
    if (q == p + 1) {
      return p;
    }
    while (q + 1 < s.length() && isSeparator(s.charAt(q)) && isAlnum(s.charAt(q + 1))) {
      q = alnumEnd(s, q + 1);
    }
    return q;
  }

  static int skipWhitespace(CharSequence s, int p) {
    while (p < s.length() && isWhitespace(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static int optionalSeparator(CharSequence s, int p) {
    return p < s.length() && isSeparator(s.charAt(p)) ? p + 1 : p;
  }

  /** The end of {@code word} (ASCII letters, any case) at {@code p}, or -1. */
  private static int word(CharSequence s, int p, String word) {
    if (p + word.length() > s.length()) {
      return -1;
    }
    for (int k = 0; k < word.length(); k++) {
      char c = s.charAt(p + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != word.charAt(k)) {
        return -1;
      }
    }
    return p + word.length();
  }

  private static boolean startsWith(CharSequence s, int p, String prefix) {
    if (p + prefix.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (s.charAt(p + k) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static int digitsEnd(CharSequence s, int p) {
    while (p < s.length() && Version.isDigit(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static int alnumEnd(CharSequence s, int p) {
    while (p < s.length() && isAlnum(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static boolean isSeparator(char c) {
    return c == '.' || c == '-' || c == '_';
  }

  private static boolean isAlnum(char c) {
    return Version.isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
