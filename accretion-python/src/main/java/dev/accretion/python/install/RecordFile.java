package dev.accretion.python.install;

import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A wheel's {@code .dist-info/RECORD} (PEP 376, PEP 427, PEP 627): one CSV row per file, {@code
 * path,hash,size}, where hash is {@code <algorithm>=<urlsafe base64 without padding>} and both hash
 * and size are empty for RECORD itself. Read with the rules of Python's {@code csv} module in its
 * default dialect, which is what installers and wheel builders use: fields separated by commas,
 * optionally enclosed in double quotes (a doubled quote inside stands for one), lines ending in LF
 * or CRLF. Immutable.
 *
 * @param rows the rows in file order
 */
public record RecordFile(List<Row> rows) {

  /**
   * One row.
   *
   * @param path the path as written (relative to the folder the wheel installs into)
   * @param hash the hash field as written ({@code sha256=...}), empty when absent
   * @param size the size field as written, empty when absent
   * @param line the 1-based line it starts on, for messages
   */
  public record Row(String path, String hash, String size, int line) {
    public Row {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(size, "size");
    }
  }

  public RecordFile {
    rows = List.copyOf(rows);
  }

  /**
   * Parses RECORD text.
   *
   * @param what names the file in messages, e.g. {@code foo-1.0.dist-info/RECORD}
   * @throws ParseException on an unterminated quote, text after a closing quote, or a row with
   *     other than three fields (an empty line is skipped, as {@code csv} yields no row for it)
   */
  public static RecordFile parse(String text, String what) throws ParseException {
    List<Row> rows = new ArrayList<>();
    int i = 0;
    int line = 1;
    int n = text.length();
    while (i < n) {
      int rowLine = line;
      int rowStart = i;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean endOfRow = false;
      boolean sawAnything = false;
      while (!endOfRow) {
        if (i >= n) {
          fields.add(field.toString());
          break;
        }
        char c = text.charAt(i);
        if (c == '"' && field.isEmpty()) {
          // quoted field
          sawAnything = true;
          i++;
          while (true) {
            if (i >= n) {
              throw new ParseException(
                  what + " line " + rowLine,
                  lineText(text, rowStart),
                  0,
                  "a quoted field is not closed");
            }
            char q = text.charAt(i);
            if (q == '"') {
              if (i + 1 < n && text.charAt(i + 1) == '"') {
                field.append('"');
                i += 2;
                continue;
              }
              i++;
              break;
            }
            if (q == '\n') {
              line++;
            }
            field.append(q);
            i++;
          }
          if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            throw new ParseException(
                what + " line " + line,
                lineText(text, rowStart),
                i - rowStart,
                "text after the closing quote of a field");
          }
          continue;
        }
        if (c == ',') {
          sawAnything = true;
          fields.add(field.toString());
          field.setLength(0);
          i++;
        } else if (c == '\r' || c == '\n') {
          fields.add(field.toString());
          if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
            i++;
          }
          i++;
          line++;
          endOfRow = true;
        } else {
          sawAnything = true;
          field.append(c);
          i++;
        }
      }
      if (!sawAnything && fields.size() == 1 && fields.get(0).isEmpty()) {
        continue; // an empty line
      }
      if (fields.size() != 3) {
        throw new ParseException(
            what + " line " + rowLine,
            lineText(text, rowStart),
            0,
            "expected 3 fields (path,hash,size), found " + fields.size());
      }
      rows.add(new Row(fields.get(0), fields.get(1), fields.get(2), rowLine));
    }
    return new RecordFile(rows);
  }

  private static String lineText(String text, int start) {
    int end = start;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return text.substring(start, end);
  }

  /**
   * Writes rows as Python's {@code csv.writer} does with {@code lineterminator="\n"}: a field is
   * quoted only when it holds a comma, a quote or a line break (quotes inside doubled).
   */
  public static String write(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    for (Row row : rows) {
      out.append(quote(row.path()))
          .append(',')
          .append(quote(row.hash()))
          .append(',')
          .append(quote(row.size()))
          .append('\n');
    }
    return out.toString();
  }

  private static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /** The rows in a new list sorted by path (as UTF-16 strings; paths are compared exactly). */
  public List<Row> sortedByPath() {
    List<Row> sorted = new ArrayList<>(rows);
    Collections.sort(sorted, (a, b) -> a.path().compareTo(b.path()));
    return sorted;
  }
}
