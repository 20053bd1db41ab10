package dev.accretion.python.index;

import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An INI file read with the exact rules of Python's {@code configparser.RawConfigParser} with its
 * defaults, which is what pip uses for {@code pip.conf}: full-line comments ({@code #}, {@code ;}),
 * no inline comments, {@code =} or {@code :} delimiters, lower-cased option names, case-sensitive
 * section names, indented continuation lines (empty lines inside a value kept), a {@code [DEFAULT]}
 * section whose options appear in every section, and strict duplicate checks. Immutable.
 */
final class IniFile {
  static final String DEFAULT_SECTION = "DEFAULT";

  private final Map<String, String> defaults;
  private final Map<String, Map<String, String>> sections;

  private IniFile(Map<String, String> defaults, Map<String, Map<String, String>> sections) {
    this.defaults = defaults;
    this.sections = sections;
  }

  /** Section names in file order, without {@code DEFAULT} (as {@code parser.sections()}). */
  List<String> sections() {
    return List.copyOf(sections.keySet());
  }

  /**
   * The options of a section with the defaults merged in, in the order {@code parser.items()} gives
   * them: the defaults first, then the section's own options.
   */
  Map<String, String> items(String section) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    merged.putAll(sections.getOrDefault(section, Map.of()));
    return merged;
  }

  /**
   * Parses the text of an INI file.
   *
   * @param name the file name, for messages
   * @throws ParseException on a line that is neither a section, an option nor a continuation, on
   *     options before the first section, and on duplicate sections or options in one file
   */
  static IniFile parse(String text, String name) throws ParseException {
    // Python reads text files with universal newlines: \r\n and \r become \n, and only \n
    // separates lines.
    String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
    List<String> lines = splitLines(normalized);
    Map<String, List<String>> defaultValues = new LinkedHashMap<>();
    Map<String, Map<String, List<String>>> sectionValues = new LinkedHashMap<>();
    Set<String> added = new LinkedHashSet<>();
    Map<String, List<String>> current = null;
    String sectionName = null;
    String option = null;
    int indentLevel = 0;
    ParseException firstError = null;
    int lineNumber = 0;
    for (String line : lines) {
      lineNumber++;
      String where = "pip configuration file " + name + " line " + lineNumber;
      boolean comment = false;
      String stripped = strip(line);
      if (stripped.startsWith("#") || stripped.startsWith(";")) {
        comment = true;
      }
      String value = comment ? "" : stripped;
      if (value.isEmpty()) {
        // empty_lines_in_values=True: a blank line (not a comment) belongs to the value being read
        if (!comment && current != null && option != null && !option.isEmpty()) {
          List<String> parts = current.get(option);
          if (parts != null) {
            parts.add("");
          }
        }
        continue;
      }
      int indent = firstNonSpace(line);
      if (current != null && option != null && !option.isEmpty() && indent > indentLevel) {
        current.get(option).add(value);
        continue;
      }
      indentLevel = indent;
      int close = value.lastIndexOf(']');
      if (value.startsWith("[") && close >= 2) {
        sectionName = value.substring(1, close);
        if (sectionValues.containsKey(sectionName)) {
          if (added.contains("[" + sectionName)) {
            throw new ParseException(
                where, line, indent, "section [" + sectionName + "] appears twice");
          }
          current = sectionValues.get(sectionName);
          added.add("[" + sectionName);
        } else if (sectionName.equals(DEFAULT_SECTION)) {
          current = defaultValues;
        } else {
          current = new LinkedHashMap<>();
          sectionValues.put(sectionName, current);
          added.add("[" + sectionName);
        }
        option = null;
        continue;
      }
      if (current == null) {
        throw new ParseException(
            where, line, indent, "the file must start with a section header such as [global]");
      }
      int delimiter = firstDelimiter(value);
      if (delimiter < 0) {
        if (firstError == null) {
          firstError =
              new ParseException(
                  where,
                  line,
                  indent,
                  "expected 'name = value', a [section] or an indented continuation line");
        }
        continue;
      }
      String rawName = rstrip(value.substring(0, delimiter));
      if (rawName.isEmpty() && firstError == null) {
        firstError = new ParseException(where, line, indent, "option without a name");
      }
      option = rawName.toLowerCase(Locale.ROOT);
      String key = sectionName + "\u0000" + option;
      if (added.contains(key)) {
        throw new ParseException(
            where,
            line,
            indent,
            "option '" + option + "' appears twice in section [" + sectionName + "]");
      }
      added.add(key);
      List<String> parts = new ArrayList<>();
      parts.add(strip(value.substring(delimiter + 1)));
      current.put(option, parts);
    }
    if (firstError != null) {
      throw firstError;
    }
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sectionValues.forEach((section, options) -> sections.put(section, join(options)));
    return new IniFile(join(defaultValues), sections);
  }

  private static Map<String, String> join(Map<String, List<String>> options) {
    Map<String, String> joined = new LinkedHashMap<>();
    options.forEach((key, parts) -> joined.put(key, rstrip(String.join("\n", parts))));
    return joined;
  }

  private static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        lines.add(text.substring(start));
        break;
      }
      lines.add(text.substring(start, end));
      start = end + 1;
    }
    return lines;
  }

  /** The option/value split of {@code OPTCRE}: the first {@code =} or {@code :}. */
  private static int firstDelimiter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '=' || c == ':') {
        return i;
      }
    }
    return -1;
  }

  private static int firstNonSpace(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (!isSpace(line.charAt(i))) {
        return i;
      }
    }
    return 0;
  }

  /** Python's {@code str.isspace()} for one character. */
  static boolean isSpace(char c) {
    return switch (c) {
      case ' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f' -> true;
      case '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
      default -> c >= '\u2000' && c <= '\u200a';
    };
  }

  /** Python's {@code str.strip()}. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  static String rstrip(String text) {
    int end = text.length();
    while (end > 0 && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** Python's {@code str.split()} without arguments: runs of whitespace separate, none empty. */
  static List<String> splitWhitespace(String text) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        parts.add(text.substring(start, i));
      }
    }
    return parts;
  }
}
