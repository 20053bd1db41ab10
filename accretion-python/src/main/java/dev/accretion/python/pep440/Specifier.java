package dev.accretion.python.pep440;

import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One PEP 440 version specifier such as {@code >=1.2}, {@code ==1.4.*}, {@code ~=2.2} or {@code
 * ===foo}, with the semantics of {@code packaging.specifiers.Specifier} 26.2.
 *
 * <p>Matching ({@link #contains(Version, Boolean)}) follows PEP 440 as {@code packaging} implements
 * it: {@code ==}/{@code !=} ignore the candidate's local label unless the specifier has one, and
 * {@code .*} matches a release prefix (zero-padded); {@code <V} excludes pre-releases of {@code V}
 * unless {@code V} is one; {@code >V} excludes post-releases and local versions of {@code V};
 * {@code ~=} is {@code >=} plus a prefix match; {@code ===} compares strings, ignoring case.
 *
 * <p>Pre-releases: a specifier has a {@link #prereleases()} setting, explicit ({@link
 * #withPrereleases}) or derived from its version ({@code >=1.0a1} allows them, {@code >=1.0} does
 * not). {@link #contains(Version, Boolean)} with {@code null} accepts a matching pre-release unless
 * pre-releases were explicitly disabled; {@link #filter} with {@code null} returns matching
 * pre-releases only when no final release matches.
 *
 * <p>{@link #toString()} is the operator followed by the version as written (whitespace removed),
 * as {@code str(Specifier(...))}. Equality ignores the pre-release setting and compares the
 * operator and the canonical version ({@code ==1.0} equals {@code ==1.0.0}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Specifier {
  private final Operator operator;
  private final String version;
  private final Boolean explicitPrereleases;

  /** The specifier's version; for {@code ==X.*} the prefix X; null for {@code ===} non-versions. */
  private final Version parsed;

  private final boolean wildcard;

  /** For {@code <}: the earliest pre-release of the version. */
  private final Version earliestPrerelease;

  /**
   * The prefix for {@code ==X.*}, {@code !=X.*} and {@code ~=}: as a release (the common case, when
   * all its components are numbers) or as the string components {@code packaging} compares.
   */
  private final Version prefixRelease;

  private final List<String> prefixComponents;
  private final int prefixNumericLength;

  private final String canonicalVersion;
  private final String lowerVersion;

  private Specifier(Operator operator, String version, Boolean explicitPrereleases) {
    this.operator = operator;
    this.version = version;
    this.explicitPrereleases = explicitPrereleases;
    this.wildcard = operator != Operator.ARBITRARY && version.endsWith(".*");
    this.lowerVersion = version.toLowerCase(Locale.ROOT);
    if (operator == Operator.ARBITRARY) {
      this.parsed = Version.tryParse(version).orElse(null);
    } else {
      this.parsed =
          Version.parseValid(wildcard ? version.substring(0, version.length() - 2) : version);
    }
    this.earliestPrerelease =
        operator == Operator.LESS_THAN && !parsed.isPrerelease()
            ? parsed.earliestPrerelease()
            : null;

    String prefix = null;
    if (wildcard) {
      prefix = version.substring(0, version.length() - 2);
    } else if (operator == Operator.COMPATIBLE) {
      prefix = compatiblePrefix(version);
    }
    if (prefix != null) {
      // packaging compares prefixes as lists of strings taken from the canonical text of the
      // prefix (or the text itself if it does not parse, which ~= with a 'v' can produce).
      String canonical = Version.tryParse(prefix).map(Version::toString).orElse(prefix);
      List<String> components = split(canonical);
      int numeric = numericPrefixLength(components);
      if (numeric == components.size()) {
        this.prefixRelease = Version.parseValid(releaseText(components));
        this.prefixComponents = null;
      } else {
        this.prefixRelease = null;
        this.prefixComponents = List.copyOf(components);
      }
      this.prefixNumericLength = numeric;
    } else {
      this.prefixRelease = null;
      this.prefixComponents = null;
      this.prefixNumericLength = 0;
    }

    if (operator == Operator.ARBITRARY || wildcard) {
      this.canonicalVersion = version;
    } else if (operator == Operator.COMPATIBLE) {
      this.canonicalVersion = parsed.toString();
    } else {
      this.canonicalVersion = parsed.canonicalText();
    }
  }

  /**
   * Parses one specifier, for example {@code ">=1.0"}, {@code "== 1.4.*"} or {@code "~=2.2.0"}.
   * Whitespace around the operator and the version is allowed, as in {@code packaging}.
   *
   * @throws ParseException if {@code packaging} would reject it, quoting the text and the position
   */
  public static Specifier parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    int start = SpecifierSyntax.skipWhitespace(text, 0);
    Operator operator = SpecifierSyntax.operatorAt(text, start);
    if (operator == null) {
      throw new ParseException(
          "specifier",
          text,
          start,
          start < text.length()
              ? "expected an operator (~=, ==, !=, <=, >=, <, >, ===), found '"
                  + text.charAt(start)
                  + "'"
              : "expected an operator (~=, ==, !=, <=, >=, <, >, ===) and a version");
    }
    int versionStart = SpecifierSyntax.skipWhitespace(text, start + operator.symbol().length());
    int end = SpecifierSyntax.matchEnd(text, start);
    if (end < 0) {
      throw new ParseException("specifier", text, versionStart, missingVersion(operator, text));
    }
    int rest = SpecifierSyntax.skipWhitespace(text, end);
    if (rest != text.length()) {
      throw new ParseException("specifier", text, rest, unexpected(operator, text, rest));
    }
    String version = text.substring(versionStart, end);
    return new Specifier(operator, version, null);
  }

  private static String missingVersion(Operator operator, String text) {
    if (operator == Operator.COMPATIBLE) {
      return "~= needs a version with at least two release numbers, such as ~=2.2";
    }
    return "expected a version after '" + operator.symbol() + "'";
  }

  private static String unexpected(Operator operator, String text, int end) {
    boolean equality = operator == Operator.EQUAL || operator == Operator.NOT_EQUAL;
    char c = text.charAt(end);
    if (c == '+' && !equality) {
      return "a local version label (+...) is only allowed with == and !=";
    }
    if (text.startsWith(".*", end)) {
      return equality
          ? "a .* prefix match must directly follow the release numbers"
          : "a .* prefix match is only allowed with == and !=";
    }
    return "unexpected '" + c + "' after '" + text.substring(0, end).strip() + "'";
  }

  /** This specifier with an explicit pre-release setting ({@code null}: derive it). */
  public Specifier withPrereleases(Boolean prereleases) {
    if (Objects.equals(prereleases, explicitPrereleases)) {
      return this;
    }
    return new Specifier(operator, version, prereleases);
  }

  public Operator operator() {
    return operator;
  }

  /** The version as written, without surrounding whitespace (with {@code .*} if present). */
  public String version() {
    return version;
  }

  /** True for {@code ==X.*} and {@code !=X.*}. */
  public boolean isWildcard() {
    return wildcard;
  }

  /**
   * Whether this specifier allows pre-releases: the explicit setting if there is one; else false
   * for {@code !=} and {@code ==X.*}, null for {@code ===} with a non-version, and otherwise
   * whether the specifier's own version is a pre-release, as {@code packaging}.
   */
  public Boolean prereleases() {
    if (explicitPrereleases != null) {
      return explicitPrereleases;
    }
    if (operator == Operator.NOT_EQUAL || (operator == Operator.EQUAL && wildcard)) {
      return Boolean.FALSE;
    }
    if (parsed == null) {
      return null;
    }
    return parsed.isPrerelease();
  }

  /** {@link #contains(Version, Boolean)} with {@code null}: the default pre-release handling. */
  public boolean contains(Version candidate) {
    return contains(candidate, null);
  }

  /**
   * Whether {@code candidate} satisfies this specifier.
   *
   * @param prereleases true to accept matching pre-releases, false to reject them, null to accept
   *     them unless this specifier explicitly disables them (PEP 440: "accept pre-releases if there
   *     is no other choice", and with one candidate there is none)
   */
  public boolean contains(Version candidate, Boolean prereleases) {
    Objects.requireNonNull(candidate, "candidate");
    if (!matches(candidate)) {
      return false;
    }
    return admitsPrerelease(candidate, prereleases);
  }

  /**
   * Like {@link #contains(Version, Boolean)} for a version given as text, as {@code packaging}'s
   * {@code contains(str)}: {@code ===} compares the text as given; any other operator parses it and
   * never matches text that is not a valid version.
   */
  public boolean contains(String candidate, Boolean prereleases) {
    Objects.requireNonNull(candidate, "candidate");
    Version v = Version.tryParse(candidate).orElse(null);
    if (v == null) {
      return operator == Operator.ARBITRARY
          && candidate.toLowerCase(Locale.ROOT).equals(lowerVersion);
    }
    boolean match =
        operator == Operator.ARBITRARY
            ? candidate.toLowerCase(Locale.ROOT).equals(lowerVersion)
            : matches(v);
    return match && admitsPrerelease(v, prereleases);
  }

  private boolean admitsPrerelease(Version candidate, Boolean prereleases) {
    if (!candidate.isPrerelease()) {
      return true;
    }
    Boolean include = prereleases != null ? prereleases : prereleases();
    if (Boolean.TRUE.equals(include)) {
      return true;
    }
    return prereleases == null && !Boolean.FALSE.equals(explicitPrereleases);
  }

  /**
   * The items whose versions satisfy this specifier, in their order, as {@code packaging}'s {@code
   * Specifier.filter}: with {@code prereleases == null}, matching pre-releases are kept only if no
   * matching final release exists (or the specifier allows pre-releases).
   */
  public <T> List<T> filter(
      Iterable<T> items, Function<? super T, Version> version, Boolean prereleases) {
    Boolean include = prereleases != null ? prereleases : prereleases();
    boolean holdBack = prereleases == null && !Boolean.FALSE.equals(explicitPrereleases);
    List<T> out = new ArrayList<>();
    List<T> held = new ArrayList<>();
    boolean foundFinal = false;
    for (T item : items) {
      Version v = version.apply(item);
      if (!matches(v)) {
        continue;
      }
      if (!v.isPrerelease() || Boolean.TRUE.equals(include)) {
        foundFinal = true;
        out.add(item);
      } else if (holdBack) {
        held.add(item);
      }
    }
    if (!foundFinal && holdBack) {
      out.addAll(held);
    }
    return out;
  }

  /** {@link #filter(Iterable, Function, Boolean)} for versions. */
  public List<Version> filter(Iterable<Version> versions, Boolean prereleases) {
    return filter(versions, Function.identity(), prereleases);
  }

  /** The operator's rule alone, without the pre-release policy. */
  boolean matches(Version v) {
    switch (operator) {
      case COMPATIBLE:
        return Version.compareIgnoringLocal(v, parsed) >= 0 && prefixMatches(v);
      case EQUAL:
        return equalTo(v);
      case NOT_EQUAL:
        return !equalTo(v);
      case LESS_THAN_EQUAL:
        return Version.compareIgnoringLocal(v, parsed) <= 0;
      case GREATER_THAN_EQUAL:
        return Version.compareIgnoringLocal(v, parsed) >= 0;
      case LESS_THAN:
        // PEP 440: "<V MUST NOT allow a pre-release of the specified version unless the
        // specified version is itself a pre-release".
        return v.compareTo(parsed) < 0
            && (earliestPrerelease == null
                || !v.isPrerelease()
                || v.compareTo(earliestPrerelease) < 0);
      case GREATER_THAN:
        if (v.compareTo(parsed) <= 0) {
          return false;
        }
        // PEP 440: ">V MUST NOT allow a post-release of the specified version unless the
        // specified version is itself a post-release" ...
        if (!parsed.isPostRelease()
            && v.isPostRelease()
            && !parsed.isDevRelease()
            && !parsed.hasLocal()
            && v.sameReleaseAndPre(parsed)) {
          return false;
        }
        // ... "nor a local version of the specified version".
        return !(v.hasLocal() && Version.compareIgnoringLocal(v, parsed) == 0);
      case ARBITRARY:
        return v.toString().toLowerCase(Locale.ROOT).equals(lowerVersion);
      default:
        throw new AssertionError(operator);
    }
  }

  private boolean equalTo(Version v) {
    if (wildcard) {
      return prefixMatches(v);
    }
    if (parsed.hasLocal()) {
      return v.equals(parsed);
    }
    return Version.compareIgnoringLocal(v, parsed) == 0;
  }

  /** The {@code .*} prefix match, on the candidate's public version. */
  private boolean prefixMatches(Version v) {
    if (prefixRelease != null) {
      return v.matchesReleasePrefix(prefixRelease);
    }
    List<String> components = new ArrayList<>(v.prefixComponents());
    int numeric = numericPrefixLength(components);
    for (int k = numeric; k < prefixNumericLength; k++) {
      components.add(numeric, "0");
    }
    if (components.size() < prefixComponents.size()) {
      return false;
    }
    return components.subList(0, prefixComponents.size()).equals(prefixComponents);
  }

  /**
   * The prefix {@code packaging} derives from a {@code ~=} version: its text split at {@code !} and
   * dots (a pre-release glued to a number split off), the components up to the first one that
   * starts with {@code dev}, {@code a}, {@code b}, {@code rc} or {@code post}, without the last.
   * This is done on the text as written, so {@code ~=1.0.c1} keeps {@code 1.0} (unlike {@code
   * ~=1.0rc1}), as in {@code packaging}.
   */
  private static String compatiblePrefix(String version) {
    List<String> components = split(version);
    int keep = 0;
    while (keep < components.size() && !isSuffix(components.get(keep))) {
      keep++;
    }
    List<String> prefix = components.subList(0, Math.max(keep - 1, 0));
    if (prefix.isEmpty()) {
      return "!";
    }
    return prefix.get(0) + "!" + String.join(".", prefix.subList(1, prefix.size()));
  }

  private static boolean isSuffix(String component) {
    return component.startsWith("dev")
        || component.startsWith("a")
        || component.startsWith("b")
        || component.startsWith("rc")
        || component.startsWith("post");
  }

  /**
   * {@code packaging}'s version split: the epoch ({@code 0} if none), then the dot-separated parts,
   * where a part like {@code 0rc1} becomes {@code 0} and {@code rc1}.
   */
  static List<String> split(String version) {
    List<String> result = new ArrayList<>();
    int bang = version.lastIndexOf('!');
    String epoch = bang < 0 ? "" : version.substring(0, bang);
    result.add(epoch.isEmpty() ? "0" : epoch);
    String rest = version.substring(bang + 1);
    int from = 0;
    while (true) {
      int dot = rest.indexOf('.', from);
      String item = dot < 0 ? rest.substring(from) : rest.substring(from, dot);
      int cut = preReleaseCut(item);
      if (cut > 0) {
        result.add(item.substring(0, cut));
        result.add(item.substring(cut));
      } else {
        result.add(item);
      }
      if (dot < 0) {
        return result;
      }
      from = dot + 1;
    }
  }

  /** Where {@code [0-9]+(a|b|c|rc)[0-9]+} splits, or -1 if the item is not of that shape. */
  private static int preReleaseCut(String item) {
    int d = 0;
    while (d < item.length() && Version.isDigit(item.charAt(d))) {
      d++;
    }
    if (d == 0 || d == item.length()) {
      return -1;
    }
    int letters = item.startsWith("rc", d) ? 2 : "abc".indexOf(item.charAt(d)) >= 0 ? 1 : 0;
    if (letters == 0 || d + letters == item.length()) {
      return -1;
    }
    for (int k = d + letters; k < item.length(); k++) {
      if (!Version.isDigit(item.charAt(k))) {
        return -1;
      }
    }
    return d;
  }

  private static int numericPrefixLength(List<String> components) {
    int count = 0;
    for (String c : components) {
      if (c.isEmpty() || !c.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        break;
      }
      count++;
    }
    return count;
  }

  private static String releaseText(List<String> numericComponents) {
    return numericComponents.get(0)
        + "!"
        + String.join(".", numericComponents.subList(1, numericComponents.size()));
  }

  /** The operator followed by the version as written, as {@code str(Specifier(...))}. */
  @Override
  public String toString() {
    return operator.symbol() + version;
  }

  /**
   * Equal if the operators and canonical versions are equal; the pre-release setting is ignored.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Specifier that
        && operator == that.operator
        && canonicalVersion.equals(that.canonicalVersion);
  }

  @Override
  public int hashCode() {
    return operator.hashCode() * 31 + canonicalVersion.hashCode();
  }
}
