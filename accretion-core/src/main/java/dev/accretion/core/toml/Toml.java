package dev.accretion.core.toml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict TOML 1.0.0 reader that keeps where every key and array element was written, so that
 * errors about a document's content can name its line. Written here rather than taken from a
 * library: tomlj, which gave positions, is unmaintained, and the maintained Java TOML parsers
 * (jackson-dataformat-toml, night-config) don't report where a key was defined. It follows the TOML
 * 1.0.0 specification and, where that leaves a choice, Python's {@code tomllib} (its test oracle):
 * CRLF is read as LF, fractional seconds past nanoseconds are cut, a table can't be defined twice
 * or extended after an inline table or a static array closed it.
 *
 * <p>Hostile input is bounded: arrays and inline tables nest at most {@link #MAX_NESTING} deep (the
 * parser would otherwise recurse once per level), integers must fit 64 bits. Stateless and
 * thread-safe.
 */
public final class Toml {
  /** How deep arrays and inline tables may nest. */
  public static final int MAX_NESTING = 100;

  private Toml() {}

  /** Parses a document; the result holds the error that stopped it, if any. */
  public static TomlParseResult parse(String text) {
    Parser parser = new Parser(text.replace("\r\n", "\n"));
    try {
      parser.document();
      return parser.root;
    } catch (Failure f) {
      return new TomlParseResult(List.of(new TomlParseError(f.getMessage(), f.position)));
    }
  }

  /**
   * Reads and parses a UTF-8 file of at most {@code maxBytes}.
   *
   * @throws IOException when the file can't be read, is larger, or is not UTF-8
   */
  public static TomlParseResult parse(Path file, int maxBytes) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      throw new IOException(file + " is larger than " + maxBytes + " bytes");
    }
    try {
      return parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text", e);
    }
  }

  /** Parses a UTF-8 file of at most 16 MiB. */
  public static TomlParseResult parse(Path file) throws IOException {
    return parse(file, 16 << 20);
  }

  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient TomlPosition position;

    Failure(String message, TomlPosition position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private static final class Parser {
    final String s;
    final int n;
    int i;
    final TomlParseResult root = new TomlParseResult(List.of());
    TomlTable current = root;
    // tables that dotted keys walked through in this section: explicit from the next header on
    final List<TomlTable> pending = new ArrayList<>();
    int depth;

    int[] lineStarts = new int[64];
    int lineCount;

    Parser(String s) {
      this.s = s;
      this.n = s.length();
      lineStarts[lineCount++] = 0;
      for (int k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) {
        if (lineCount == lineStarts.length) {
          lineStarts = java.util.Arrays.copyOf(lineStarts, lineCount * 2);
        }
        lineStarts[lineCount++] = k + 1;
      }
    }

    // -------------------------------------------------------------------------------------------
    // positions and errors

    /** 1-based line and column (in UTF-16 units) of {@code index}, by binary search. */
    TomlPosition at(int index) {
      int low = 0;
      int high = lineCount - 1;
      while (low < high) {
        int mid = (low + high + 1) >>> 1;
        if (lineStarts[mid] <= index) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      return new TomlPosition(low + 1, index - lineStarts[low] + 1);
    }

    Failure fail(String message) {
      return fail(message, i);
    }

    Failure fail(String message, int index) {
      return new Failure(message, at(index));
    }

    String found() {
      if (i >= n) {
        return "the end of the document";
      }
      int c = s.codePointAt(i);
      if (c == '\n') {
        return "a line break";
      }
      if (c < 0x20 || c == 0x7f) {
        return String.format("control character U+%04X", c);
      }
      return "'" + new String(Character.toChars(c)) + "'";
    }

    // -------------------------------------------------------------------------------------------
    // lexical helpers

    boolean peek(char c) {
      return i < n && s.charAt(i) == c;
    }

    boolean startsWith(String prefix) {
      return s.startsWith(prefix, i);
    }

    void skipWs() {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    void skipComment() {
      if (peek('#')) {
        i++;
        while (i < n && s.charAt(i) != '\n') {
          char c = s.charAt(i);
          if ((c < 0x20 && c != '\t') || c == 0x7f) {
            throw fail("control character U+" + String.format("%04X", (int) c) + " in a comment");
          }
          i++;
        }
      }
    }

    /** Whitespace, comments and line breaks (inside arrays). */
    void skipWsCommentsNewlines() {
      while (true) {
        skipWs();
        skipComment();
        if (peek('\n')) {
          i++;
        } else {
          return;
        }
      }
    }

    void endOfLine() {
      skipWs();
      skipComment();
      if (i < n) {
        if (s.charAt(i) != '\n') {
          throw fail("expected the end of the line, found " + found());
        }
        i++;
      }
    }

    // -------------------------------------------------------------------------------------------
    // document structure

    void document() {
      while (true) {
        skipWs();
        skipComment();
        if (i >= n) {
          return;
        }
        if (peek('\n')) {
          i++;
          continue;
        }
        if (peek('[')) {
          header();
        } else {
          keyValue(current, true);
        }
        endOfLine();
      }
    }

    void header() {
      int start = i;
      boolean arrayOfTables = startsWith("[[");
      i += arrayOfTables ? 2 : 1;
      skipWs();
      List<String> key = key();
      skipWs();
      if (arrayOfTables) {
        if (!startsWith("]]")) {
          throw fail("expected ']]' to close the array-of-tables header, found " + found());
        }
        i += 2;
      } else {
        if (!peek(']')) {
          throw fail("expected ']' to close the table header, found " + found());
        }
        i++;
      }
      for (TomlTable t : pending) {
        t.explicit = true;
      }
      pending.clear();
      TomlPosition position = at(start);
      TomlTable parent = root;
      for (int k = 0; k < key.size() - 1; k++) {
        parent = descend(parent, key.get(k), position, start, key);
      }
      String last = key.get(key.size() - 1);
      Object existing = parent.own(last);
      if (arrayOfTables) {
        TomlTable table = new TomlTable(position);
        if (existing == null) {
          TomlArray array = new TomlArray(true);
          array.add(table, position);
          parent.put(last, array, position);
        } else if (existing instanceof TomlArray a && a.ofTables && !parent.frozen) {
          a.add(table, position);
        } else {
          throw fail(
              "cannot define [["
                  + String.join(".", key)
                  + "]]: the key already holds "
                  + describe(existing),
              start);
        }
        table.explicit = true;
        current = table;
      } else {
        if (existing == null) {
          if (parent.frozen) {
            throw fail("cannot add to an inline table", start);
          }
          TomlTable table = new TomlTable(position);
          table.explicit = true;
          parent.put(last, table, position);
          current = table;
        } else if (existing instanceof TomlTable t && !t.explicit && !t.frozen) {
          t.explicit = true;
          current = t;
        } else {
          throw fail(
              "cannot define table ["
                  + String.join(".", key)
                  + "] twice"
                  + (existing instanceof TomlTable
                      ? ""
                      : ": the key already holds " + describe(existing)),
              start);
        }
      }
    }

    /** A header's way through an existing or new table (the last table of an array of tables). */
    TomlTable descend(
        TomlTable parent, String k, TomlPosition position, int start, List<String> key) {
      Object existing = parent.own(k);
      if (existing == null) {
        if (parent.frozen) {
          throw fail("cannot add to an inline table", start);
        }
        TomlTable table = new TomlTable(position);
        parent.put(k, table, position);
        return table;
      }
      if (existing instanceof TomlTable t) {
        if (t.frozen) {
          throw fail(
              "cannot extend the inline table '" + k + "' of " + String.join(".", key), start);
        }
        return t;
      }
      if (existing instanceof TomlArray a && a.ofTables) {
        return (TomlTable) a.last();
      }
      throw fail(
          "cannot use '" + k + "' as a table: it already holds " + describe(existing), start);
    }

    static String describe(Object value) {
      if (value instanceof TomlTable t) {
        return t.frozen ? "an inline table" : "a table";
      }
      if (value instanceof TomlArray a) {
        return a.ofTables ? "an array of tables" : "an array";
      }
      return "a value";
    }

    /** {@code key = value} into {@code table}; {@code section} for a line of a table section. */
    void keyValue(TomlTable table, boolean section) {
      int start = i;
      TomlPosition position = at(start);
      List<String> key = key();
      skipWs();
      if (!peek('=')) {
        throw fail("expected '=' after the key " + String.join(".", key) + ", found " + found());
      }
      i++;
      skipWs();
      TomlTable parent = table;
      for (int k = 0; k < key.size() - 1; k++) {
        String part = key.get(k);
        Object existing = parent.own(part);
        if (existing == null) {
          TomlTable created = new TomlTable(position);
          parent.put(part, created, position);
          if (section) {
            pending.add(created);
          }
          parent = created;
        } else if (existing instanceof TomlTable t && !t.explicit && !t.frozen) {
          if (section) {
            pending.add(t);
          }
          parent = t;
        } else {
          throw fail(
              "cannot use the key "
                  + String.join(".", key.subList(0, k + 1))
                  + " as a table: it already holds "
                  + (existing instanceof TomlTable t && t.explicit && !t.frozen
                      ? "a table defined elsewhere"
                      : describe(existing)),
              start);
        }
      }
      String last = key.get(key.size() - 1);
      if (parent.own(last) != null) {
        throw fail("duplicate key " + String.join(".", key), start);
      }
      int valueStart = i;
      Object value = value();
      parent.put(last, value, position);
      if (value instanceof TomlTable || value instanceof TomlArray) {
        freeze(value);
      }
      assert valueStart <= i;
    }

    static void freeze(Object value) {
      if (value instanceof TomlTable t) {
        t.frozen = true;
        for (Object v : t.toMap().values()) {
          freeze(v);
        }
      } else if (value instanceof TomlArray a) {
        for (Object v : a.toList()) {
          freeze(v);
        }
      }
    }

    List<String> key() {
      List<String> parts = new ArrayList<>();
      parts.add(simpleKey());
      while (true) {
        int save = i;
        skipWs();
        if (peek('.')) {
          i++;
          skipWs();
          parts.add(simpleKey());
        } else {
          i = save;
          return parts;
        }
      }
    }

    String simpleKey() {
      if (peek('"')) {
        if (startsWith("\"\"\"")) {
          throw fail("a key can't be a multi-line string");
        }
        return basicString();
      }
      if (peek('\'')) {
        if (startsWith("'''")) {
          throw fail("a key can't be a multi-line string");
        }
        return literalString();
      }
      int start = i;
      while (i < n && isBareKeyChar(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        throw fail("expected a key, found " + found());
      }
      return s.substring(start, i);
    }

    static boolean isBareKeyChar(char c) {
      return (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-';
    }

    // -------------------------------------------------------------------------------------------
    // values

    Object value() {
      if (i >= n) {
        throw fail("expected a value, found the end of the document");
      }
      char c = s.charAt(i);
      switch (c) {
        case '"':
          return startsWith("\"\"\"") ? multilineBasicString() : basicString();
        case '\'':
          return startsWith("'''") ? multilineLiteralString() : literalString();
        case '[':
          return array();
        case '{':
          return inlineTable();
        case 't':
          return keyword("true", Boolean.TRUE);
        case 'f':
          return keyword("false", Boolean.FALSE);
        default:
          break;
      }
      if (c == 'i' || c == 'n') {
        return number();
      }
      if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        if (matchesDate(i) || matchesTime(i)) {
          return dateTime();
        }
        return number();
      }
      throw fail("expected a value, found " + found());
    }

    Object keyword(String word, Object value) {
      if (!startsWith(word)) {
        throw fail("expected a value, found " + found());
      }
      i += word.length();
      return value;
    }

    void enter() {
      if (++depth > MAX_NESTING) {
        throw fail("arrays and inline tables nest more than " + MAX_NESTING + " deep (the limit)");
      }
    }

    TomlArray array() {
      enter();
      TomlArray array = new TomlArray(false);
      i++; // [
      while (true) {
        skipWsCommentsNewlines();
        if (peek(']')) {
          i++;
          break;
        }
        TomlPosition position = at(i);
        array.add(value(), position);
        skipWsCommentsNewlines();
        if (peek(',')) {
          i++;
        } else if (peek(']')) {
          i++;
          break;
        } else {
          throw fail("expected ',' or ']' in an array, found " + found());
        }
      }
      depth--;
      return array;
    }

    TomlTable inlineTable() {
      enter();
      TomlTable table = new TomlTable(at(i));
      i++; // {
      skipWs();
      if (peek('}')) {
        i++;
      } else {
        while (true) {
          skipWs();
          keyValue(table, false);
          skipWs();
          if (peek(',')) {
            i++;
          } else if (peek('}')) {
            i++;
            break;
          } else {
            throw fail("expected ',' or '}' in an inline table, found " + found());
          }
        }
      }
      depth--;
      table.frozen = true;
      return table;
    }

    // strings

    String basicString() {
      i++; // "
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= n || s.charAt(i) == '\n') {
          throw fail("unterminated string");
        }
        char c = s.charAt(i);
        if (c == '"') {
          i++;
          return out.toString();
        }
        if (c == '\\') {
          escape(out);
        } else {
          checkStringChar(c);
          out.append(c);
          i++;
        }
      }
    }

    String multilineBasicString() {
      i += 3;
      if (peek('\n')) {
        i++;
      }
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= n) {
          throw fail("unterminated multi-line string");
        }
        char c = s.charAt(i);
        if (c == '"' && startsWith("\"\"\"")) {
          int quotes = 0;
          while (i + quotes < n && s.charAt(i + quotes) == '"') {
            quotes++;
          }
          if (quotes > 5) {
            throw fail("too many quotes at the end of a multi-line string");
          }
          out.append("\"".repeat(quotes - 3));
          i += quotes;
          return out.toString();
        }
        if (c == '\\') {
          int j = i + 1;
          while (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
          }
          if (j < n && s.charAt(j) == '\n') {
            // a line-ending backslash: the break and the whitespace after it go
            i = j;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n')) {
              i++;
            }
            continue;
          }
          escape(out);
        } else if (c == '\n') {
          out.append(c);
          i++;
        } else {
          checkStringChar(c);
          out.append(c);
          i++;
        }
      }
    }

    String literalString() {
      i++; // '
      int start = i;
      while (true) {
        if (i >= n || s.charAt(i) == '\n') {
          throw fail("unterminated literal string");
        }
        char c = s.charAt(i);
        if (c == '\'') {
          String value = s.substring(start, i);
          i++;
          return value;
        }
        checkStringChar(c);
        i++;
      }
    }

    String multilineLiteralString() {
      i += 3;
      if (peek('\n')) {
        i++;
      }
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= n) {
          throw fail("unterminated multi-line literal string");
        }
        char c = s.charAt(i);
        if (c == '\'' && startsWith("'''")) {
          int quotes = 0;
          while (i + quotes < n && s.charAt(i + quotes) == '\'') {
            quotes++;
          }
          if (quotes > 5) {
            throw fail("too many quotes at the end of a multi-line literal string");
          }
          out.append("'".repeat(quotes - 3));
          i += quotes;
          return out.toString();
        }
        if (c != '\n') {
          checkStringChar(c);
        }
        out.append(c);
        i++;
      }
    }

    void checkStringChar(char c) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw fail(String.format("control character U+%04X in a string", (int) c));
      }
    }

    void escape(StringBuilder out) {
      int start = i;
      i++; // backslash
      if (i >= n) {
        throw fail("unterminated escape sequence");
      }
      char c = s.charAt(i++);
      switch (c) {
        case 'b' -> out.append('\b');
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'f' -> out.append('\f');
        case 'r' -> out.append('\r');
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case 'u', 'U' -> {
          int digits = c == 'u' ? 4 : 8;
          if (i + digits > n) {
            throw fail("incomplete unicode escape", start);
          }
          String hex = s.substring(i, i + digits);
          for (int k = 0; k < digits; k++) {
            if (Character.digit(hex.charAt(k), 16) < 0) {
              throw fail("invalid unicode escape \\" + c + hex, start);
            }
          }
          long cp = Long.parseLong(hex, 16);
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw fail("\\" + c + hex + " is not a Unicode scalar value", start);
          }
          out.appendCodePoint((int) cp);
          i += digits;
        }
        default -> throw fail("invalid escape sequence \\" + c, start);
      }
    }

    // numbers

    Object number() {
      int start = i;
      int j = i;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      if (s.startsWith("inf", j) || s.startsWith("nan", j)) {
        i = j + 3;
        boolean negative = s.charAt(start) == '-';
        return s.startsWith("inf", j)
            ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
            : Double.NaN;
      }
      if (j == start && s.startsWith("0", j) && j + 1 < n) {
        char radix = s.charAt(j + 1);
        if (radix == 'x' || radix == 'o' || radix == 'b') {
          int base = radix == 'x' ? 16 : radix == 'o' ? 8 : 2;
          i = j + 2;
          String digits = digits(base);
          try {
            return Long.parseUnsignedLong(digits, base) >= 0
                ? Long.parseLong(digits, base)
                : tooBig(start);
          } catch (NumberFormatException e) {
            return tooBig(start);
          }
        }
      }
      i = j;
      int intStart = i;
      String intPart = digits(10);
      if (intPart.length() > 1 && intPart.charAt(0) == '0') {
        throw fail("leading zeros are not allowed in a number", intStart);
      }
      boolean isFloat = false;
      StringBuilder text = new StringBuilder();
      text.append(s.charAt(start) == '-' ? "-" : "").append(intPart);
      if (peek('.')) {
        i++;
        text.append('.').append(digits(10));
        isFloat = true;
      }
      if (peek('e') || peek('E')) {
        i++;
        text.append('e');
        if (peek('+') || peek('-')) {
          text.append(s.charAt(i));
          i++;
        }
        text.append(digits(10));
        isFloat = true;
      }
      if (isFloat) {
        return Double.parseDouble(text.toString());
      }
      try {
        return Long.parseLong(text.toString());
      } catch (NumberFormatException e) {
        return tooBig(start);
      }
    }

    Object tooBig(int start) {
      throw fail("integer does not fit in 64 bits", start);
    }

    /** Digits of {@code base} with single underscores between them; at least one digit. */
    String digits(int base) {
      StringBuilder out = new StringBuilder();
      boolean lastDigit = false;
      while (i < n) {
        char c = s.charAt(i);
        if (Character.digit(c, base) >= 0 && c < 0x80) {
          out.append(c);
          lastDigit = true;
        } else if (c == '_' && lastDigit) {
          lastDigit = false;
        } else {
          break;
        }
        i++;
      }
      if (out.isEmpty() || !lastDigit) {
        throw fail("invalid number: expected a digit, found " + found());
      }
      return out.toString();
    }

    // dates and times

    boolean digitsAt(int k, int count) {
      if (k + count > n) {
        return false;
      }
      for (int m = 0; m < count; m++) {
        char c = s.charAt(k + m);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }

    boolean matchesDate(int k) {
      return digitsAt(k, 4)
          && k + 4 < n
          && s.charAt(k + 4) == '-'
          && digitsAt(k + 5, 2)
          && k + 7 < n
          && s.charAt(k + 7) == '-'
          && digitsAt(k + 8, 2);
    }

    boolean matchesTime(int k) {
      return digitsAt(k, 2) && k + 2 < n && s.charAt(k + 2) == ':' && digitsAt(k + 3, 2);
    }

    Object dateTime() {
      int start = i;
      try {
        if (matchesTime(i)) {
          return time();
        }
        LocalDate date =
            LocalDate.of(
                Integer.parseInt(s.substring(i, i + 4)),
                Integer.parseInt(s.substring(i + 5, i + 7)),
                Integer.parseInt(s.substring(i + 8, i + 10)));
        i += 10;
        if (i < n
            && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')
            && matchesTime(i + 1)) {
          i++;
          LocalTime time = time();
          LocalDateTime local = LocalDateTime.of(date, time);
          if (peek('Z') || peek('z')) {
            i++;
            return OffsetDateTime.of(local, ZoneOffset.UTC);
          }
          if ((peek('+') || peek('-')) && matchesTime(i + 1)) {
            int sign = s.charAt(i) == '-' ? -1 : 1;
            int hours = Integer.parseInt(s.substring(i + 1, i + 3));
            int minutes = Integer.parseInt(s.substring(i + 4, i + 6));
            if (hours > 23 || minutes > 59) {
              throw fail("invalid time offset", i);
            }
            i += 6;
            return OffsetDateTime.of(
                local, ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
          }
          return local;
        }
        return date;
      } catch (DateTimeException e) {
        throw fail("invalid date or time: " + e.getMessage(), start);
      }
    }

    LocalTime time() {
      int hour = Integer.parseInt(s.substring(i, i + 2));
      int minute = Integer.parseInt(s.substring(i + 3, i + 5));
      i += 5;
      if (!(peek(':') && digitsAt(i + 1, 2))) {
        throw fail("a time needs seconds (HH:MM:SS)");
      }
      int second = Integer.parseInt(s.substring(i + 1, i + 3));
      i += 3;
      int nanos = 0;
      if (peek('.')) {
        int k = i + 1;
        int fracStart = k;
        while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
          k++;
        }
        if (k == fracStart) {
          throw fail("expected digits after the decimal point of a time");
        }
        String frac = s.substring(fracStart, Math.min(k, fracStart + 9));
        nanos = Integer.parseInt(frac + "0".repeat(9 - frac.length()));
        i = k;
      }
      return LocalTime.of(hour, minute, second, nanos);
    }
  }
}
