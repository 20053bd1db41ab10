package dev.accretion.python.pep508;

import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.SpecifierSyntax;

/**
 * The context-sensitive tokens of PEP 508 dependency specifiers, matched at a position the way
 * {@code packaging} 26.2's tokenizer matches them (its rules are regular expressions; each method
 * here returns where the token would end, or -1).
 */
final class Tokenizer {
  private static final String[] VARIABLES = {
    "python_version",
    "python_full_version",
    "os_name",
    "os.name",
    "sys_platform",
    "sys.platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform.version",
    "platform_machine",
    "platform.machine",
    "platform_python_implementation",
    "platform.python_implementation",
    "python_implementation",
    "implementation_name",
    "implementation_version",
    "extras",
    "extra",
    "dependency_groups",
  };

  private static final String[] OPERATORS = {"===", "==", "~=", "!=", "<=", ">=", "<", ">"};

  final String source;
  final String what;
  int position;

  Tokenizer(String source, String what) {
    this.source = source;
    this.what = what;
  }

  ParseException error(String message) {
    return new ParseException(what, source, position, message);
  }

  ParseException error(String message, int spanStart, int spanEnd) {
    // packaging shows a span and a caret at its end; the caret is the position.
    return new ParseException(what, source, spanEnd, message);
  }

  boolean atEnd() {
    // Python's '$' also matches before a newline that ends the text.
    int n = source.length();
    return position == n || (position == n - 1 && source.charAt(position) == '\n');
  }

  boolean peek(char c) {
    return position < source.length() && source.charAt(position) == c;
  }

  boolean consume(char c) {
    if (peek(c)) {
      position++;
      return true;
    }
    return false;
  }

  /** {@code [ \t]+} */
  void skipWhitespace() {
    while (position < source.length()
        && (source.charAt(position) == ' ' || source.charAt(position) == '\t')) {
      position++;
    }
  }

  boolean peekWhitespace() {
    return peek(' ') || peek('\t');
  }

  /** {@code \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b} */
  int identifier() {
    int p = position;
    if (p >= source.length() || !isAsciiAlnum(source.charAt(p)) || !boundary(p)) {
      return -1;
    }
    int end = p + 1;
    while (end < source.length() && isNameChar(source.charAt(end))) {
      end++;
    }
    for (; end > p; end--) {
      if (boundary(end)) {
        return end;
      }
    }
    return -1;
  }

  /** A marker variable name (see {@link #VARIABLES}), with word boundaries on both sides. */
  int variable() {
    if (!boundary(position)) {
      return -1;
    }
    for (String name : VARIABLES) {
      int end = position + name.length();
      if (source.startsWith(name, position) && boundary(end)) {
        return end;
      }
    }
    return -1;
  }

  /** {@code '[^']*'} or {@code "[^"]*"}. */
  int quotedString() {
    if (position >= source.length()) {
      return -1;
    }
    char quote = source.charAt(position);
    if (quote != '\'' && quote != '"') {
      return -1;
    }
    int close = source.indexOf(quote, position + 1);
    return close < 0 ? -1 : close + 1;
  }

  /** One of {@code === == ~= != <= >= < >}. */
  int operator() {
    for (String op : OPERATORS) {
      if (source.startsWith(op, position)) {
        return position + op.length();
      }
    }
    return -1;
  }

  /** A keyword ({@code and}, {@code or}, {@code in}, {@code not}) with word boundaries. */
  int keyword(String word) {
    int end = position + word.length();
    if (boundary(position) && source.startsWith(word, position) && boundary(end)) {
      return end;
    }
    return -1;
  }

  int specifier() {
    return SpecifierSyntax.matchEnd(source, position);
  }

  /** {@code [^ \t]+} */
  int url() {
    int end = position;
    while (end < source.length() && source.charAt(end) != ' ' && source.charAt(end) != '\t') {
      end++;
    }
    return end > position ? end : -1;
  }

  /** {@code \.\*} */
  boolean peekPrefixTrail() {
    return source.startsWith(".*", position);
  }

  /** {@code \+[a-z0-9]+(?:[-_\.][a-z0-9]+)*} (lower case only: this rule has no flags). */
  boolean peekLocalTrail() {
    return position + 1 < source.length()
        && source.charAt(position) == '+'
        && isLowerAlnum(source.charAt(position + 1));
  }

  String take(int end) {
    String text = source.substring(position, end);
    position = end;
    return text;
  }

  /** A regex {@code \b} at {@code p}: exactly one side is a Unicode word character. */
  private boolean boundary(int p) {
    boolean before = p > 0 && isWordChar(source.codePointBefore(p));
    boolean after = p < source.length() && isWordChar(source.codePointAt(p));
    return before != after;
  }

  /** Python's {@code \w} for {@code str} patterns: alphanumeric (Unicode) or underscore. */
  static boolean isWordChar(int c) {
    if (c < 0x80) {
      return c == '_' || isAsciiAlnum((char) c);
    }
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isNameChar(char c) {
    return isAsciiAlnum(c) || c == '.' || c == '_' || c == '-';
  }
}
