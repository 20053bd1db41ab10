package dev.accretion.python.tags;

import dev.accretion.python.ParseException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The optional build tag of a wheel filename (PEP 427): a number, then any text. Two wheels of the
 * same name, version and tags are ordered by it, number first, then the rest as a string; a wheel
 * without a build tag sorts before one with (compare with {@code
 * Comparator.nullsFirst(Comparator.naturalOrder())}). Immutable.
 *
 * @param number the leading decimal digits as a number (so {@code 01} equals {@code 1})
 * @param rest the text after the digits, possibly empty
 */
public record BuildTag(BigInteger number, String rest) implements Comparable<BuildTag> {
  public BuildTag {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(rest, "rest");
    if (number.signum() < 0) {
      throw new IllegalArgumentException("build number must be >= 0: " + number);
    }
  }

  /**
   * Parses a build tag; PEP 427 requires it to start with a digit.
   *
   * @throws ParseException quoting the tag if it does not start with an ASCII digit
   */
  public static BuildTag parse(String text) throws ParseException {
    int digits = 0;
    while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      digits++;
    }
    if (digits == 0) {
      throw new ParseException("build tag", text, 0, "a build tag must start with a digit");
    }
    return new BuildTag(new BigInteger(text.substring(0, digits)), text.substring(digits));
  }

  @Override
  public int compareTo(BuildTag other) {
    int c = number.compareTo(other.number);
    if (c != 0) {
      return c;
    }
    // Python compares str by code point; String.compareTo compares UTF-16 units.
    return compareCodePoints(rest, other.rest);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  @Override
  public String toString() {
    return number + rest;
  }
}
