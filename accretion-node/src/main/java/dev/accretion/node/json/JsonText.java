package dev.accretion.node.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as npm reads and writes it. Reading follows {@code JSON.parse}: a later duplicate member
 * wins (package.json files in the wild have duplicates), a leading byte order mark is skipped (npm
 * strips it). Values come back as {@link LinkedHashMap} (member order kept), {@link List}, {@link
 * String}, {@link Boolean}, {@link BigDecimal} or null. Writing produces npm's layout: two spaces
 * of indent, {@code "key": value}, members in map order, a final newline. Stateless.
 */
public final class JsonText {
  /** A syntax error, with the character offset and the line. */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    public final int position;
    public final int line;

    SyntaxError(String text, int position, String message) {
      super(message + " at line " + lineOf(text, position), null, false, false);
      this.position = position;
      this.line = lineOf(text, position);
    }

    private static int lineOf(String text, int position) {
      int line = 1;
      for (int i = 0; i < Math.min(position, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
  }

  private final String text;
  private int pos;
  private int depth;

  private JsonText(String text) {
    this.text = text;
  }

  /** Parses a document. */
  public static Object parse(String text) throws SyntaxError {
    JsonText p = new JsonText(text);
    if (text.startsWith("\uFEFF")) {
      p.pos = 1;
    }
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.pos != text.length()) {
      throw new SyntaxError(text, p.pos, "unexpected text after the JSON value");
    }
    return v;
  }

  /** Parses a document that must be an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws SyntaxError {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new SyntaxError(text, 0, "expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private Object value() throws SyntaxError {
    if (pos >= text.length()) {
      throw new SyntaxError(text, pos, "unexpected end of the document");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new SyntaxError(text, pos, "unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object() throws SyntaxError {
    enter();
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      pos++;
      depth--;
      return m;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw new SyntaxError(text, pos, "expected a member name");
      }
      String key = string();
      ws();
      if (peek() != ':') {
        throw new SyntaxError(text, pos, "expected ':'");
      }
      pos++;
      ws();
      Object v = value();
      m.remove(key);
      m.put(key, v);
      ws();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return m;
      }
      if (c != ',') {
        throw new SyntaxError(text, pos - 1, "expected ',' or '}'");
      }
    }
  }

  private List<Object> array() throws SyntaxError {
    enter();
    pos++;
    List<Object> list = new ArrayList<>();
    ws();
    if (peek() == ']') {
      pos++;
      depth--;
      return list;
    }
    while (true) {
      ws();
      list.add(value());
      ws();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return list;
      }
      if (c != ',') {
        throw new SyntaxError(text, pos - 1, "expected ',' or ']'");
      }
    }
  }

  private void enter() throws SyntaxError {
    if (++depth > 512) {
      throw new SyntaxError(text, pos, "nested too deeply");
    }
  }

  private String string() throws SyntaxError {
    int start = pos++;
    StringBuilder out = null;
    int run = pos;
    while (true) {
      if (pos >= text.length()) {
        throw new SyntaxError(text, start, "unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = out == null ? text.substring(run, pos) : out.append(text, run, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw new SyntaxError(text, pos, "control character in a string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(text, run, pos);
      if (pos + 1 >= text.length()) {
        throw new SyntaxError(text, start, "unterminated string");
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
            throw new SyntaxError(text, pos, "truncated \\u escape");
          }
          int code = 0;
          for (int i = pos + 2; i < pos + 6; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) {
              throw new SyntaxError(text, pos, "bad \\u escape");
            }
            code = code * 16 + d;
          }
          out.append((char) code);
          pos += 4;
        }
        default -> throw new SyntaxError(text, pos, "bad escape");
      }
      pos += 2;
      run = pos;
    }
  }

  private BigDecimal number() throws SyntaxError {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    try {
      return new BigDecimal(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw new SyntaxError(text, start, "bad number");
    }
  }

  private void literal(String word) throws SyntaxError {
    if (!text.startsWith(word, pos)) {
      throw new SyntaxError(text, pos, "unexpected text");
    }
    pos += word.length();
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void ws() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  // ---- writing

  /** The value as npm writes JSON files: two-space indent and a final newline. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object v, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      quote(b, s);
    } else if (v instanceof Boolean || v instanceof Number) {
      b.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append("  ".repeat(indent + 1));
        quote(b, e.getKey().toString());
        b.append(": ");
        write(b, e.getValue(), indent + 1);
        b.append(++i < m.size() ? ",\n" : "\n");
      }
      b.append("  ".repeat(indent)).append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        b.append("  ".repeat(indent + 1));
        write(b, l.get(i), indent + 1);
        b.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      b.append("  ".repeat(indent)).append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }

  /** Appends a JSON string literal as {@code JSON.stringify} writes it. */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || (Character.isSurrogate(c) && !validSurrogate(s, i))) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
