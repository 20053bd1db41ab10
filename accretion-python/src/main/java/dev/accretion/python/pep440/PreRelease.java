package dev.accretion.python.pep440;

import java.util.Objects;

/**
 * The pre-release segment of a {@link Version}: its kind and number, for example {@code rc1}.
 * Alternate spellings ({@code alpha}, {@code beta}, {@code c}, {@code pre}, {@code preview}) are
 * already normalized (PEP 440 "Pre-release spelling").
 *
 * @param kind alpha, beta or release candidate; never null
 * @param number the pre-release number, {@code 0} when the version wrote none; may be {@link
 *     Long#MAX_VALUE} for numbers beyond a long (see {@link Version})
 */
public record PreRelease(Kind kind, long number) {
  /** Pre-release kinds in PEP 440 order: {@code a < b < rc}. */
  public enum Kind {
    ALPHA("a"),
    BETA("b"),
    RELEASE_CANDIDATE("rc");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The normalized label: {@code a}, {@code b} or {@code rc}. */
    public String label() {
      return label;
    }
  }

  public PreRelease {
    Objects.requireNonNull(kind, "kind");
    if (number < 0) {
      throw new IllegalArgumentException("pre-release number must not be negative: " + number);
    }
  }

  /** The normalized form, for example {@code a0} or {@code rc2}. */
  @Override
  public String toString() {
    return kind.label + number;
  }
}
