package dev.accretion.node.semver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * A version range as npm reads it (node-semver 7): comparator sets joined by {@code ||}, each a
 * list of comparators that must all hold; {@code ^}, {@code ~}, x-ranges ({@code 1.x}, {@code *})
 * and hyphen ranges ({@code 1.2 - 2}) desugared exactly as node-semver does. A prerelease version
 * satisfies a range only if some comparator of the matching set names a prerelease of the same
 * {@code MAJOR.MINOR.PATCH}, unless {@code includePrerelease} is set. Immutable.
 */
public final class Range {
  private final String raw;
  private final boolean loose;
  private final boolean includePrerelease;
  private final List<List<Comparator>> set;

  /** One comparator: an operator ({@code <}, {@code <=}, {@code >}, {@code >=}, or equality). */
  record Comparator(String operator, SemVer semver) {
    /** The comparator that matches everything ({@code *}, written as the empty string). */
    static final Comparator ANY = new Comparator("", null);

    boolean isAny() {
      return semver == null;
    }

    String value() {
      return semver == null ? "" : operator + semver;
    }

    boolean test(SemVer v) {
      if (semver == null) {
        return true;
      }
      int c = v.compareTo(semver);
      return switch (operator) {
        case "" -> c == 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        default -> throw new IllegalStateException(operator);
      };
    }
  }

  private Range(String raw, boolean loose, boolean includePrerelease, List<List<Comparator>> set) {
    this.raw = raw;
    this.loose = loose;
    this.includePrerelease = includePrerelease;
    this.set = set;
  }

  /** Parses a range loosely, as npm does for dependency specs; empty when it is not a range. */
  public static Optional<Range> parse(String text) {
    return parse(text, true, false);
  }

  /**
   * Parses a range.
   *
   * @param loose node-semver's loose mode
   * @param includePrerelease whether prereleases satisfy ranges without naming them
   * @return empty when the text is not a valid range
   */
  public static Optional<Range> parse(String text, boolean loose, boolean includePrerelease) {
    if (text == null) {
      return Optional.empty();
    }
    String raw = text.strip().replaceAll("\\s+", " ");
    List<List<Comparator>> sets = new ArrayList<>();
    try {
      for (String part : raw.split("\\|\\|", -1)) {
        List<Comparator> c = parseSet(part.strip(), loose, includePrerelease);
        if (!c.isEmpty()) {
          sets.add(c);
        }
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (sets.isEmpty()) {
      return Optional.empty();
    }
    if (sets.size() > 1) {
      List<Comparator> first = sets.get(0);
      List<List<Comparator>> kept = new ArrayList<>();
      for (List<Comparator> s : sets) {
        if (!isNullSet(s.get(0))) {
          kept.add(s);
        }
      }
      if (kept.isEmpty()) {
        sets = List.of(first);
      } else {
        sets = kept;
        if (sets.size() > 1) {
          for (List<Comparator> s : sets) {
            if (s.size() == 1 && s.get(0).isAny()) {
              sets = List.of(s);
              break;
            }
          }
        }
      }
    }
    return Optional.of(new Range(raw, loose, includePrerelease, List.copyOf(sets)));
  }

  /**
   * Parses a range loosely.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static Range of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not a range: " + text));
  }

  private static boolean isNullSet(Comparator c) {
    return c.value().equals("<0.0.0-0");
  }

  private static List<Comparator> parseSet(String range, boolean loose, boolean incPr) {
    range = SemVerRegex.BUILDSTRIP.matcher(range).replaceAll("");
    Matcher hyphen =
        (loose ? SemVerRegex.HYPHENRANGELOOSE : SemVerRegex.HYPHENRANGE).matcher(range);
    if (hyphen.find()) {
      range =
          range.substring(0, hyphen.start())
              + hyphenReplace(hyphen, incPr)
              + range.substring(hyphen.end());
    }
    range = SemVerRegex.COMPARATORTRIM.matcher(range).replaceAll("$1$2$3");
    range = SemVerRegex.TILDETRIM.matcher(range).replaceAll("$1~");
    range = SemVerRegex.CARETTRIM.matcher(range).replaceAll("$1^");
    List<String> parsed = new ArrayList<>();
    for (String comp : range.split(" ", -1)) {
      parsed.add(parseComparator(comp, loose, incPr));
    }
    List<String> rangeList = new ArrayList<>();
    for (String comp : String.join(" ", parsed).split("\\s+", -1)) {
      String c = comp.strip();
      c = (incPr ? SemVerRegex.GTE0PRE : SemVerRegex.GTE0).matcher(c).replaceFirst("");
      if (loose && !SemVerRegex.COMPARATORLOOSE.matcher(c).matches()) {
        continue;
      }
      rangeList.add(c);
    }
    Map<String, Comparator> byValue = new LinkedHashMap<>();
    for (String c : rangeList) {
      Comparator comparator = comparator(c, loose);
      if (isNullSet(comparator)) {
        return List.of(comparator);
      }
      byValue.put(comparator.value(), comparator);
    }
    if (byValue.size() > 1) {
      byValue.remove("");
    }
    return List.copyOf(byValue.values());
  }

  /** node-semver's Comparator constructor; throws when the text is no comparator. */
  private static Comparator comparator(String text, boolean loose) {
    String comp = String.join(" ", text.strip().split("\\s+", -1));
    Matcher m = (loose ? SemVerRegex.COMPARATORLOOSE : SemVerRegex.COMPARATOR).matcher(comp);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid comparator: " + comp);
    }
    String operator = m.group(1) == null ? "" : m.group(1);
    if (operator.equals("=")) {
      operator = "";
    }
    if (m.group(2) == null || m.group(2).isEmpty()) {
      return Comparator.ANY;
    }
    SemVer v =
        SemVer.parse(m.group(2), loose)
            .orElseThrow(() -> new IllegalArgumentException("invalid version: " + comp));
    return new Comparator(operator, v);
  }

  private static String parseComparator(String comp, boolean loose, boolean incPr) {
    comp = SemVerRegex.BUILD_SAFE.matcher(comp).replaceFirst("");
    comp = eachWord(comp.strip(), c -> replaceCaret(c, loose, incPr));
    comp = eachWord(comp.strip(), c -> replaceTilde(c, loose, incPr));
    comp = eachWord(comp, c -> replaceXRange(c.strip(), loose, incPr));
    comp = SemVerRegex.STAR.matcher(comp.strip()).replaceFirst("");
    return comp;
  }

  private static String eachWord(String comp, Function<String, String> f) {
    List<String> out = new ArrayList<>();
    for (String c : comp.split("\\s+", -1)) {
      out.add(f.apply(c));
    }
    return String.join(" ", out);
  }

  static boolean isX(String id) {
    return id == null || id.isEmpty() || id.equalsIgnoreCase("x") || id.equals("*");
  }

  private static String plus1(String n) {
    return new BigInteger(n).add(BigInteger.ONE).toString();
  }

  /** {@code +n} in JavaScript: the number a digit string denotes, without leading zeros. */
  private static String num(String n) {
    return new BigInteger(n).toString();
  }

  private static String replaceTilde(String comp, boolean loose, boolean incPr) {
    Matcher m = (loose ? SemVerRegex.TILDELOOSE : SemVerRegex.TILDE).matcher(comp);
    if (!m.find()) {
      return comp;
    }
    String z = incPr ? "-0" : "";
    String maj = m.group(1);
    String min = m.group(2);
    String pat = m.group(3);
    String pr = m.group(4);
    if (isX(maj)) {
      return "";
    } else if (isX(min)) {
      return ">=" + maj + ".0.0" + z + " <" + plus1(maj) + ".0.0-0";
    } else if (isX(pat)) {
      return ">=" + maj + "." + min + ".0" + z + " <" + maj + "." + plus1(min) + ".0-0";
    } else if (pr != null && !pr.isEmpty()) {
      return ">=" + maj + "." + min + "." + pat + "-" + pr + " <" + maj + "." + plus1(min) + ".0-0";
    }
    return ">=" + maj + "." + min + "." + pat + " <" + maj + "." + plus1(min) + ".0-0";
  }

  private static String replaceCaret(String comp, boolean loose, boolean incPr) {
    Matcher m = (loose ? SemVerRegex.CARETLOOSE : SemVerRegex.CARET).matcher(comp);
    if (!m.find()) {
      return comp;
    }
    String z = incPr ? "-0" : "";
    String maj = m.group(1);
    String min = m.group(2);
    String pat = m.group(3);
    String pr = m.group(4);
    if (isX(maj)) {
      return "";
    } else if (isX(min)) {
      return ">=" + maj + ".0.0" + z + " <" + plus1(maj) + ".0.0-0";
    } else if (isX(pat)) {
      if (maj.equals("0")) {
        return ">=" + maj + "." + min + ".0" + z + " <" + maj + "." + plus1(min) + ".0-0";
      }
      return ">=" + maj + "." + min + ".0" + z + " <" + plus1(maj) + ".0.0-0";
    } else if (pr != null && !pr.isEmpty()) {
      String from = ">=" + maj + "." + min + "." + pat + "-" + pr;
      if (maj.equals("0")) {
        if (min.equals("0")) {
          return from + " <" + maj + "." + min + "." + plus1(pat) + "-0";
        }
        return from + " <" + maj + "." + plus1(min) + ".0-0";
      }
      return from + " <" + plus1(maj) + ".0.0-0";
    }
    if (maj.equals("0")) {
      if (min.equals("0")) {
        return ">="
            + maj
            + "."
            + min
            + "."
            + pat
            + z
            + " <"
            + maj
            + "."
            + min
            + "."
            + plus1(pat)
            + "-0";
      }
      return ">=" + maj + "." + min + "." + pat + z + " <" + maj + "." + plus1(min) + ".0-0";
    }
    return ">=" + maj + "." + min + "." + pat + " <" + plus1(maj) + ".0.0-0";
  }

  private static String replaceXRange(String comp, boolean loose, boolean incPr) {
    Matcher m = (loose ? SemVerRegex.XRANGELOOSE : SemVerRegex.XRANGE).matcher(comp);
    if (!m.find()) {
      return comp;
    }
    String gtlt = m.group(1);
    String maj = m.group(2);
    String min = m.group(3);
    String pat = m.group(4);
    if ((isX(maj) && !isX(min)) || (isX(min) && pat != null && !pat.isEmpty() && !isX(pat))) {
      return comp;
    }
    boolean xM = isX(maj);
    boolean xm = xM || isX(min);
    boolean xp = xm || isX(pat);
    boolean anyX = xp;
    if (gtlt.equals("=") && anyX) {
      gtlt = "";
    }
    String pr = incPr ? "-0" : "";
    if (xM) {
      return gtlt.equals(">") || gtlt.equals("<") ? "<0.0.0-0" : "*";
    } else if (!gtlt.isEmpty() && anyX) {
      if (xm) {
        min = "0";
      }
      pat = "0";
      if (gtlt.equals(">")) {
        gtlt = ">=";
        if (xm) {
          maj = plus1(maj);
          min = "0";
        } else {
          min = plus1(min);
        }
        pat = "0";
      } else if (gtlt.equals("<=")) {
        gtlt = "<";
        if (xm) {
          maj = plus1(maj);
        } else {
          min = plus1(min);
        }
      }
      if (gtlt.equals("<")) {
        pr = "-0";
      }
      return gtlt + maj + "." + min + "." + pat + pr;
    } else if (xm) {
      return ">=" + maj + ".0.0" + pr + " <" + plus1(maj) + ".0.0-0";
    } else if (xp) {
      return ">=" + maj + "." + min + ".0" + pr + " <" + maj + "." + plus1(min) + ".0-0";
    }
    return m.group(0);
  }

  private static String hyphenReplace(Matcher h, boolean incPr) {
    String from = h.group(1);
    String fM = h.group(2);
    String fm = h.group(3);
    String fp = h.group(4);
    String fpr = h.group(5);
    String to = h.group(7);
    String tM = h.group(8);
    String tm = h.group(9);
    String tp = h.group(10);
    String tpr = h.group(11);
    if (isX(fM)) {
      from = "";
    } else if (isX(fm)) {
      from = ">=" + fM + ".0.0" + (incPr ? "-0" : "");
    } else if (isX(fp)) {
      from = ">=" + fM + "." + fm + ".0" + (incPr ? "-0" : "");
    } else if (fpr != null && !fpr.isEmpty()) {
      from = ">=" + from;
    } else {
      from = ">=" + from + (incPr ? "-0" : "");
    }
    if (isX(tM)) {
      to = "";
    } else if (isX(tm)) {
      to = "<" + plus1(tM) + ".0.0-0";
    } else if (isX(tp)) {
      to = "<" + tM + "." + plus1(tm) + ".0-0";
    } else if (tpr != null && !tpr.isEmpty()) {
      to = "<=" + tM + "." + tm + "." + tp + "-" + tpr;
    } else if (incPr) {
      to = "<" + tM + "." + tm + "." + plus1(tp) + "-0";
    } else {
      to = "<=" + to;
    }
    return (from + " " + to).strip();
  }

  /** Whether {@code version} (parsed in this range's mode) satisfies the range. */
  public boolean test(String version) {
    return SemVer.parse(version, loose).map(this::test).orElse(false);
  }

  /** Whether {@code version} satisfies the range. */
  public boolean test(SemVer version) {
    for (List<Comparator> s : set) {
      if (testSet(s, version)) {
        return true;
      }
    }
    return false;
  }

  private boolean testSet(List<Comparator> s, SemVer version) {
    for (Comparator c : s) {
      if (!c.test(version)) {
        return false;
      }
    }
    if (version.isPrerelease() && !includePrerelease) {
      for (Comparator c : s) {
        if (c.isAny()) {
          continue;
        }
        if (c.semver().isPrerelease() && c.semver().compareMain(version) == 0) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  /** The highest of {@code versions} that satisfies the range, if any. */
  public Optional<SemVer> maxSatisfying(Collection<SemVer> versions) {
    SemVer max = null;
    for (SemVer v : versions) {
      if (test(v) && (max == null || max.compareTo(v) < 0)) {
        max = v;
      }
    }
    return Optional.ofNullable(max);
  }

  /**
   * Whether some version satisfies both this range and {@code other} (node-semver's {@code
   * intersects}).
   */
  public boolean intersects(Range other) {
    for (List<Comparator> a : set) {
      if (!satisfiable(a)) {
        continue;
      }
      for (List<Comparator> b : other.set) {
        if (!satisfiable(b)) {
          continue;
        }
        boolean all = true;
        for (Comparator x : a) {
          for (Comparator y : b) {
            if (!intersects(x, y)) {
              all = false;
              break;
            }
          }
          if (!all) {
            break;
          }
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean satisfiable(List<Comparator> comparators) {
    List<Comparator> remaining = new ArrayList<>(comparators);
    boolean result = true;
    Comparator test = remaining.remove(remaining.size() - 1);
    while (result && !remaining.isEmpty()) {
      for (Comparator other : remaining) {
        if (!intersects(test, other)) {
          result = false;
          break;
        }
      }
      test = remaining.remove(remaining.size() - 1);
    }
    return result;
  }

  private boolean intersects(Comparator a, Comparator b) {
    if (a.operator().isEmpty()) {
      if (a.isAny()) {
        return true;
      }
      return single(b).test(a.semver());
    } else if (b.operator().isEmpty()) {
      if (b.isAny()) {
        return true;
      }
      return single(a).test(b.semver());
    }
    if (includePrerelease && (a.value().equals("<0.0.0-0") || b.value().equals("<0.0.0-0"))) {
      return false;
    }
    if (!includePrerelease && (a.value().startsWith("<0.0.0") || b.value().startsWith("<0.0.0"))) {
      return false;
    }
    String ao = a.operator();
    String bo = b.operator();
    if (ao.startsWith(">") && bo.startsWith(">")) {
      return true;
    }
    if (ao.startsWith("<") && bo.startsWith("<")) {
      return true;
    }
    int c = a.semver().compareTo(b.semver());
    if (c == 0 && ao.contains("=") && bo.contains("=")) {
      return true;
    }
    if (c < 0 && ao.startsWith(">") && bo.startsWith("<")) {
      return true;
    }
    return c > 0 && ao.startsWith("<") && bo.startsWith(">");
  }

  private Range single(Comparator c) {
    return new Range(c.value(), loose, includePrerelease, List.of(List.of(c)));
  }

  /** Whether this range accepts any version at all ({@code *}, {@code x}, the empty range). */
  public boolean isAny() {
    return set.size() == 1 && set.get(0).size() == 1 && set.get(0).get(0).isAny();
  }

  /** Every version named by a comparator (for finding candidate versions). */
  public List<SemVer> boundaries() {
    List<SemVer> out = new ArrayList<>();
    for (List<Comparator> s : set) {
      for (Comparator c : s) {
        if (c.semver() != null) {
          out.add(c.semver());
        }
      }
    }
    return out;
  }

  /** The range as written (whitespace collapsed). */
  public String raw() {
    return raw;
  }

  /** The desugared range as node-semver's {@code validRange} formats it ({@code *} for any). */
  public String formatted() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < set.size(); i++) {
      if (i > 0) {
        b.append("||");
      }
      List<Comparator> s = set.get(i);
      for (int k = 0; k < s.size(); k++) {
        if (k > 0) {
          b.append(' ');
        }
        b.append(s.get(k).value());
      }
    }
    return b.isEmpty() ? "*" : b.toString();
  }

  @Override
  public String toString() {
    return raw;
  }
}
