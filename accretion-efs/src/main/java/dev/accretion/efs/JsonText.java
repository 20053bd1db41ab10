package dev.accretion.efs;

import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the store's own records (keys in the given order, two-space indent).
 */
final class JsonText {
  private JsonText() {}

  static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object value, int indent) {
    switch (value) {
      case null -> b.append("null");
      case String s -> string(b, s);
      case Number n -> b.append(n);
      case Boolean v -> b.append(v);
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          b.append("{}");
          return;
        }
        b.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          pad(b, indent + 2);
          string(b, String.valueOf(e.getKey()));
          b.append(": ");
          write(b, e.getValue(), indent + 2);
          b.append(++i < m.size() ? ",\n" : "\n");
        }
        pad(b, indent);
        b.append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          b.append("[]");
          return;
        }
        b.append("[\n");
        for (int i = 0; i < l.size(); i++) {
          pad(b, indent + 2);
          write(b, l.get(i), indent + 2);
          b.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        pad(b, indent);
        b.append(']');
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void pad(StringBuilder b, int n) {
    b.append(" ".repeat(n));
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
