package dev.accretion.core.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader that remembers where each value starts, so that errors in a PEP 691
 * page can point at the offending place. Values are {@link Map} (insertion-ordered), {@link List},
 * {@link String}, {@link Boolean}, {@link Number} text ({@link JsonNumber}) or null.
 */
public final class Json {
  /** A value and the offset where it starts in the document. */
  public record Node(Object value, int position) {
    public boolean isNull() {
      return value == null;
    }
  }

  /** A number as written (kept as text so that no precision is lost). */
  public record JsonNumber(String text) {}

  /** A syntax error at an offset. */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    public final int position;

    SyntaxError(int position, String message) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  public static Node parse(String text) throws SyntaxError {
    Json json = new Json(text);
    json.skipWhitespace();
    Node node = json.value();
    json.skipWhitespace();
    if (json.pos != text.length()) {
      throw new SyntaxError(json.pos, "unexpected text after the JSON value");
    }
    return node;
  }

  private Node value() throws SyntaxError {
    if (pos >= text.length()) {
      throw new SyntaxError(pos, "unexpected end of the document, expected a value");
    }
    int start = pos;
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return new Node(object(), start);
      case '[':
        return new Node(array(), start);
      case '"':
        return new Node(string(), start);
      case 't':
        literal("true");
        return new Node(Boolean.TRUE, start);
      case 'f':
        literal("false");
        return new Node(Boolean.FALSE, start);
      case 'n':
        literal("null");
        return new Node(null, start);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return new Node(number(), start);
        }
        throw new SyntaxError(pos, "unexpected '" + printable(c) + "', expected a value");
    }
  }

  private Map<String, Node> object() throws SyntaxError {
    enter();
    pos++;
    Map<String, Node> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new SyntaxError(pos, "expected a member name in double quotes");
      }
      int keyPosition = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Node value = value();
      if (members.putIfAbsent(key, value) != null) {
        throw new SyntaxError(keyPosition, "member \"" + key + "\" appears twice");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return members;
      }
      if (c != ',') {
        throw new SyntaxError(pos - 1, "expected ',' or '}'");
      }
    }
  }

  private List<Node> array() throws SyntaxError {
    enter();
    pos++;
    List<Node> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return items;
    }
    while (true) {
      skipWhitespace();
      items.add(value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return items;
      }
      if (c != ',') {
        throw new SyntaxError(pos - 1, "expected ',' or ']'");
      }
    }
  }

  private void enter() throws SyntaxError {
    if (++depth > 512) {
      throw new SyntaxError(pos, "nested too deeply");
    }
  }

  private String string() throws SyntaxError {
    int start = pos;
    pos++;
    StringBuilder out = null;
    int runStart = pos;
    while (true) {
      if (pos >= text.length()) {
        throw new SyntaxError(start, "unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String result =
            out == null
                ? text.substring(runStart, pos)
                : out.append(text, runStart, pos).toString();
        pos++;
        return result;
      }
      if (c < 0x20) {
        throw new SyntaxError(pos, "control character in a string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(text, runStart, pos);
      if (pos + 1 >= text.length()) {
        throw new SyntaxError(start, "unterminated string");
      }
      char e = text.charAt(pos + 1);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 6 > text.length()) {
            throw new SyntaxError(pos, "truncated \\u escape");
          }
          int code = 0;
          for (int i = pos + 2; i < pos + 6; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
              throw new SyntaxError(pos, "bad \\u escape");
            }
            code = code * 16 + digit;
          }
          out.append((char) code);
          pos += 4;
        }
        default -> throw new SyntaxError(pos, "bad escape '\\" + printable(e) + "'");
      }
      pos += 2;
      runStart = pos;
    }
  }

  private JsonNumber number() throws SyntaxError {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      throw new SyntaxError(pos, "bad number");
    }
    if (peek() == '.') {
      pos++;
      if (!(peek() >= '0' && peek() <= '9')) {
        throw new SyntaxError(pos, "bad number: digits expected after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!(peek() >= '0' && peek() <= '9')) {
        throw new SyntaxError(pos, "bad number: digits expected in the exponent");
      }
      digits();
    }
    return new JsonNumber(text.substring(start, pos));
  }

  private void digits() {
    while (peek() >= '0' && peek() <= '9') {
      pos++;
    }
  }

  private void literal(String word) throws SyntaxError {
    if (!text.startsWith(word, pos)) {
      throw new SyntaxError(pos, "unexpected text, expected a value");
    }
    pos += word.length();
  }

  private void expect(char c) throws SyntaxError {
    if (peek() != c) {
      throw new SyntaxError(pos, "expected '" + c + "'");
    }
    pos++;
  }

  /** The character at the cursor, or NUL at the end (NUL is never valid where peek is used). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
