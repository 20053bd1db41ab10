package dev.accretion.python.tags;

import dev.accretion.python.ParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One PEP 425 compatibility tag: {@code interpreter-abi-platform}, e.g. {@code
 * cp311-cp311-manylinux_2_17_x86_64}. The parts are lower-cased on construction, as Python's {@code
 * packaging.tags.Tag} does, so tags compare case-insensitively. Immutable.
 *
 * @param interpreter the Python tag, e.g. {@code cp311}, {@code py3}
 * @param abi the ABI tag, e.g. {@code cp311}, {@code abi3}, {@code none}
 * @param platform the platform tag, e.g. {@code manylinux_2_17_x86_64}, {@code any}
 */
public record Tag(String interpreter, String abi, String platform) {

  /**
   * @throws IllegalArgumentException if a part is empty or contains {@code -} or {@code .} (which
   *     separate tags and compressed tag sets)
   */
  public Tag {
    interpreter = part(interpreter, "interpreter");
    abi = part(abi, "abi");
    platform = part(platform, "platform");
  }

  private static String part(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.indexOf('-') >= 0 || value.indexOf('.') >= 0) {
      throw new IllegalArgumentException(
          "invalid " + what + " tag '" + value + "': it must be non-empty, without '-' or '.'");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a single tag such as {@code py3-none-any}.
   *
   * @throws ParseException if the text is not three {@code -}-separated parts, or is a compressed
   *     tag set (use {@link #parseTagSet})
   */
  public static Tag parse(String text) throws ParseException {
    Set<Tag> tags = parseTagSet(text);
    if (tags.size() != 1 || text.indexOf('.') >= 0) {
      throw new ParseException(
          "tag", text, text.indexOf('.'), "a compressed tag set, not a single tag");
    }
    return tags.iterator().next();
  }

  /**
   * Parses a PEP 425 tag triple, expanding compressed tag sets: {@code py2.py3-none-any} is {@code
   * py2-none-any} and {@code py3-none-any}. Parts are lower-cased as Python's {@code packaging}
   * does.
   *
   * <p>Stricter than {@code packaging.tags.parse_tag} in one way: an empty part (as in {@code
   * py3--any} or {@code py3.-none-any}) is rejected instead of yielding a tag that can never match.
   *
   * @return the tags in expansion order (interpreter, then abi, then platform), unmodifiable
   * @throws ParseException quoting the text and the position of the bad part
   */
  public static Set<Tag> parseTagSet(String text) throws ParseException {
    Objects.requireNonNull(text, "tag text");
    String[] triple = text.split("-", -1);
    if (triple.length != 3) {
      int position = triple.length > 3 ? nthIndexOf(text, '-', 3) : text.length();
      throw new ParseException(
          "tag",
          text,
          position,
          "expected three parts python-abi-platform separated by '-', found " + triple.length);
    }
    String[][] parts = new String[3][];
    int offset = 0;
    for (int i = 0; i < 3; i++) {
      parts[i] = triple[i].split("\\.", -1);
      int at = offset;
      for (String part : parts[i]) {
        if (part.isEmpty()) {
          throw new ParseException(
              "tag", text, at, "empty " + new String[] {"python", "abi", "platform"}[i] + " tag");
        }
        at += part.length() + 1;
      }
      offset += triple[i].length() + 1;
    }
    Set<Tag> tags = new LinkedHashSet<>();
    for (String interpreter : parts[0]) {
      for (String abi : parts[1]) {
        for (String platform : parts[2]) {
          tags.add(new Tag(interpreter, abi, platform));
        }
      }
    }
    return Collections.unmodifiableSet(tags);
  }

  private static int nthIndexOf(String text, char c, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) {
      at = text.indexOf(c, at + 1);
    }
    return at;
  }

  /** {@code interpreter-abi-platform}, lower-case. */
  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
