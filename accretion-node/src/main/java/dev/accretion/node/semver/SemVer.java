package dev.accretion.node.semver;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * A version as npm reads it (node-semver 7, the parser npm itself uses): {@code
 * MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, ordered by SemVer 2.0.0 precedence (build metadata
 * ignored). Loose parsing, which npm uses for package versions and ranges, also takes a leading
 * {@code v} or {@code =}, leading zeros and a prerelease without its hyphen ({@code 1.2.3beta}).
 * Immutable.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param prerelease the prerelease identifiers ({@link Long} for numeric ones, else {@link
 *     String}), empty for a release
 * @param build the build identifiers (ignored in comparisons)
 */
public record SemVer(
    long major, long minor, long patch, List<Object> prerelease, List<String> build)
    implements Comparable<SemVer> {

  /** node-semver's MAX_LENGTH: longer texts are not versions. */
  static final int MAX_LENGTH = 256;

  static final long MAX_SAFE_INTEGER = 9007199254740991L;

  public SemVer {
    prerelease = List.copyOf(prerelease);
    build = List.copyOf(build);
  }

  /**
   * Parses a version.
   *
   * @param loose npm's loose mode (what npm uses for manifests and ranges)
   * @return empty when the text is not a version
   */
  public static Optional<SemVer> parse(String text, boolean loose) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Matcher m = (loose ? SemVerRegex.LOOSE : SemVerRegex.FULL).matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    Long major = number(m.group(1));
    Long minor = number(m.group(2));
    Long patch = number(m.group(3));
    if (major == null || minor == null || patch == null) {
      return Optional.empty();
    }
    List<Object> pre = new ArrayList<>();
    if (m.group(4) != null) {
      for (String id : m.group(4).split("\\.", -1)) {
        pre.add(identifier(id));
      }
    }
    List<String> build = m.group(5) == null ? List.of() : List.of(m.group(5).split("\\.", -1));
    return Optional.of(new SemVer(major, minor, patch, pre, build));
  }

  /** Parses a version loosely (npm's default for package versions). */
  public static Optional<SemVer> parse(String text) {
    return parse(text, true);
  }

  /**
   * Parses a version loosely.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static SemVer of(String text) {
    return parse(text, true)
        .orElseThrow(() -> new IllegalArgumentException("not a version: " + text));
  }

  private static Long number(String digits) {
    if (digits.length() > 16) {
      return null;
    }
    long v = Long.parseLong(digits);
    return v > MAX_SAFE_INTEGER ? null : v;
  }

  private static Object identifier(String id) {
    if (!id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9') && id.length() <= 16) {
      long n = Long.parseLong(id);
      if (n < MAX_SAFE_INTEGER) {
        return n;
      }
    }
    return id;
  }

  /** Whether this is a prerelease ({@code 1.0.0-rc.1}). */
  public boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  /** The same version without prerelease and build. */
  public SemVer release() {
    return new SemVer(major, minor, patch, List.of(), List.of());
  }

  @Override
  public int compareTo(SemVer other) {
    int c = compareMain(other);
    return c != 0 ? c : comparePre(other);
  }

  int compareMain(SemVer o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    return c;
  }

  private int comparePre(SemVer o) {
    if (!prerelease.isEmpty() && o.prerelease.isEmpty()) {
      return -1;
    }
    if (prerelease.isEmpty() && !o.prerelease.isEmpty()) {
      return 1;
    }
    for (int i = 0; ; i++) {
      boolean aEnd = i >= prerelease.size();
      boolean bEnd = i >= o.prerelease.size();
      if (aEnd && bEnd) {
        return 0;
      }
      if (bEnd) {
        return 1;
      }
      if (aEnd) {
        return -1;
      }
      int c = compareIdentifiers(prerelease.get(i), o.prerelease.get(i));
      if (c != 0) {
        return c;
      }
    }
  }

  /** node-semver's compareIdentifiers: numbers numerically and below words; words as text. */
  static int compareIdentifiers(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    String as = a.toString();
    String bs = b.toString();
    boolean an = isNumeric(as);
    boolean bn = isNumeric(bs);
    if (an && bn) {
      return new java.math.BigInteger(as).compareTo(new java.math.BigInteger(bs));
    }
    if (an) {
      return -1;
    }
    if (bn) {
      return 1;
    }
    return Integer.signum(as.compareTo(bs));
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The version as npm formats it: {@code 1.2.3-beta.1}, without build metadata. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder().append(major).append('.').append(minor).append('.');
    b.append(patch);
    if (!prerelease.isEmpty()) {
      b.append('-');
      for (int i = 0; i < prerelease.size(); i++) {
        if (i > 0) {
          b.append('.');
        }
        b.append(prerelease.get(i));
      }
    }
    return b.toString();
  }

  /** Equality as npm compares versions: build metadata ignored. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SemVer other && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(major, minor, patch, toString());
  }
}
