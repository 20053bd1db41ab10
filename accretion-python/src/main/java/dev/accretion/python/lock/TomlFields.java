package dev.accretion.python.lock;

import dev.accretion.core.toml.Toml;
import dev.accretion.core.toml.TomlArray;
import dev.accretion.core.toml.TomlParseError;
import dev.accretion.core.toml.TomlParseResult;
import dev.accretion.core.toml.TomlPosition;
import dev.accretion.core.toml.TomlTable;
import dev.accretion.python.listing.ListingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one table of a TOML lock file: every missing or mistyped value becomes a {@link
 * ListingException} that names the file, the line and the key ({@code uv.lock:12: package[3]
 * (numpy): 'version' must be a string}). Keys are single keys, never dotted paths.
 */
final class TomlFields {
  final Path file;
  final TomlTable table;
  final String where;
  private final int line;

  TomlFields(Path file, TomlTable table, String where, int line) {
    this.file = file;
    this.table = table;
    this.where = where;
    this.line = line;
  }

  /** Parses a whole document; a syntax error names the file and line. */
  static TomlFields parse(Path file, String text) throws ListingException {
    TomlParseResult result = Toml.parse(text);
    if (result.hasErrors()) {
      TomlParseError error = result.errors().get(0);
      throw new ListingException(
          file
              + ":"
              + error.position().line()
              + ":"
              + error.position().column()
              + ": invalid TOML: "
              + error.getMessage());
    }
    return new TomlFields(file, result, "", 1);
  }

  boolean has(String key) {
    return table.contains(List.of(key));
  }

  Set<String> keys() {
    return table.keySet();
  }

  /** The line of a key, or of this table when the key is absent. */
  int line(String key) {
    TomlPosition position = has(key) ? table.inputPositionOf(List.of(key)) : null;
    return position == null ? line : position.line();
  }

  ListingException error(String key, String message) {
    String at = where.isEmpty() ? "" : where + ": ";
    return new ListingException(file + ":" + line(key) + ": " + at + message);
  }

  ListingException error(String message) {
    String at = where.isEmpty() ? "" : where + ": ";
    return new ListingException(file + ":" + line + ": " + at + message);
  }

  String string(String key) throws ListingException {
    String value = optString(key);
    if (value == null) {
      throw error(key, "'" + key + "' is missing");
    }
    return value;
  }

  String optString(String key) throws ListingException {
    Object value = table.get(List.of(key));
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw error(key, "'" + key + "' must be a string");
    }
    return s;
  }

  Long optLong(String key) throws ListingException {
    Object value = table.get(List.of(key));
    if (value == null) {
      return null;
    }
    if (!(value instanceof Long l)) {
      throw error(key, "'" + key + "' must be an integer");
    }
    return l;
  }

  boolean bool(String key, boolean otherwise) throws ListingException {
    Object value = table.get(List.of(key));
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Boolean b)) {
      throw error(key, "'" + key + "' must be true or false");
    }
    return b;
  }

  Object get(String key) {
    return table.get(List.of(key));
  }

  TomlFields optTable(String key, String childWhere) throws ListingException {
    Object value = table.get(List.of(key));
    if (value == null) {
      return null;
    }
    if (!(value instanceof TomlTable t)) {
      throw error(key, "'" + key + "' must be a table");
    }
    return new TomlFields(file, t, childWhere, line(key));
  }

  TomlFields optTable(String key) throws ListingException {
    return optTable(key, where.isEmpty() ? key : where + "." + key);
  }

  TomlArray optArray(String key) throws ListingException {
    Object value = table.get(List.of(key));
    if (value == null) {
      return null;
    }
    if (!(value instanceof TomlArray a)) {
      throw error(key, "'" + key + "' must be an array");
    }
    return a;
  }

  /** An optional array of strings ([] when absent). */
  List<String> strings(String key) throws ListingException {
    TomlArray array = optArray(key);
    List<String> out = new ArrayList<>();
    if (array == null) {
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof String s)) {
        throw error(key, "'" + key + "' must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * An optional array of tables ([] when absent); each named {@code <where>.<key>[i]} in messages.
   */
  List<TomlFields> tables(String key) throws ListingException {
    TomlArray array = optArray(key);
    List<TomlFields> out = new ArrayList<>();
    if (array == null) {
      return out;
    }
    String prefix = where.isEmpty() ? key : where + "." + key;
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof TomlTable t)) {
        throw error(key, "'" + key + "' must be an array of tables");
      }
      TomlPosition position = array.inputPositionOf(i);
      out.add(
          new TomlFields(
              file, t, prefix + "[" + i + "]", position == null ? line(key) : position.line()));
    }
    return out;
  }

  /** This table's description extended with a label ({@code package[3] (numpy)}). */
  TomlFields named(String label) {
    return new TomlFields(file, table, where + " (" + label + ")", line);
  }
}
