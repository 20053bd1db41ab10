package dev.accretion.node.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lenient accessors over parsed JSON ({@link JsonText}): wrong types read as absent. */
public final class JsonValues {
  private JsonValues() {}

  /** The object at {@code key}, or an empty map when absent or not an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v instanceof Map ? (Map<String, Object>) v : Map.of();
  }

  /** {@code o} as an object, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  /** The string at {@code key}, or null when absent or not a string. */
  public static String string(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v instanceof String s ? s : null;
  }

  /** Whether {@code key} holds {@code true}. */
  public static boolean bool(Map<String, Object> m, String key) {
    return m != null && Boolean.TRUE.equals(m.get(key));
  }

  /**
   * A string or a list of strings, as a list (npm's os/cpu/libc fields take both); null if absent.
   */
  public static List<String> stringList(Object v) {
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
      return List.copyOf(out);
    }
    return null;
  }

  /** An object of string values (dependencies), in document order; non-strings are left out. */
  public static Map<String, String> stringMap(Object v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach(
          (k, val) -> {
            if (val instanceof String s) {
              out.put(k.toString(), s);
            }
          });
    }
    return out;
  }
}
