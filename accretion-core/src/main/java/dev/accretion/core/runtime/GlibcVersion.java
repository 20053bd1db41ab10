package dev.accretion.core.runtime;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GNU C library version, as manylinux platform tags (PEP 600: {@code manylinux_2_26_x86_64})
 * count them. Ordered by major, then minor.
 */
public record GlibcVersion(int major, int minor) implements Comparable<GlibcVersion> {
  private static final Pattern FORM = Pattern.compile("([0-9]{1,4})\\.([0-9]{1,4})");

  public GlibcVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException(
          "glibc version parts must be >= 0: " + major + "." + minor);
    }
  }

  /**
   * Parses {@code MAJOR.MINOR}, for example {@code 2.26}.
   *
   * @throws AccretionException quoting the text if it is not of that form
   */
  public static GlibcVersion parse(String text) throws AccretionException {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "invalid glibc version '" + text + "': expected MAJOR.MINOR, for example 2.26");
    }
    return new GlibcVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(GlibcVersion other) {
    int c = Integer.compare(major, other.major);
    return c != 0 ? c : Integer.compare(minor, other.minor);
  }

  /** {@code MAJOR.MINOR}, for example {@code 2.34}. */
  @Override
  public String toString() {
    return major + "." + minor;
  }
}
