package dev.accretion.core.toml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TOML table: keys in document order, each with the position where it was defined. Values are
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link java.time.OffsetDateTime},
 * {@link java.time.LocalDateTime}, {@link java.time.LocalDate}, {@link java.time.LocalTime}, {@link
 * TomlArray} or {@link TomlTable}. Lookups take one key ({@code get(List.of("a.b"))} is the key
 * {@code "a.b"}) or a dotted path of bare keys ({@code get("project.name")}). Not modifiable by
 * callers.
 */
public class TomlTable {
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, TomlPosition> positions = new LinkedHashMap<>();

  // how the table came to be, for TOML's rules on defining tables (as Python's tomllib keeps them)
  boolean explicit; // defined by a [header], or as a namespace by dotted keys of an earlier section
  boolean frozen; // an inline table, or inside one or inside a static array: never extended
  final TomlPosition position;

  TomlTable(TomlPosition position) {
    this.position = position;
  }

  void put(String key, Object value, TomlPosition at) {
    values.put(key, value);
    positions.put(key, at);
  }

  Object own(String key) {
    return values.get(key);
  }

  /** The keys, in document order. */
  public Set<String> keySet() {
    return Collections.unmodifiableSet(values.keySet());
  }

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The value at a path of keys, or null. */
  public Object get(List<String> path) {
    Object current = this;
    for (String key : path) {
      if (!(current instanceof TomlTable t)) {
        return null;
      }
      current = t.values.get(key);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** The value at a dotted path of bare keys ({@code "project.name"}), or null. */
  public Object get(String dottedKey) {
    return get(List.of(dottedKey.split("\\.", -1)));
  }

  public boolean contains(List<String> path) {
    return get(path) != null;
  }

  public boolean contains(String dottedKey) {
    return get(dottedKey) != null;
  }

  /** The table at the path, or null when absent or not a table. */
  public TomlTable getTable(String dottedKey) {
    return get(dottedKey) instanceof TomlTable t ? t : null;
  }

  public TomlTable getTable(List<String> path) {
    return get(path) instanceof TomlTable t ? t : null;
  }

  /** The array at the path, or null when absent or not an array. */
  public TomlArray getArray(String dottedKey) {
    return get(dottedKey) instanceof TomlArray a ? a : null;
  }

  public TomlArray getArray(List<String> path) {
    return get(path) instanceof TomlArray a ? a : null;
  }

  /** The string at the path, or null when absent or not a string. */
  public String getString(String dottedKey) {
    return get(dottedKey) instanceof String s ? s : null;
  }

  /** Where the key at the end of the path was defined, or null when it is absent. */
  public TomlPosition inputPositionOf(List<String> path) {
    TomlTable table = this;
    for (int i = 0; i < path.size() - 1; i++) {
      if (!(table.values.get(path.get(i)) instanceof TomlTable t)) {
        return null;
      }
      table = t;
    }
    return path.isEmpty() ? position : table.positions.get(path.get(path.size() - 1));
  }

  public TomlPosition inputPositionOf(String dottedKey) {
    return inputPositionOf(List.of(dottedKey.split("\\.", -1)));
  }

  /** The values as a map, keys in document order. */
  public Map<String, Object> toMap() {
    return Collections.unmodifiableMap(values);
  }
}
