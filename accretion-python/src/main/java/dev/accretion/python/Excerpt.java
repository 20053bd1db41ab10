package dev.accretion.python;

/**
 * Bounded quotes of input text for messages: an error never echoes a whole 5 MB line. Short text is
 * quoted exactly as written (as {@code packaging} quotes it).
 */
public final class Excerpt {
  /** The most characters of input a message quotes. */
  public static final int MAX = 500;

  private Excerpt() {}

  /** {@code text} as it is when short, else its start and how long it is. */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    if (text.length() <= MAX) {
      return clean(text);
    }
    return clean(text.substring(0, MAX)) + "… (" + text.length() + " characters)";
  }

  /**
   * A window of {@code text} around {@code position} when the text is long, with how much was left
   * out on each side; the text as it is when short.
   */
  public static String around(String text, int position) {
    if (text == null) {
      return "null";
    }
    if (text.length() <= MAX || position < 0) {
      return of(text);
    }
    int p = Math.min(position, text.length());
    int start = Math.max(0, p - MAX / 2);
    int end = Math.min(text.length(), start + MAX);
    start = Math.max(0, end - MAX);
    StringBuilder out = new StringBuilder();
    if (start > 0) {
      out.append("…");
    }
    out.append(clean(text.substring(start, end)));
    if (end < text.length()) {
      out.append("…");
    }
    return out.append(" (").append(text.length()).append(" characters)").toString();
  }

  private static String clean(String text) {
    return text;
  }
}
