package dev.accretion.core.toml;

import java.util.List;

/**
 * A parsed TOML document: its root table, or the error that stopped the parse (then the table is
 * empty). Immutable once returned.
 */
public final class TomlParseResult extends TomlTable {
  private final List<TomlParseError> errors;

  TomlParseResult(List<TomlParseError> errors) {
    super(new TomlPosition(1, 1));
    this.errors = List.copyOf(errors);
  }

  /** The error that stopped the parse, if any (at most one: parsing stops at the first). */
  public List<TomlParseError> errors() {
    return errors;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }
}
