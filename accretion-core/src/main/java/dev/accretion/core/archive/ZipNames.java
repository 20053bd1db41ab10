package dev.accretion.core.archive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Entry name checks shared by the reader (hostile names) and the writer (caller's paths). */
final class ZipNames {
  private ZipNames() {}

  /** A decoded name, or why it was refused. */
  record Decoded(String name, String problem) {}

  /**
   * Decodes raw name bytes. Pure ASCII is accepted whatever the flags; other bytes need the UTF-8
   * flag (APPNOTE 4.4.4 bit 11) and must be valid UTF-8, since without the flag the encoding is
   * ambiguous (the spec says CP437, many tools wrote UTF-8 or a local code page).
   */
  static Decoded decode(byte[] raw, boolean utf8Flag) {
    boolean ascii = true;
    for (byte b : raw) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new Decoded(new String(raw, StandardCharsets.US_ASCII), null);
    }
    String shown = escapeBytes(raw);
    if (!utf8Flag) {
      return new Decoded(
          shown,
          "has a non-ASCII name without the UTF-8 flag (bit 11), so its encoding is ambiguous");
    }
    try {
      String name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString();
      return new Decoded(name, null);
    } catch (CharacterCodingException e) {
      return new Decoded(shown, "has a name that is not valid UTF-8");
    }
  }

  /** ASCII kept, every other byte as {@code \xNN}. */
  static String escapeBytes(byte[] raw) {
    StringBuilder out = new StringBuilder();
    for (byte b : raw) {
      if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else {
        out.append(String.format(Locale.ROOT, "\\x%02x", b & 0xff));
      }
    }
    return out.toString();
  }

  /**
   * Checks a decoded entry name and returns its normalized path ({@code .} and empty segments
   * dropped, no trailing slash), or throws {@link IllegalArgumentException} whose message is the
   * problem, phrased to follow "entry 'x' ".
   */
  static String normalize(String name) {
    String problem = characterProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (name.startsWith("/")) {
      throw new IllegalArgumentException("has an absolute path");
    }
    if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
      throw new IllegalArgumentException("has an absolute path with a drive letter");
    }
    List<String> kept = new ArrayList<>();
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            "has a '..' path segment, which would escape the install directory");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("has a name that names no file");
    }
    return String.join("/", kept);
  }

  /**
   * Checks a path given by a caller of the writer: it must already be normalized (as {@link
   * #normalize} would return it). Returns the problem or null.
   */
  static String canonicalProblem(String path) {
    if (path.isEmpty()) {
      return "is empty";
    }
    String normalized;
    try {
      normalized = normalize(path);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (!normalized.equals(path)) {
      return "is not in normal form (expected '" + normalized + "')";
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > 0xFFFE) {
      return "is longer than a zip entry name can be";
    }
    return null;
  }

  private static String characterProblem(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == 0) {
        return "has a NUL character in its name";
      }
      if (Character.getType(c) == Character.CONTROL) {
        return String.format(Locale.ROOT, "has a control character (U+%04X) in its name", (int) c);
      }
      if (c == '\\') {
        return "has a backslash in its name (a path separator on Windows, a literal character"
            + " on Linux)";
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < name.length()
              && Character.isLowSurrogate(name.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(name.charAt(i - 1)))) {
        return "has an unpaired surrogate in its name";
      }
    }
    return null;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
