package dev.accretion.node.config;

import dev.accretion.node.json.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ini dialect of {@code .npmrc} files, as npm's {@code ini} package reads it: {@code key =
 * value} lines, {@code ;} and {@code #} comments (also after an unquoted value), quoted values,
 * {@code key[] = value} lists, {@code [section]} headers (whose keys npm ignores). Values are
 * {@link String} or {@code List<String>}; {@code true}/{@code false} stay text.
 */
final class Ini {
  private Ini() {}

  static Map<String, Object> parse(String text) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean inSection = false;
    for (String rawLine : text.split("\r\n|\r|\n")) {
      String line = rawLine.strip();
      if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        inSection = true;
        continue;
      }
      if (inSection) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = unsafe(eq < 0 ? line : line.substring(0, eq));
      String value = eq < 0 ? "true" : unsafe(line.substring(eq + 1));
      if (key.isEmpty()) {
        continue;
      }
      if (key.endsWith("[]")) {
        key = key.substring(0, key.length() - 2);
        Object existing = out.get(key);
        List<String> list = new ArrayList<>();
        if (existing instanceof List<?> l) {
          for (Object o : l) {
            list.add(o.toString());
          }
        } else if (existing instanceof String s) {
          list.add(s);
        }
        list.add(value);
        out.put(key, List.copyOf(list));
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  /** {@code ini}'s {@code unsafe}: unquote, or cut at an unescaped {@code ;} or {@code #}. */
  static String unsafe(String raw) {
    String val = raw.strip();
    if (val.length() >= 2
        && ((val.startsWith("\"") && val.endsWith("\""))
            || (val.startsWith("'") && val.endsWith("'")))) {
      if (val.startsWith("'")) {
        val = val.substring(1, val.length() - 1);
      }
      try {
        Object v = JsonText.parse(val);
        return v == null ? "null" : v instanceof String s ? s : val;
      } catch (JsonText.SyntaxError e) {
        return val;
      }
    }
    StringBuilder out = new StringBuilder();
    boolean esc = false;
    for (int i = 0; i < val.length(); i++) {
      char c = val.charAt(i);
      if (esc) {
        if ("\\;#".indexOf(c) >= 0) {
          out.append(c);
        } else {
          out.append('\\').append(c);
        }
        esc = false;
      } else if (c == ';' || c == '#') {
        break;
      } else if (c == '\\') {
        esc = true;
      } else {
        out.append(c);
      }
    }
    if (esc) {
      out.append('\\');
    }
    return out.toString().strip();
  }
}
