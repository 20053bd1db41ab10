package dev.accretion.python.resolve;

import dev.accretion.python.pep440.Version;
import java.util.Objects;

/** A pinnable choice for a {@link Key}: a distribution (or the target Python itself). */
record Candidate(Key key, Version version, Distribution distribution) {
  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c
        && key.equals(c.key)
        && version.equals(c.version)
        && Objects.equals(
            distribution == null ? null : distribution.file().url(),
            c.distribution == null ? null : c.distribution.file().url());
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version);
  }

  @Override
  public String toString() {
    return key.python() ? "Python " + version : key + " " + version;
  }
}
