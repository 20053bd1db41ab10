package dev.accretion.python.lock;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep508.Marker;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.pep508.MarkerEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An environment marker as lock files write it, evaluated with the set semantics that lock files
 * need and plain PEP 508 evaluation lacks:
 *
 * <ul>
 *   <li>PEP 751 adds the variables {@code extras} and {@code dependency_groups}, sets compared with
 *       {@code "name" in extras} / {@code "name" not in dependency_groups} (names PEP 685/503
 *       normalized on both sides);
 *   <li>uv.lock encodes conflicting extras and groups as values of {@code extra} ({@code extra ==
 *       'extra-7-project-cpu'}) meaning "is active", so there {@code extra} is a set too: {@code
 *       ==} is membership and {@code !=} its negation.
 * </ul>
 *
 * Every other comparison is evaluated by {@link Marker}, so it behaves exactly as {@code packaging}
 * does. The whole text is validated by {@link Marker#parse} first. Immutable and thread-safe.
 */
final class LockMarker {
  private static final Set<String> SET_VARIABLES = Set.of("extras", "dependency_groups");

  /** A parsed boolean structure whose leaves are comparisons. */
  private sealed interface Node permits And, Or, Atom {}

  private record And(List<Node> items) implements Node {}

  private record Or(List<Node> items) implements Node {}

  /**
   * {@code left op right}; {@code marker} is the comparison alone, for leaves Marker evaluates.
   *
   * @param variable the set variable compared (extras, dependency_groups, extra), or null
   * @param variableLeft whether the variable is the left operand
   * @param value the string compared with it
   */
  private record Atom(String variable, boolean variableLeft, String op, String value, Marker marker)
      implements Node {}

  private final String text;
  private final Marker marker;
  private final Node root;
  private final boolean mentionsSets;
  private final boolean mentionsExtra;

  private LockMarker(String text, Marker marker, Node root, boolean sets, boolean extra) {
    this.text = text;
    this.marker = marker;
    this.root = root;
    this.mentionsSets = sets;
    this.mentionsExtra = extra;
  }

  /**
   * Parses a marker.
   *
   * @throws ParseException when {@code packaging} would reject the text
   */
  static LockMarker parse(String text) throws ParseException {
    Marker whole = Marker.parse(text);
    Parser parser = new Parser(text);
    Node root = parser.or();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      // Marker.parse accepted it, so this parser is missing a case: fail loudly, not silently
      throw new ParseException("marker", text, parser.pos, "unexpected text");
    }
    return new LockMarker(text, whole, root, parser.sets, parser.extra);
  }

  /**
   * Evaluates the marker.
   *
   * @param extraValues the values {@code extra} takes
   * @param extraIsSet true to treat {@code extra} as a set (uv's conflict markers: {@code ==} is
   *     membership); false for PEP 508's rule (true if the marker holds for any one value, or for
   *     {@code ""} when there is none)
   * @param extras the PEP 751 {@code extras} set
   * @param groups the PEP 751 {@code dependency_groups} set
   * @throws MarkerEvaluationException when a comparison is undefined
   */
  boolean evaluate(
      MarkerEnvironment environment,
      Set<String> extraValues,
      boolean extraIsSet,
      Set<String> extras,
      Set<String> groups) {
    if (!mentionsSets && !(extraIsSet && mentionsExtra)) {
      return marker.evaluate(environment, extraValues);
    }
    if (extraIsSet || extraValues.isEmpty()) {
      return eval(root, environment, "", extraIsSet ? extraValues : Set.of(), extras, groups);
    }
    for (String value : extraValues) {
      if (eval(root, environment, value, Set.of(), extras, groups)) {
        return true;
      }
    }
    return false;
  }

  private boolean eval(
      Node node,
      MarkerEnvironment environment,
      String extra,
      Set<String> extraSet,
      Set<String> extras,
      Set<String> groups) {
    switch (node) {
      case And and -> {
        boolean all = true;
        for (Node item : and.items()) {
          // evaluate every item, as packaging does, so an undefined comparison always fails
          all &= eval(item, environment, extra, extraSet, extras, groups);
        }
        return all;
      }
      case Or or -> {
        boolean any = false;
        for (Node item : or.items()) {
          any |= eval(item, environment, extra, extraSet, extras, groups);
        }
        return any;
      }
      case Atom atom -> {
        if (atom.variable() == null) {
          return atom.marker().evaluate(environment, extra);
        }
        Set<String> set =
            switch (atom.variable()) {
              case "extras" -> extras;
              case "dependency_groups" -> groups;
              default -> extraSet;
            };
        boolean member = contains(set, atom.value());
        if (atom.variable().equals("extra")) {
          // uv: extra == 'extra-7-project-cpu' means "that extra is active"
          return atom.op().equals("==") == member;
        }
        if (atom.variableLeft()) {
          throw new MarkerEvaluationException(
              "cannot evaluate marker '"
                  + text
                  + "': the set '"
                  + atom.variable()
                  + "' must be on the right ('\"name\" in "
                  + atom.variable()
                  + "')");
        }
        // packaging compares a string with a set: only 'in' and 'not in' can be true, '==' never
        return switch (atom.op()) {
          case "in" -> member;
          case "not in" -> !member;
          case "==" -> false;
          case "!=" -> true;
          default ->
              throw new MarkerEvaluationException(
                  "cannot evaluate marker '"
                      + text
                      + "': '"
                      + atom.op()
                      + "' is undefined for the set '"
                      + atom.variable()
                      + "' (use 'in' or 'not in')");
        };
      }
    }
  }

  private static boolean contains(Set<String> set, String value) {
    String wanted = PackageName.normalize(value);
    for (String s : set) {
      if (PackageName.normalize(s).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the text compares anything with {@code extras} or {@code dependency_groups}. */
  boolean mentionsSets() {
    return mentionsSets;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive descent over PEP 508's marker grammar (the text is already known to be valid). */
  private static final class Parser {
    final String text;
    int pos;
    boolean sets;
    boolean extra;

    Parser(String text) {
      this.text = text;
    }

    Node or() throws ParseException {
      List<Node> items = new ArrayList<>();
      items.add(and());
      while (keyword("or")) {
        items.add(and());
      }
      return items.size() == 1 ? items.get(0) : new Or(items);
    }

    Node and() throws ParseException {
      List<Node> items = new ArrayList<>();
      items.add(atom());
      while (keyword("and")) {
        items.add(atom());
      }
      return items.size() == 1 ? items.get(0) : new And(items);
    }

    Node atom() throws ParseException {
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == '(') {
        pos++;
        Node inner = or();
        skipSpace();
        expect(')');
        return inner;
      }
      int start = pos;
      String[] left = operand();
      String op = operator();
      String[] right = operand();
      String comparison = text.substring(start, pos);
      String variable = null;
      String value = null;
      String leftVar = left[0].equals("var") ? left[1] : null;
      String rightVar = right[0].equals("var") ? right[1] : null;
      for (String candidate : new String[] {rightVar, leftVar}) {
        if (candidate != null && SET_VARIABLES.contains(candidate)) {
          sets = true;
          variable = candidate;
        }
      }
      if (variable == null && ("extra".equals(leftVar) || "extra".equals(rightVar))) {
        extra = true;
        if (op.equals("==") || op.equals("!=")) {
          variable = "extra";
        }
      }
      if (variable != null) {
        boolean onLeft = !variable.equals(rightVar);
        value = onLeft ? right[1] : left[1];
        return new Atom(variable, onLeft, op, value, null);
      }
      return new Atom(null, false, op, null, Marker.parse(comparison));
    }

    /** {"var", name} or {"str", value}. */
    String[] operand() throws ParseException {
      skipSpace();
      if (pos >= text.length()) {
        throw new ParseException("marker", text, pos, "expected a variable or a string");
      }
      char c = text.charAt(pos);
      if (c == '"' || c == '\'') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw new ParseException("marker", text, pos, "unterminated string");
        }
        String value = text.substring(pos + 1, end);
        pos = end + 1;
        return new String[] {"str", value};
      }
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos))
              || text.charAt(pos) == '_'
              || text.charAt(pos) == '.')) {
        pos++;
      }
      if (start == pos) {
        throw new ParseException("marker", text, pos, "expected a variable or a string");
      }
      return new String[] {"var", text.substring(start, pos)};
    }

    String operator() throws ParseException {
      skipSpace();
      for (String op : new String[] {"===", "==", "~=", "!=", "<=", ">=", "<", ">"}) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      if (keyword("in")) {
        return "in";
      }
      if (keyword("not")) {
        if (keyword("in")) {
          return "not in";
        }
      }
      throw new ParseException("marker", text, pos, "expected an operator");
    }

    boolean keyword(String word) {
      skipSpace();
      if (text.startsWith(word, pos)) {
        int end = pos + word.length();
        if (end == text.length()
            || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          pos = end;
          return true;
        }
      }
      return false;
    }

    void expect(char c) throws ParseException {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw new ParseException("marker", text, pos, "expected '" + c + "'");
      }
      pos++;
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }
  }
}
