package dev.accretion.python.pep508;

import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser of PEP 508 dependency specifiers and marker expressions with the
 * grammar, whitespace rules and error messages of {@code packaging} 26.2's {@code _parser}.
 */
final class DependencyParser {
  /**
   * How deep marker parentheses may nest. {@code packaging} has no limit of its own but stops at
   * Python's recursion limit; a bound here keeps hostile input from overflowing the stack.
   */
  static final int MAX_NESTING = 100;

  private final Tokenizer t;
  private int depth;

  private DependencyParser(Tokenizer tokenizer) {
    this.t = tokenizer;
  }

  /** The pieces of a requirement, before they are checked and normalized. */
  record Parsed(
      String name,
      List<String> extras,
      String specifier,
      String url,
      Marker.Expression marker,
      int specifierStart) {}

  static Parsed requirement(String source) throws ParseException {
    DependencyParser p = new DependencyParser(new Tokenizer(source, "requirement"));
    return p.requirement();
  }

  static Marker.Expression marker(String source) throws ParseException {
    DependencyParser p = new DependencyParser(new Tokenizer(source, "marker"));
    Marker.Expression expression = p.markerExpression();
    if (!p.t.atEnd()) {
      throw p.t.error("Expected end of marker expression");
    }
    return expression;
  }

  // requirement = WS? IDENTIFIER WS? extras WS? requirement_details
  private Parsed requirement() throws ParseException {
    t.skipWhitespace();
    int end = t.identifier();
    if (end < 0) {
      throw t.error("Expected package name at the start of dependency specifier");
    }
    String name = t.take(end);
    t.skipWhitespace();
    List<String> extras = extras();
    t.skipWhitespace();

    String specifier = "";
    String url = "";
    Marker.Expression marker = null;
    int specifierStart = -1;
    if (t.consume('@')) {
      t.skipWhitespace();
      int urlStart = t.position;
      int urlEnd = t.url();
      if (urlEnd < 0) {
        throw t.error("Expected URL after @");
      }
      url = t.take(urlEnd);
      if (!t.atEnd()) {
        if (!t.peekWhitespace()) {
          throw t.error("Expected whitespace after URL");
        }
        t.skipWhitespace();
        if (!t.atEnd()) {
          marker = requirementMarker(urlStart, "semicolon (after URL and whitespace)");
        }
      }
    } else {
      specifierStart = t.position;
      specifier = specifier();
      t.skipWhitespace();
      if (!t.atEnd()) {
        marker =
            requirementMarker(
                specifierStart,
                specifier.isEmpty()
                    ? "semicolon (after name with no version specifier)"
                    : "comma (within version specifier), semicolon (after version specifier)");
      }
    }
    if (!t.atEnd()) {
      throw t.error("Expected end of dependency specifier");
    }
    return new Parsed(name, extras, specifier, url, marker, specifierStart);
  }

  // requirement_marker = SEMICOLON marker WS?
  private Marker.Expression requirementMarker(int spanStart, String expected)
      throws ParseException {
    if (!t.consume(';')) {
      throw t.error("Expected " + expected + " or end", spanStart, t.position);
    }
    Marker.Expression marker = markerExpression();
    t.skipWhitespace();
    return marker;
  }

  // extras = (LEFT_BRACKET wsp* extras_list? wsp* RIGHT_BRACKET)?
  private List<String> extras() throws ParseException {
    List<String> extras = new ArrayList<>();
    if (!t.peek('[')) {
      return extras;
    }
    int open = t.position;
    t.consume('[');
    t.skipWhitespace();
    int end = t.identifier();
    if (end >= 0) {
      extras.add(t.take(end));
      while (true) {
        t.skipWhitespace();
        if (t.identifier() >= 0) {
          throw t.error("Expected comma between extra names");
        }
        if (!t.consume(',')) {
          break;
        }
        t.skipWhitespace();
        end = t.identifier();
        if (end < 0) {
          throw t.error("Expected extra name after comma");
        }
        extras.add(t.take(end));
      }
    }
    t.skipWhitespace();
    if (!t.consume(']')) {
      throw t.error(
          "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", open, t.position);
    }
    return extras;
  }

  // specifier = LEFT_PARENTHESIS WS? version_many WS? RIGHT_PARENTHESIS | WS? version_many WS?
  private String specifier() throws ParseException {
    int open = t.peek('(') ? t.position : -1;
    if (open >= 0) {
      t.consume('(');
    }
    t.skipWhitespace();
    String specifiers = versionMany();
    t.skipWhitespace();
    if (open >= 0 && !t.consume(')')) {
      throw t.error(
          "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier",
          open,
          t.position);
    }
    return specifiers;
  }

  // version_many = (SPECIFIER (WS? COMMA WS? SPECIFIER)*)?
  private String versionMany() throws ParseException {
    StringBuilder specifiers = new StringBuilder();
    int end;
    while ((end = t.specifier()) >= 0) {
      int spanStart = t.position;
      specifiers.append(t.take(end));
      if (t.peekPrefixTrail()) {
        throw t.error(
            ".* suffix can only be used with `==` or `!=` operators", spanStart, t.position + 1);
      }
      if (t.peekLocalTrail()) {
        throw t.error(
            "Local version label can only be used with `==` or `!=` operators",
            spanStart,
            t.position);
      }
      t.skipWhitespace();
      if (!t.consume(',')) {
        break;
      }
      specifiers.append(',');
      t.skipWhitespace();
    }
    return specifiers.toString();
  }

  // marker = marker_atom (BOOLOP marker_atom)*
  private Marker.Expression markerExpression() throws ParseException {
    List<Object> items = new ArrayList<>();
    items.add(markerAtom());
    while (true) {
      int end = t.keyword("or");
      if (end < 0) {
        end = t.keyword("and");
      }
      if (end < 0) {
        break;
      }
      items.add(t.take(end));
      items.add(markerAtom());
    }
    return new Marker.Expression(items);
  }

  // marker_atom = WS? LEFT_PARENTHESIS WS? marker WS? RIGHT_PARENTHESIS WS? | WS? marker_item WS?
  private Object markerAtom() throws ParseException {
    t.skipWhitespace();
    Object atom;
    if (t.peek('(')) {
      int open = t.position;
      if (++depth > MAX_NESTING) {
        throw t.error("parentheses nested more than " + MAX_NESTING + " deep in a marker");
      }
      t.consume('(');
      t.skipWhitespace();
      atom = markerExpression();
      depth--;
      t.skipWhitespace();
      if (!t.consume(')')) {
        throw t.error(
            "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression",
            open,
            t.position);
      }
    } else {
      atom = markerItem();
    }
    t.skipWhitespace();
    return atom;
  }

  // marker_item = WS? marker_var WS? marker_op WS? marker_var WS?
  private Marker.Comparison markerItem() throws ParseException {
    t.skipWhitespace();
    Marker.Operand left = markerVar();
    t.skipWhitespace();
    String op = markerOp();
    t.skipWhitespace();
    Marker.Operand right = markerVar();
    t.skipWhitespace();
    return new Marker.Comparison(left, op, right);
  }

  // marker_var = VARIABLE | QUOTED_STRING
  private Marker.Operand markerVar() throws ParseException {
    int end = t.variable();
    if (end >= 0) {
      String name = t.take(end).replace('.', '_');
      if (name.equals("python_implementation")) {
        name = "platform_python_implementation";
      }
      return new Marker.Operand(true, name);
    }
    end = t.quotedString();
    if (end >= 0) {
      int start = t.position;
      String literal = t.take(end);
      try {
        return new Marker.Operand(false, PythonStringLiteral.evaluate(literal));
      } catch (PythonStringLiteral.InvalidLiteral e) {
        throw new ParseException(t.what, t.source, start + e.offset, e.getMessage());
      }
    }
    throw t.error("Expected a marker variable or quoted string");
  }

  // marker_op = IN | NOT IN | OP
  private String markerOp() throws ParseException {
    int end = t.keyword("in");
    if (end >= 0) {
      t.take(end);
      return "in";
    }
    end = t.keyword("not");
    if (end >= 0) {
      t.take(end);
      if (!t.peekWhitespace()) {
        throw t.error("Expected whitespace after 'not'");
      }
      t.skipWhitespace();
      end = t.keyword("in");
      if (end < 0) {
        throw t.error("Expected 'in' after 'not'");
      }
      t.take(end);
      return "not in";
    }
    end = t.operator();
    if (end >= 0) {
      return t.take(end);
    }
    throw t.error("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
  }
}
