package dev.accretion.python.lock;

import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.Specifier;
import dev.accretion.python.pep440.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Poetry version constraint as poetry.lock and {@code [tool.poetry]} write them: {@code *}, a
 * union of {@code ||}-separated parts, each a conjunction of comma- or space-separated constraints:
 * {@code ^1.2} (up to the next major, or minor for 0.x), {@code ~1.2} (up to the next minor), PEP
 * 440 operators ({@code >=}, {@code <}, {@code ~=}, {@code ==1.2.*}, ...), {@code =1.2} and a bare
 * version (exactly that version). Immutable.
 */
final class PoetryConstraint {
  private static final Pattern CARET_TILDE = Pattern.compile("([\\^~])\\s*([0-9][^\\s,]*)");
  private static final Pattern OPERATOR = Pattern.compile("(===|==|~=|!=|<=|>=|<|>|=)?\\s*(.+)");

  private final String text;
  private final List<List<Specifier>> union;

  private PoetryConstraint(String text, List<List<Specifier>> union) {
    this.text = text;
    this.union = union;
  }

  static PoetryConstraint parse(String text) throws ParseException {
    String trimmed = text.strip();
    List<List<Specifier>> union = new ArrayList<>();
    if (trimmed.isEmpty() || trimmed.equals("*")) {
      union.add(List.of());
      return new PoetryConstraint(text, union);
    }
    for (String part : trimmed.split("\\|\\|?")) {
      List<Specifier> all = new ArrayList<>();
      String p = part.strip();
      // operators may be separated from their version by blanks ("> = 1.0" is not allowed, but
      // ">= 1.0" is): glue them before splitting on commas and blanks
      p = p.replaceAll("(===|==|~=|!=|<=|>=|<|>|=|\\^|~)\\s+", "$1");
      for (String single : p.split("[,\\s]+")) {
        if (single.isEmpty() || single.equals("*")) {
          continue;
        }
        all.addAll(single(text, single));
      }
      union.add(List.copyOf(all));
    }
    return new PoetryConstraint(text, List.copyOf(union));
  }

  private static List<Specifier> single(String whole, String c) throws ParseException {
    Matcher caret = CARET_TILDE.matcher(c);
    if (caret.matches() && !c.startsWith("~=")) {
      Version low = version(whole, caret.group(2).replaceAll("\\.\\*$", ""));
      List<Long> release = low.release();
      int given = caret.group(2).replaceAll("\\.\\*$", "").split("\\.").length;
      long major = release.get(0);
      long minor = release.size() > 1 ? release.get(1) : 0;
      long micro = release.size() > 2 ? release.get(2) : 0;
      String high;
      if (caret.group(1).equals("^")) {
        // ^1.2.3 <2.0.0; ^0.2.3 <0.3.0; ^0.0.3 <0.0.4; ^0.0 <0.1; ^0 <1
        if (major != 0 || given == 1) {
          high = (major + 1) + ".0.0";
        } else if (minor != 0 || given == 2) {
          high = "0." + (minor + 1) + ".0";
        } else {
          high = "0.0." + (micro + 1);
        }
      } else {
        // ~1.2.3 <1.3.0; ~1.2 <1.3.0; ~1 <2.0.0
        high = given == 1 ? (major + 1) + ".0.0" : major + "." + (minor + 1) + ".0";
      }
      return List.of(spec(whole, ">=" + low), spec(whole, "<" + high));
    }
    Matcher op = OPERATOR.matcher(c);
    if (!op.matches()) {
      throw new ParseException("Poetry version constraint", whole, 0, "cannot read '" + c + "'");
    }
    String operator = op.group(1) == null || op.group(1).equals("=") ? "==" : op.group(1);
    return List.of(spec(whole, operator + op.group(2).strip()));
  }

  private static Version version(String whole, String text) throws ParseException {
    try {
      return Version.parse(text);
    } catch (ParseException e) {
      throw new ParseException(
          "Poetry version constraint", whole, 0, "'" + text + "' is not a version");
    }
  }

  private static Specifier spec(String whole, String text) throws ParseException {
    try {
      return Specifier.parse(text);
    } catch (ParseException e) {
      throw new ParseException(
          "Poetry version constraint", whole, 0, "cannot read '" + text + "': " + e.reason());
    }
  }

  /** Whether the version satisfies the constraint (pre-releases allowed: the lock chose them). */
  boolean allows(Version version) {
    for (List<Specifier> all : union) {
      boolean ok = true;
      for (Specifier s : all) {
        ok &= s.contains(version, Boolean.TRUE);
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a Python version satisfies a {@code python = "..."} constraint: as Poetry turns it into
   * a marker, a bound with three or more release numbers compares {@code python_full_version}, a
   * shorter one {@code python_version}.
   */
  boolean allowsPython(Version pythonVersion, Version pythonFullVersion) {
    for (List<Specifier> all : union) {
      boolean ok = true;
      for (Specifier s : all) {
        String v = s.version().replaceAll("\\.\\*$", "");
        boolean full = v.split("\\.").length >= 3;
        ok &= s.contains(full ? pythonFullVersion : pythonVersion, Boolean.TRUE);
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
