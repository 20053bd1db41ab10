package dev.accretion.node.semver;

import java.util.regex.Pattern;

/**
 * The grammar of versions and ranges as node-semver 7 writes it, as regular expressions built the
 * same way (including its "safe" bounds on repetitions), so that odd inputs read the way npm reads
 * them.
 */
final class SemVerRegex {
  private SemVerRegex() {}

  private static final String LETTERDASHNUMBER = "[a-zA-Z0-9-]";

  /** node-semver bounds every open repetition so that no input can make the regex slow. */
  private static String safe(String value) {
    String[][] replacements = {
      {"\\s", "1"}, {"\\d", String.valueOf(SemVer.MAX_LENGTH)}, {LETTERDASHNUMBER, "250"}
    };
    for (String[] r : replacements) {
      value = value.replace(r[0] + "*", r[0] + "{0," + r[1] + "}");
      value = value.replace(r[0] + "+", r[0] + "{1," + r[1] + "}");
    }
    return value;
  }

  static final String NUMERICIDENTIFIER = "0|[1-9]\\d*";
  static final String NUMERICIDENTIFIERLOOSE = "\\d+";
  static final String NONNUMERICIDENTIFIER = "\\d*[a-zA-Z-]" + LETTERDASHNUMBER + "*";
  static final String MAINVERSION =
      "(" + NUMERICIDENTIFIER + ")\\.(" + NUMERICIDENTIFIER + ")\\.(" + NUMERICIDENTIFIER + ")";
  static final String MAINVERSIONLOOSE =
      "("
          + NUMERICIDENTIFIERLOOSE
          + ")\\.("
          + NUMERICIDENTIFIERLOOSE
          + ")\\.("
          + NUMERICIDENTIFIERLOOSE
          + ")";
  static final String PRERELEASEIDENTIFIER =
      "(?:" + NONNUMERICIDENTIFIER + "|" + NUMERICIDENTIFIER + ")";
  static final String PRERELEASEIDENTIFIERLOOSE =
      "(?:" + NONNUMERICIDENTIFIER + "|" + NUMERICIDENTIFIERLOOSE + ")";
  static final String PRERELEASE =
      "(?:-(" + PRERELEASEIDENTIFIER + "(?:\\." + PRERELEASEIDENTIFIER + ")*))";
  static final String PRERELEASELOOSE =
      "(?:-?(" + PRERELEASEIDENTIFIERLOOSE + "(?:\\." + PRERELEASEIDENTIFIERLOOSE + ")*))";
  static final String BUILDIDENTIFIER = LETTERDASHNUMBER + "+";
  static final String BUILD = "(?:\\+(" + BUILDIDENTIFIER + "(?:\\." + BUILDIDENTIFIER + ")*))";
  static final String FULLPLAIN = "v?" + MAINVERSION + PRERELEASE + "?" + BUILD + "?";
  static final String LOOSEPLAIN =
      "[v=\\s]*" + MAINVERSIONLOOSE + PRERELEASELOOSE + "?" + BUILD + "?";
  static final String GTLT = "((?:<|>)?=?)";
  static final String XRANGEIDENTIFIERLOOSE = NUMERICIDENTIFIERLOOSE + "|x|X|\\*";
  static final String XRANGEIDENTIFIER = NUMERICIDENTIFIER + "|x|X|\\*";
  static final String XRANGEPLAIN =
      "[v=\\s]*("
          + XRANGEIDENTIFIER
          + ")(?:\\.("
          + XRANGEIDENTIFIER
          + ")(?:\\.("
          + XRANGEIDENTIFIER
          + ")(?:"
          + PRERELEASE
          + ")?"
          + BUILD
          + "?)?)?";
  static final String XRANGEPLAINLOOSE =
      "[v=\\s]*("
          + XRANGEIDENTIFIERLOOSE
          + ")(?:\\.("
          + XRANGEIDENTIFIERLOOSE
          + ")(?:\\.("
          + XRANGEIDENTIFIERLOOSE
          + ")(?:"
          + PRERELEASELOOSE
          + ")?"
          + BUILD
          + "?)?)?";
  static final String LONETILDE = "(?:~>?)";
  static final String LONECARET = "(?:\\^)";

  static final Pattern FULL = Pattern.compile(safe("^" + FULLPLAIN + "$"));
  static final Pattern LOOSE = Pattern.compile(safe("^" + LOOSEPLAIN + "$"));
  static final Pattern XRANGE = Pattern.compile(safe("^" + GTLT + "\\s*" + XRANGEPLAIN + "$"));
  static final Pattern XRANGELOOSE =
      Pattern.compile(safe("^" + GTLT + "\\s*" + XRANGEPLAINLOOSE + "$"));
  static final Pattern TILDETRIM = Pattern.compile(safe("(\\s*)" + LONETILDE + "\\s+"));
  static final Pattern TILDE = Pattern.compile(safe("^" + LONETILDE + XRANGEPLAIN + "$"));
  static final Pattern TILDELOOSE = Pattern.compile(safe("^" + LONETILDE + XRANGEPLAINLOOSE + "$"));
  static final Pattern CARETTRIM = Pattern.compile(safe("(\\s*)" + LONECARET + "\\s+"));
  static final Pattern CARET = Pattern.compile(safe("^" + LONECARET + XRANGEPLAIN + "$"));
  static final Pattern CARETLOOSE = Pattern.compile(safe("^" + LONECARET + XRANGEPLAINLOOSE + "$"));
  static final Pattern COMPARATORLOOSE =
      Pattern.compile(safe("^" + GTLT + "\\s*(" + LOOSEPLAIN + ")$|^$"));
  static final Pattern COMPARATOR =
      Pattern.compile(safe("^" + GTLT + "\\s*(" + FULLPLAIN + ")$|^$"));
  static final Pattern COMPARATORTRIM =
      Pattern.compile(safe("(\\s*)" + GTLT + "\\s*(" + LOOSEPLAIN + "|" + XRANGEPLAIN + ")"));
  static final Pattern HYPHENRANGE =
      Pattern.compile(safe("^\\s*(" + XRANGEPLAIN + ")\\s+-\\s+(" + XRANGEPLAIN + ")\\s*$"));
  static final Pattern HYPHENRANGELOOSE =
      Pattern.compile(
          safe("^\\s*(" + XRANGEPLAINLOOSE + ")\\s+-\\s+(" + XRANGEPLAINLOOSE + ")\\s*$"));
  static final Pattern STAR = Pattern.compile(safe("(<|>)?=?\\s*\\*"));
  static final Pattern GTE0 = Pattern.compile(safe("^\\s*>=\\s*0\\.0\\.0\\s*$"));
  static final Pattern GTE0PRE = Pattern.compile(safe("^\\s*>=\\s*0\\.0\\.0-0\\s*$"));

  /** Not bounded: node-semver strips build metadata from ranges with the plain source. */
  static final Pattern BUILDSTRIP = Pattern.compile(BUILD);

  static final Pattern BUILD_SAFE = Pattern.compile(safe(BUILD));
}
