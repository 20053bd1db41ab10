package dev.accretion.python.pep508;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.Specifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PEP 508 environment marker such as {@code python_version >= "3.9" and platform_machine ==
 * "x86_64"}, parsed, printed and evaluated exactly as {@code packaging.markers.Marker} 26.2 does.
 *
 * <p>Evaluation: for {@code python_version}, {@code python_full_version}, {@code
 * implementation_version} and {@code platform_release}, if the operator and the other side form a
 * valid PEP 440 specifier the comparison is a version comparison (pre-releases allowed; a value
 * that is not a version then never matches); otherwise, and for every other variable, values are
 * compared as strings: {@code ==}, {@code <=} and {@code >=} are string equality, {@code !=} its
 * negation, {@code <} and {@code >} are false, {@code in} and {@code not in} test substrings, and
 * {@code ~=} and {@code ===} are undefined ({@link MarkerEvaluationException}). {@code extra} is
 * compared after PEP 685 normalization on both sides ({@code packaging} normalizes the marker's
 * side only for comparisons that are not inside parentheses; this class does the same). Every
 * comparison is evaluated (no short-circuit), so an undefined one fails the evaluation wherever it
 * is.
 *
 * <p>{@link #toString()} is {@code str(Marker(...))}: single spaces, double quotes, variables with
 * their canonical names, redundant parentheses dropped. Equality compares that text.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Marker {
  private static final Set<String> VERSION_VARIABLES =
      Set.of("implementation_version", "platform_release", "python_full_version", "python_version");
  private static final Set<String> SET_VARIABLES = Set.of("extras", "dependency_groups");

  /** A variable (by canonical name) or a string value. */
  record Operand(boolean variable, String value) {
    String serialize() {
      return variable ? value : '"' + value + '"';
    }

    boolean isVariable(String name) {
      return variable && value.equals(name);
    }
  }

  /**
   * {@code left op right}. When the left side is a variable, the version specifier {@code op +
   * right} is parsed once here instead of at every evaluation.
   */
  static final class Comparison {
    final Operand left;
    final String op;
    final Operand right;
    private final Specifier specifier;

    Comparison(Operand left, String op, Operand right) {
      this.left = left;
      this.op = op;
      this.right = right;
      Specifier s = null;
      if (left.variable() && VERSION_VARIABLES.contains(left.value())) {
        try {
          s = Specifier.parse(op + right.value());
        } catch (ParseException e) {
          s = null;
        }
      }
      this.specifier = s;
    }

    String format() {
      return left.serialize() + " " + op + " " + right.serialize();
    }
  }

  /** Atoms ({@link Comparison} or nested {@link Expression}) separated by "and" / "or". */
  record Expression(List<Object> items) {
    Expression {
      items = List.copyOf(items);
    }
  }

  private final Expression root;
  private final String text;

  private Marker(Expression root) {
    this.root = root;
    this.text = format(root, true);
  }

  /**
   * Parses a marker expression.
   *
   * @throws ParseException if {@code packaging} would reject it; the message quotes the text, gives
   *     the position and says what was expected there, in {@code packaging}'s words
   */
  public static Marker parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    return fromParsed(DependencyParser.marker(text));
  }

  /**
   * {@code packaging} normalizes the value compared with {@code extra} for top-level comparisons
   * only; a comparison inside parentheses keeps the value as written.
   */
  static Marker fromParsed(Expression parsed) {
    List<Object> items = new ArrayList<>(parsed.items().size());
    for (Object item : parsed.items()) {
      if (item instanceof Comparison c) {
        if (c.left.isVariable("extra")) {
          item = new Comparison(c.left, c.op, new Operand(false, normalize(c.right.value())));
        } else if (c.right.isVariable("extra")) {
          item = new Comparison(new Operand(false, normalize(c.left.value())), c.op, c.right);
        }
      }
      items.add(item);
    }
    return new Marker(new Expression(items));
  }

  /** PEP 503 / PEP 685 normalization, as {@code packaging.utils.canonicalize_name}. */
  static String normalize(String name) {
    return PackageName.normalize(name);
  }

  /** This marker and {@code other}, as {@code packaging}'s {@code a & b}. */
  public Marker and(Marker other) {
    return new Marker(new Expression(List.of(root, "and", other.root)));
  }

  /** This marker or {@code other}, as {@code packaging}'s {@code a | b}. */
  public Marker or(Marker other) {
    return new Marker(new Expression(List.of(root, "or", other.root)));
  }

  // ---------------------------------------------------------------------------------------------
  // Evaluation

  /**
   * Evaluates the marker for an environment with no extra requested ({@code extra} is the empty
   * string, or the environment's {@code extra} value if it has one).
   *
   * @throws MarkerEvaluationException if a comparison is undefined or uses a variable the
   *     environment lacks
   */
  public boolean evaluate(MarkerEnvironment environment) {
    String extra = environment.get("extra");
    return evaluate(environment, extra == null ? "" : extra);
  }

  /**
   * Evaluates the marker with {@code extra} set to one requested extra (normalized here).
   *
   * @throws MarkerEvaluationException as {@link #evaluate(MarkerEnvironment)}
   */
  public boolean evaluate(MarkerEnvironment environment, String extra) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(extra, "extra");
    return evaluate(root, environment, extra.isEmpty() ? "" : normalize(extra));
  }

  /**
   * Evaluates the marker the way pip selects a distribution's dependencies for a set of requested
   * extras: with no extras, as {@link #evaluate(MarkerEnvironment)}; otherwise true if it holds
   * with {@code extra} set to any one of them.
   *
   * @throws MarkerEvaluationException as {@link #evaluate(MarkerEnvironment)}
   */
  public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
    if (extras.isEmpty()) {
      return evaluate(environment, "");
    }
    for (String extra : extras) {
      if (evaluate(environment, extra)) {
        return true;
      }
    }
    return false;
  }

  private boolean evaluate(Expression expression, MarkerEnvironment environment, String extra) {
    boolean any = false;
    boolean all = true;
    for (Object item : expression.items()) {
      if (item instanceof Expression nested) {
        all &= evaluate(nested, environment, extra);
      } else if (item instanceof Comparison c) {
        all &= compare(c, environment, extra);
      } else if (item.equals("or")) {
        any |= all;
        all = true;
      }
    }
    return any | all;
  }

  private boolean compare(Comparison c, MarkerEnvironment environment, String extra) {
    String key;
    String lhs;
    String rhs;
    // packaging takes the variable's name from the left side if it is a variable, else from the
    // right side (whatever that is), and the other side's text as it is.
    if (c.left.variable()) {
      key = c.left.value();
      lhs = lookup(key, environment, extra);
      rhs = c.right.value();
    } else {
      key = c.right.value();
      lhs = c.left.value();
      rhs = lookup(key, environment, extra);
    }
    if (SET_VARIABLES.contains(key)) {
      lhs = normalize(lhs);
      rhs = normalize(rhs);
    }
    if (VERSION_VARIABLES.contains(key)) {
      Specifier specifier = c.specifier;
      if (specifier == null && !c.left.variable()) {
        try {
          specifier = Specifier.parse(c.op + rhs);
        } catch (ParseException e) {
          specifier = null;
        }
      }
      if (specifier != null) {
        return specifier.contains(lhs, Boolean.TRUE);
      }
    }
    switch (c.op) {
      case "in":
        return rhs.contains(lhs);
      case "not in":
        return !rhs.contains(lhs);
      case "<", ">":
        return false;
      case "<=", "==", ">=":
        return lhs.equals(rhs);
      case "!=":
        return !lhs.equals(rhs);
      default:
        throw new MarkerEvaluationException(
            "cannot evaluate marker '"
                + dev.accretion.python.Excerpt.of(text)
                + "': '"
                + c.op
                + "' is undefined for '"
                + dev.accretion.python.Excerpt.of(lhs)
                + "' and '"
                + dev.accretion.python.Excerpt.of(rhs)
                + "' (only version variables compare with "
                + c.op
                + ", and only when both sides are versions)");
    }
  }

  private String lookup(String key, MarkerEnvironment environment, String extra) {
    if (key.equals("extra")) {
      return extra;
    }
    String value = environment.get(key);
    if (value == null) {
      throw new MarkerEvaluationException(
          "cannot evaluate marker '"
              + dev.accretion.python.Excerpt.of(text)
              + "': it uses '"
              + key
              + "', which the marker environment does not define");
    }
    if (key.equals("python_full_version") && value.endsWith("+")) {
      // packaging repairs the '3.13.1+' of non-tagged CPython builds to a PEP 440 version.
      return value + "local";
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Extras

  /** True if the marker compares anything with {@code extra}. */
  public boolean mentionsExtra() {
    return mentions(root, "extra");
  }

  /**
   * The values the marker compares with {@code extra}, as they are compared: normalized, except
   * inside parentheses, where {@code packaging} keeps them as written (and so never matches a
   * requested extra whose normalized name differs).
   */
  public Set<String> extrasMentioned() {
    Set<String> out = new TreeSet<>();
    collectExtras(root, out);
    return Collections.unmodifiableSet(out);
  }

  private static boolean mentions(Expression expression, String variable) {
    for (Object item : expression.items()) {
      if (item instanceof Expression nested && mentions(nested, variable)) {
        return true;
      }
      if (item instanceof Comparison c
          && (c.left.isVariable(variable) || c.right.isVariable(variable))) {
        return true;
      }
    }
    return false;
  }

  private static void collectExtras(Expression expression, Set<String> out) {
    for (Object item : expression.items()) {
      if (item instanceof Expression nested) {
        collectExtras(nested, out);
      } else if (item instanceof Comparison c) {
        if (c.left.isVariable("extra") && !c.right.variable()) {
          out.add(c.right.value());
        } else if (c.right.isVariable("extra") && !c.left.variable()) {
          out.add(c.left.value());
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  private static String format(Object marker, boolean first) {
    if (marker instanceof Expression e) {
      List<Object> items = e.items();
      if (items.size() == 1) {
        return format(items.get(0), true);
      }
      StringBuilder inner = new StringBuilder();
      for (Object item : items) {
        if (inner.length() > 0) {
          inner.append(' ');
        }
        inner.append(format(item, false));
      }
      return first ? inner.toString() : "(" + inner + ")";
    }
    if (marker instanceof Comparison c) {
      return c.format();
    }
    return (String) marker;
  }

  /** The normalized text, as {@code str(packaging.markers.Marker(...))}. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Marker that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
