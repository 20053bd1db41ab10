package dev.accretion.python.pep440;

/** The comparison operators of PEP 440 version specifiers. */
public enum Operator {
  /** {@code ~=}: compatible release, {@code ~=2.2} means {@code >=2.2, ==2.*}. */
  COMPATIBLE("~="),
  /** {@code ==}: version matching, with {@code .*} prefix matching. */
  EQUAL("=="),
  /** {@code !=}: version exclusion, with {@code .*} prefix matching. */
  NOT_EQUAL("!="),
  /** {@code <=}: inclusive ordered comparison. */
  LESS_THAN_EQUAL("<="),
  /** {@code >=}: inclusive ordered comparison. */
  GREATER_THAN_EQUAL(">="),
  /** {@code <}: exclusive ordered comparison (excludes pre-releases of the given version). */
  LESS_THAN("<"),
  /** {@code >}: exclusive ordered comparison (excludes post-releases and local versions). */
  GREATER_THAN(">"),
  /** {@code ===}: arbitrary equality, a case-insensitive string comparison. */
  ARBITRARY("===");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in a specifier, for example {@code ">="}. */
  public String symbol() {
    return symbol;
  }

  @Override
  public String toString() {
    return symbol;
  }
}
