package dev.accretion.core.toml;

/**
 * Where something starts in a TOML document: 1-based line and column (columns count characters).
 */
public record TomlPosition(int line, int column) {
  @Override
  public String toString() {
    return "line " + line + ", column " + column;
  }
}
