package dev.accretion.python.index;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTML character references decoded as HTML5 defines them and exactly as Python's {@code
 * html.unescape} (which pip's page parser applies to attribute values) decodes them: every named
 * reference of the WHATWG table, with and without the semicolon where the table allows it, the
 * longest legacy name that prefixes an unknown one ({@code &notit;} is {@code ¬it;}), decimal and
 * hexadecimal references with or without the semicolon, the Windows-1252 replacements for
 * 0x80–0x9F, U+FFFD for NUL, surrogates and values past U+10FFFF, and nothing for the code points
 * HTML forbids.
 *
 * <p>The named table is {@code html5-entities.tsv}, generated from Python's {@code
 * html.entities.html5} by {@code accretion-python/src/build/gen-html5-entities.py}; it is read on
 * the first named reference. Thread-safe.
 */
final class HtmlEntities {
  /** Python's {@code html._invalid_charrefs}: the spec's numeric reference replacements. */
  private static final Map<Integer, String> INVALID_CHARREFS = invalidCharrefs();

  /** The longest name in the table, without its semicolon (Python's pattern allows 32). */
  private static final int MAX_NAME = 32;

  private static volatile Map<String, String> named;

  private HtmlEntities() {}

  static String unescape(String text) {
    int amp = text.indexOf('&');
    if (amp < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, amp);
    int i = amp;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '&') {
        out.append(c);
        i++;
        continue;
      }
      int consumed = reference(text, i, out);
      if (consumed == 0) {
        out.append('&');
        i++;
      } else {
        i += consumed;
      }
    }
    return out.toString();
  }

  /**
   * Python's {@code _charref} pattern at {@code amp}: {@code &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n
   * \f <&#;]{1,32};?)}, decoded into {@code out}; returns the characters matched, 0 for no match.
   */
  private static int reference(String text, int amp, StringBuilder out) {
    int n = text.length();
    int i = amp + 1;
    if (i < n && text.charAt(i) == '#') {
      int j = i + 1;
      boolean hex = j < n && (text.charAt(j) == 'x' || text.charAt(j) == 'X');
      int start = hex ? j + 1 : j;
      int k = start;
      while (k < n && (hex ? isHexDigit(text.charAt(k)) : isDigit(text.charAt(k)))) {
        k++;
      }
      if (k == start) {
        // "&#" or "&#x" without digits: the third alternative can't start with '#' either
        return 0;
      }
      out.append(numeric(text.substring(start, k), hex ? 16 : 10));
      if (k < n && text.charAt(k) == ';') {
        k++;
      }
      return k - amp;
    }
    int start = i;
    int k = start;
    // Python counts code points, not UTF-16 units
    for (int count = 0; k < n && count < MAX_NAME; count++) {
      int cp = text.codePointAt(k);
      if (!isNameChar(cp)) {
        break;
      }
      k += Character.charCount(cp);
    }
    if (k == start) {
      return 0;
    }
    boolean semicolon = k < n && text.charAt(k) == ';';
    String s = text.substring(start, k) + (semicolon ? ";" : "");
    Map<String, String> table = table();
    String replacement = table.get(s);
    if (replacement != null) {
      out.append(replacement);
      return s.length() + 1;
    }
    // the longest name of at least two characters that prefixes the reference (no semicolon:
    // only the legacy names can match); the rest is kept as it is
    for (int x = s.length() - 1; x > 1; x--) {
      replacement = table.get(s.substring(0, x));
      if (replacement != null) {
        out.append(replacement).append(s, x, s.length());
        return s.length() + 1;
      }
    }
    out.append('&').append(s);
    return s.length() + 1;
  }

  /** Python's {@code _replace_charref} for a numeric reference. */
  private static String numeric(String digits, int radix) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    String significant = digits.substring(first);
    // past eight hex or decimal digits the value is above U+10FFFF whatever it is
    if (significant.length() > 8) {
      return "\uFFFD";
    }
    long num = Long.parseLong(significant, radix);
    String invalid = INVALID_CHARREFS.get((int) num);
    if (invalid != null) {
      return invalid;
    }
    if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
      return "\uFFFD";
    }
    if (isInvalidCodePoint((int) num)) {
      return "";
    }
    return new String(Character.toChars((int) num));
  }

  /** Python's {@code html._invalid_codepoints}. */
  private static boolean isInvalidCodePoint(int cp) {
    return (cp >= 0x1 && cp <= 0x8)
        || cp == 0xB
        || (cp >= 0xE && cp <= 0x1F)
        || (cp >= 0x7F && cp <= 0x9F)
        || (cp >= 0xFDD0 && cp <= 0xFDEF)
        || (cp & 0xFFFE) == 0xFFFE;
  }

  private static Map<Integer, String> invalidCharrefs() {
    Map<Integer, String> m = new HashMap<>();
    m.put(0x00, "\uFFFD");
    m.put(0x0D, "\r");
    int[][] windows1252 = {
      {0x80, 0x20AC}, {0x81, 0x81}, {0x82, 0x201A}, {0x83, 0x0192}, {0x84, 0x201E},
      {0x85, 0x2026}, {0x86, 0x2020}, {0x87, 0x2021}, {0x88, 0x02C6}, {0x89, 0x2030},
      {0x8A, 0x0160}, {0x8B, 0x2039}, {0x8C, 0x0152}, {0x8D, 0x8D}, {0x8E, 0x017D},
      {0x8F, 0x8F}, {0x90, 0x90}, {0x91, 0x2018}, {0x92, 0x2019}, {0x93, 0x201C},
      {0x94, 0x201D}, {0x95, 0x2022}, {0x96, 0x2013}, {0x97, 0x2014}, {0x98, 0x02DC},
      {0x99, 0x2122}, {0x9A, 0x0161}, {0x9B, 0x203A}, {0x9C, 0x0153}, {0x9D, 0x9D},
      {0x9E, 0x017E}, {0x9F, 0x0178}
    };
    for (int[] pair : windows1252) {
      m.put(pair[0], String.valueOf((char) pair[1]));
    }
    return Map.copyOf(m);
  }

  /** Names in the table, with their replacement text. */
  static Map<String, String> table() {
    Map<String, String> t = named;
    if (t == null) {
      synchronized (HtmlEntities.class) {
        t = named;
        if (t == null) {
          t = load();
          named = t;
        }
      }
    }
    return t;
  }

  private static Map<String, String> load() {
    Map<String, String> m = new HashMap<>(4096);
    try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv")) {
      if (in == null) {
        throw new IllegalStateException("html5-entities.tsv is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        StringBuilder value = new StringBuilder(2);
        for (String hex : line.substring(tab + 1).split(" ")) {
          value.appendCodePoint(Integer.parseInt(hex, 16));
        }
        m.put(line.substring(0, tab), value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(m);
  }

  private static boolean isNameChar(int c) {
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#'
        && c != ';';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
