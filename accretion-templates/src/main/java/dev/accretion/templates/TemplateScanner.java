package dev.accretion.templates;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Finds the layer version ARNs and {@code {{accretion:NAME}}} placeholders in the scalar values of
 * a CloudFormation or SAM template, YAML or JSON, with their exact positions in the text.
 *
 * <p>Only scalars count: a comment that mentions an ARN is not a reference. In YAML the parser
 * (snakeyaml-engine, events only: no tags are resolved, so CloudFormation's short forms {@code
 * !Ref}, {@code !Sub}, {@code !GetAtt}, {@code !If}, ... are fine) gives each scalar's range in the
 * source, and the ARNs are searched in the source text of that range, so quoted, plain, flow and
 * block scalars all count. A JSON template (its first character, after white space, is {@code {})
 * is read by a string scanner of its own. Stateless and thread-safe.
 */
public final class TemplateScanner {
  private static final String SEG = "(?:\\$\\{[^}\\s]*\\}|[A-Za-z0-9-]+)";
  private static final Pattern ARN =
      Pattern.compile(
          "(?<![A-Za-z0-9_-])arn:("
              + SEG
              + "):lambda:("
              + SEG
              + "):("
              + SEG
              + "):layer:([A-Za-z0-9_-]+|\\$\\{[^}\\s]*\\}):([0-9]+)(?![A-Za-z0-9_-])");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{accretion:([^{}\\s]*)\\}\\}");

  private TemplateScanner() {}

  /** Whether a template's text is JSON: its first character other than white space is '{'. */
  public static boolean isJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFEFF' || Character.isWhitespace(c)) {
        continue;
      }
      return c == '{';
    }
    return false;
  }

  /**
   * Every reference in the template, in text order.
   *
   * @param source the file name, for messages
   * @throws AccretionException of kind {@link FailureKind#BAD_INPUT} when the text is not YAML or
   *     JSON, naming the file, line and column
   */
  public static List<TemplateReference> scan(String text, String source) throws AccretionException {
    List<int[]> ranges = isJson(text) ? jsonStrings(text, source) : yamlScalars(text, source);
    LineIndex lines = new LineIndex(text);
    List<TemplateReference> out = new ArrayList<>();
    for (int[] range : ranges) {
      Matcher m = ARN.matcher(text).region(range[0], range[1]);
      while (m.find()) {
        out.add(
            new TemplateReference(
                TemplateReference.Kind.ARN,
                m.start(),
                m.end(),
                lines.line(m.start()),
                lines.column(m.start()),
                m.group(),
                m.group(1),
                m.group(2),
                m.group(3),
                m.group(4),
                m.group(5),
                null,
                null));
      }
      Matcher p = PLACEHOLDER.matcher(text).region(range[0], range[1]);
      while (p.find()) {
        String[] parts = p.group(1).split(":", -1);
        String runtime = null;
        String arch = null;
        for (int i = 1; i < parts.length; i++) {
          if (parts[i].equals("x86_64") || parts[i].equals("arm64")) {
            arch = parts[i];
          } else {
            runtime = parts[i];
          }
        }
        out.add(
            new TemplateReference(
                TemplateReference.Kind.PLACEHOLDER,
                p.start(),
                p.end(),
                lines.line(p.start()),
                lines.column(p.start()),
                p.group(),
                null,
                null,
                null,
                parts[0],
                null,
                runtime,
                arch));
      }
    }
    out.sort(java.util.Comparator.comparingInt(TemplateReference::start));
    return out;
  }

  /** The char ranges of the scalars of a YAML text. */
  private static List<int[]> yamlScalars(String text, String source) throws AccretionException {
    // snakeyaml-engine counts code points and skips a leading BOM
    int offset = text.startsWith("\uFEFF") ? 1 : 0;
    String body = text.substring(offset);
    int[] charIndex = charIndexOfCodePoints(body);
    List<int[]> out = new ArrayList<>();
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(source).setUseMarks(true).build();
      for (Event event : new Parse(settings).parseString(body)) {
        if (event instanceof ScalarEvent scalar) {
          Mark start = scalar.getStartMark().orElseThrow();
          Mark end = scalar.getEndMark().orElseThrow();
          out.add(
              new int[] {offset + charIndex[start.getIndex()], offset + charIndex[end.getIndex()]});
        }
      }
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().orElse(e.getContextMark().orElse(null));
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          source
              + (mark == null ? "" : ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1))
              + ": not a YAML template: "
              + firstLine(e.getProblem()),
          "fix the YAML (cfn-lint or yamllint show the same place), then run again",
          e);
    } catch (YamlEngineException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          source + ": not a YAML template: " + firstLine(e.getMessage()),
          "fix the YAML, then run again",
          e);
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** char index of each code point index (one more entry for the end). */
  private static int[] charIndexOfCodePoints(String s) {
    int[] out = new int[s.codePointCount(0, s.length()) + 1];
    int cp = 0;
    for (int i = 0; i < s.length(); ) {
      out[cp++] = i;
      i += Character.charCount(s.codePointAt(i));
    }
    out[cp] = s.length();
    return out;
  }

  /** The char ranges of the contents of the strings of a JSON text (between the quotes). */
  private static List<int[]> jsonStrings(String text, String source) throws AccretionException {
    List<int[]> out = new ArrayList<>();
    LineIndex lines = new LineIndex(text);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '"') {
        i++;
        continue;
      }
      int start = i + 1;
      int j = start;
      while (true) {
        if (j >= text.length() || text.charAt(j) == '\n') {
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              source
                  + ":"
                  + lines.line(i)
                  + ":"
                  + lines.column(i)
                  + ": not a JSON template: a string is not closed",
              "fix the JSON, then run again",
              null);
        }
        char d = text.charAt(j);
        if (d == '\\') {
          j += 2;
          continue;
        }
        if (d == '"') {
          break;
        }
        j++;
      }
      out.add(new int[] {start, j});
      i = j + 1;
    }
    return out;
  }

  /** 1-based line and column of char offsets. */
  static final class LineIndex {
    private final int[] starts;

    LineIndex(String text) {
      List<Integer> s = new ArrayList<>();
      s.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          s.add(i + 1);
        }
      }
      starts = s.stream().mapToInt(Integer::intValue).toArray();
    }

    int line(int offset) {
      int idx = java.util.Arrays.binarySearch(starts, offset);
      return (idx >= 0 ? idx : -idx - 2) + 1;
    }

    int column(int offset) {
      return offset - starts[line(offset) - 1] + 1;
    }
  }
}
