package dev.accretion.python;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A distribution name normalized as PEP 503 says: runs of {@code -}, {@code _} and {@code .} become
 * one {@code -}, and letters are lower-cased. Two names are the same package exactly when their
 * normalized forms are equal; compare names only through this type.
 *
 * @param normalized the normalized name, for example {@code typing-extensions}
 * @param display the name as it was written, for messages and output
 */
public record PackageName(String normalized, String display) implements Comparable<PackageName> {
  /** PEP 508 / core metadata: ASCII letters and digits, with {@code . _ -} inside. */
  private static final Pattern VALID =
      Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", Pattern.CASE_INSENSITIVE);

  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  public PackageName {
    if (normalized == null || display == null) {
      throw new NullPointerException("package name");
    }
  }

  /**
   * Parses and normalizes a distribution name.
   *
   * @throws ParseException if the text is not a valid name, quoting it
   */
  public static PackageName parse(String text) throws ParseException {
    if (text == null || !VALID.matcher(text).matches()) {
      String shown = text == null ? "" : text;
      int position = firstInvalid(shown);
      throw new ParseException(
          "package name",
          shown,
          position,
          "a name is ASCII letters and digits, with '.', '_' or '-' between them");
    }
    return new PackageName(normalize(text), text);
  }

  /** Normalizes a name that is already known to be valid (e.g. one taken from a regex match). */
  public static PackageName of(String text) {
    return new PackageName(normalize(text), text);
  }

  /** The PEP 503 normalized form of any string. */
  public static String normalize(String text) {
    return SEPARATORS.matcher(text).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  /** The name as wheel filenames and {@code .dist-info} folders write it (PEP 427): {@code _}. */
  public String wheelForm() {
    return normalized.replace('-', '_');
  }

  private static int firstInvalid(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      boolean inner = (c == '.' || c == '_' || c == '-') && i > 0 && i < text.length() - 1;
      if (!alnum && !inner) {
        return i;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PackageName that && normalized.equals(that.normalized);
  }

  @Override
  public int hashCode() {
    return normalized.hashCode();
  }

  @Override
  public int compareTo(PackageName other) {
    return normalized.compareTo(other.normalized);
  }

  @Override
  public String toString() {
    return normalized;
  }
}
