package dev.accretion.core.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TOML array: a static array ({@code key = [...]}) or an array of tables ({@code [[key]]}), with
 * the position of each element. Values are as in {@link TomlTable}. Not modifiable by callers.
 */
public final class TomlArray {
  private final List<Object> values = new ArrayList<>();
  private final List<TomlPosition> positions = new ArrayList<>();
  final boolean ofTables;

  TomlArray(boolean ofTables) {
    this.ofTables = ofTables;
  }

  void add(Object value, TomlPosition position) {
    values.add(value);
    positions.add(position);
  }

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The element at {@code index}. */
  public Object get(int index) {
    return values.get(index);
  }

  /** Where the element at {@code index} starts (for an array of tables, its header). */
  public TomlPosition inputPositionOf(int index) {
    return positions.get(index);
  }

  /** The elements, in order. */
  public List<Object> toList() {
    return Collections.unmodifiableList(values);
  }

  Object last() {
    return values.get(values.size() - 1);
  }
}
