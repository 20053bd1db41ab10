package dev.accretion.python.pep440;

import dev.accretion.python.ParseException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A PEP 440 version, parsed and normalized exactly as Python's {@code packaging.version.Version}
 * 26.2 does.
 *
 * <p>Parsing accepts everything {@code packaging} accepts: surrounding whitespace, a leading {@code
 * v}, any letter case, the separators {@code .}, {@code -} and {@code _}, the alternate spellings
 * {@code alpha, beta, c, pre, preview, rev, r}, implicit numbers ({@code 1.0a} is {@code 1.0a0}),
 * implicit post releases ({@code 1.0-1}), epochs ({@code 1!2.0}) and local labels ({@code
 * 1.0+ubuntu.1}). {@link #toString()} gives the normalized form, identical to {@code
 * str(Version(text))}.
 *
 * <p>Ordering, {@link #equals} and {@link #hashCode} follow PEP 440: trailing zeros of the release
 * do not count ({@code 1.0 == 1.0.0}), {@code dev < a < b < rc < final < post}, and a local label
 * sorts after the same public version, with alphanumeric label segments before numeric ones.
 *
 * <p>Numbers of any size are accepted, as {@code packaging} accepts them. Numbers up to {@link
 * Long#MAX_VALUE} are held as {@code long} and compared without allocation; larger ones are kept
 * exactly as {@link BigInteger} and still print and compare correctly, but the {@code long}/{@code
 * int} accessors ({@link #release()}, {@link #post()}, {@link #major()}, ...) throw {@link
 * ArithmeticException} for them; {@link #releaseExact()} gives them exactly. ({@code packaging}
 * itself refuses numbers of more than 4300 digits with a {@code ValueError}; this class has no such
 * limit.)
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Version implements Comparable<Version> {
  private static final int EPOCH = 0;
  private static final int PRE = 1;
  private static final int POST = 2;
  private static final int DEV = 3;
  private static final int RELEASE = 4;

  private static final byte NO_PRE = 0;
  private static final PreRelease.Kind[] KINDS = PreRelease.Kind.values();

  /**
   * Numbers in slots: epoch, pre number, post number, dev number, then the release; 0 if absent.
   */
  private final long[] n;

  /** Same layout as {@link #n}; null unless a number exceeds a long (then that slot is set). */
  private final BigInteger[] big;

  /** 0 none, 1 a, 2 b, 3 rc. */
  private final byte preKind;

  private final boolean hasPost;
  private final boolean hasDev;

  /** Lower-case local label segments, numeric ones without leading zeros; null when absent. */
  private final String[] local;

  /** Length of the release without trailing zeros (PEP 440: {@code 1.0 == 1}). */
  private final int trimmed;

  // Caches, written racily as java.lang.String does: each field on its own is always valid.
  private String text;
  private int hash;
  private boolean hashIsZero;

  private Version(
      long[] n, BigInteger[] big, byte preKind, boolean hasPost, boolean hasDev, String[] local) {
    this.n = n;
    this.big = big;
    this.preKind = preKind;
    this.hasPost = hasPost;
    this.hasDev = hasDev;
    this.local = local;
    int t = n.length - RELEASE;
    while (t > 0 && n[RELEASE + t - 1] == 0 && (big == null || big[RELEASE + t - 1] == null)) {
      t--;
    }
    this.trimmed = t;
  }

  /**
   * Parses a version string.
   *
   * @param text the version, for example {@code "1.0"}, {@code " v2.1-RC.3 "}, {@code "1!2.0+a.1"}
   * @return the parsed version, never null
   * @throws ParseException if {@code packaging} would reject the text; the message quotes it and
   *     the position where it stops being a PEP 440 version
   */
  public static Version parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    Parser parser = new Parser(text);
    Version version = parser.parse();
    if (version == null) {
      throw new ParseException("version", text, parser.errorPosition, parser.errorReason);
    }
    return version;
  }

  /**
   * Parses a version string, or returns empty if it is not a valid PEP 440 version (for example a
   * legacy version on an index page, which installers skip). Cheaper than catching {@link
   * ParseException}.
   */
  public static Optional<Version> tryParse(String text) {
    Objects.requireNonNull(text, "text");
    return Optional.ofNullable(new Parser(text).parse());
  }

  /** Parses a version that is known to be valid (a constant, or text a grammar already checked). */
  static Version parseValid(String text) {
    Version v = new Parser(text).parse();
    if (v == null) {
      throw new IllegalArgumentException("not a PEP 440 version: '" + text + "'");
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors

  /**
   * The epoch, {@code 0} when none was written.
   *
   * @throws ArithmeticException if the epoch does not fit an int
   */
  public int epoch() {
    return Math.toIntExact(longAt(EPOCH));
  }

  /**
   * The release numbers as written (trailing zeros included), at least one.
   *
   * @throws ArithmeticException if a number exceeds {@link Long#MAX_VALUE}; use {@link
   *     #releaseExact()}
   */
  public List<Long> release() {
    int size = n.length - RELEASE;
    Long[] values = new Long[size];
    for (int k = 0; k < size; k++) {
      values[k] = longAt(RELEASE + k);
    }
    return List.of(values);
  }

  /** The release numbers as written, exactly, whatever their size. */
  public List<BigInteger> releaseExact() {
    int size = n.length - RELEASE;
    BigInteger[] values = new BigInteger[size];
    for (int k = 0; k < size; k++) {
      values[k] = exact(RELEASE + k);
    }
    return List.of(values);
  }

  /** The first release number. @throws ArithmeticException if it does not fit an int */
  public int major() {
    return Math.toIntExact(longAt(RELEASE));
  }

  /** The second release number, 0 if there is none. @throws ArithmeticException past an int */
  public int minor() {
    return n.length > RELEASE + 1 ? Math.toIntExact(longAt(RELEASE + 1)) : 0;
  }

  /** The third release number, 0 if there is none. @throws ArithmeticException past an int */
  public int micro() {
    return n.length > RELEASE + 2 ? Math.toIntExact(longAt(RELEASE + 2)) : 0;
  }

  /**
   * The pre-release segment, empty if there is none.
   *
   * @throws ArithmeticException if its number exceeds a long
   */
  public Optional<PreRelease> pre() {
    if (preKind == NO_PRE) {
      return Optional.empty();
    }
    return Optional.of(new PreRelease(KINDS[preKind - 1], longAt(PRE)));
  }

  /** The post-release number, empty if none. @throws ArithmeticException past a long */
  public OptionalLong post() {
    return hasPost ? OptionalLong.of(longAt(POST)) : OptionalLong.empty();
  }

  /** The development release number, empty if none. @throws ArithmeticException past a long */
  public OptionalLong dev() {
    return hasDev ? OptionalLong.of(longAt(DEV)) : OptionalLong.empty();
  }

  /** The normalized local label ({@code ubuntu.1}), empty if none. */
  public Optional<String> local() {
    return local == null ? Optional.empty() : Optional.of(String.join(".", local));
  }

  /** True for pre-releases and development releases, as {@code packaging}'s is_prerelease. */
  public boolean isPrerelease() {
    return hasDev || preKind != NO_PRE;
  }

  /** True if the version has a post-release segment. */
  public boolean isPostRelease() {
    return hasPost;
  }

  /** True if the version has a development release segment. */
  public boolean isDevRelease() {
    return hasDev;
  }

  /** True if the version has a local label. */
  public boolean hasLocal() {
    return local != null;
  }

  /** This version without its local label (the version itself if it has none). */
  public Version publicVersion() {
    if (local == null) {
      return this;
    }
    return new Version(n, big, preKind, hasPost, hasDev, null);
  }

  /**
   * Epoch and release only, as {@code packaging}'s base_version: {@code 1!1.2.3rc1+x -> 1!1.2.3}.
   */
  public Version baseVersion() {
    if (preKind == NO_PRE && !hasPost && !hasDev && local == null) {
      return this;
    }
    long[] numbers = n.clone();
    numbers[PRE] = 0;
    numbers[POST] = 0;
    numbers[DEV] = 0;
    BigInteger[] exact = null;
    if (big != null) {
      exact = big.clone();
      exact[PRE] = null;
      exact[POST] = null;
      exact[DEV] = null;
      if (Arrays.stream(exact).allMatch(Objects::isNull)) {
        exact = null;
      }
    }
    return new Version(numbers, exact, NO_PRE, false, false, null);
  }

  /** The earliest pre-release of this version: dev 0, no local ({@code 1.2.post1 -> ...dev0}). */
  Version earliestPrerelease() {
    long[] numbers = n.clone();
    numbers[DEV] = 0;
    BigInteger[] exact = big == null ? null : big.clone();
    if (exact != null) {
      exact[DEV] = null;
    }
    return new Version(numbers, exact, preKind, hasPost, true, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Ordering

  /**
   * PEP 440 ordering, as {@code packaging} orders versions (local labels included).
   *
   * <p>Consistent with {@link #equals}.
   */
  @Override
  public int compareTo(Version other) {
    return compare(this, other, true);
  }

  /** Compares two versions as if neither had a local label. */
  static int compareIgnoringLocal(Version a, Version b) {
    return compare(a, b, false);
  }

  private static int compare(Version a, Version b, boolean withLocal) {
    if (a == b) {
      return 0;
    }
    int c = compareSlot(a, b, EPOCH);
    if (c != 0) {
      return c;
    }
    int common = Math.min(a.trimmed, b.trimmed);
    for (int k = 0; k < common; k++) {
      c = compareSlot(a, b, RELEASE + k);
      if (c != 0) {
        return c;
      }
    }
    if (a.trimmed != b.trimmed) {
      return a.trimmed < b.trimmed ? -1 : 1;
    }
    c = Integer.compare(a.preRank(), b.preRank());
    if (c != 0) {
      return c;
    }
    c = compareSlot(a, b, PRE);
    if (c != 0) {
      return c;
    }
    c = Boolean.compare(a.hasPost, b.hasPost);
    if (c != 0) {
      return c;
    }
    c = compareSlot(a, b, POST);
    if (c != 0) {
      return c;
    }
    // A version without a dev segment sorts after one with it.
    c = Boolean.compare(b.hasDev, a.hasDev);
    if (c != 0) {
      return c;
    }
    c = compareSlot(a, b, DEV);
    if (c != 0 || !withLocal) {
      return c;
    }
    return compareLocal(a.local, b.local);
  }

  /**
   * PEP 440 sorts a dev-only release ({@code 1.0.dev1}) before every pre-release of the same
   * release, and a release without a pre-release after its release candidates.
   */
  private int preRank() {
    if (preKind == NO_PRE) {
      return !hasPost && hasDev ? -1 : 3;
    }
    return preKind - 1;
  }

  private static int compareSlot(Version a, Version b, int slot) {
    if (a.big == null && b.big == null) {
      return Long.compare(a.n[slot], b.n[slot]);
    }
    return a.exact(slot).compareTo(b.exact(slot));
  }

  /** PEP 440: no local label sorts first; alphanumeric segments sort before numeric ones. */
  private static int compareLocal(String[] x, String[] y) {
    if (x == null || y == null) {
      return x == y ? 0 : x == null ? -1 : 1;
    }
    int common = Math.min(x.length, y.length);
    for (int k = 0; k < common; k++) {
      String p = x[k];
      String q = y[k];
      boolean pn = isNumericSegment(p);
      boolean qn = isNumericSegment(q);
      int c;
      if (pn && qn) {
        // Canonical numbers (no leading zeros): the longer is larger, else compare digits.
        c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
      } else if (pn != qn) {
        c = pn ? 1 : -1;
      } else {
        c = p.compareTo(q);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static boolean isNumericSegment(String segment) {
    for (int k = 0; k < segment.length(); k++) {
      if (!isDigit(segment.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Version that && compare(this, that, true) == 0;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && !hashIsZero) {
      h = hashSlot(EPOCH);
      for (int k = 0; k < trimmed; k++) {
        h = 31 * h + hashSlot(RELEASE + k);
      }
      h = 31 * h + preRank();
      h = 31 * h + hashSlot(PRE);
      h = 31 * h + (hasPost ? 1 : 0);
      h = 31 * h + hashSlot(POST);
      h = 31 * h + (hasDev ? 1 : 0);
      h = 31 * h + hashSlot(DEV);
      h = 31 * h + Arrays.hashCode(local);
      if (h == 0) {
        hashIsZero = true;
      } else {
        hash = h;
      }
    }
    return h;
  }

  private int hashSlot(int slot) {
    if (big != null && big[slot] != null) {
      return big[slot].hashCode();
    }
    return Long.hashCode(n[slot]);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for specifiers

  /** Number of release numbers as written. */
  int releaseLength() {
    return n.length - RELEASE;
  }

  /**
   * True if this version has the epoch of {@code prefix} and its release, padded with zeros, starts
   * with the release of {@code prefix} (the {@code ==1.2.*} prefix match of PEP 440).
   */
  boolean matchesReleasePrefix(Version prefix) {
    if (compareSlot(this, prefix, EPOCH) != 0) {
      return false;
    }
    int length = prefix.releaseLength();
    for (int k = 0; k < length; k++) {
      int slot = RELEASE + k;
      boolean equal;
      if (k < releaseLength()) {
        equal = compareSlot(this, prefix, slot) == 0;
      } else {
        equal = prefix.n[slot] == 0 && (prefix.big == null || prefix.big[slot] == null);
      }
      if (!equal) {
        return false;
      }
    }
    return true;
  }

  /** Epoch, release and pre-release equal, local ignored (for the {@code >V} post-release rule). */
  boolean sameReleaseAndPre(Version other) {
    if (compareSlot(this, other, EPOCH) != 0 || trimmed != other.trimmed) {
      return false;
    }
    for (int k = 0; k < trimmed; k++) {
      if (compareSlot(this, other, RELEASE + k) != 0) {
        return false;
      }
    }
    return preKind == other.preKind && compareSlot(this, other, PRE) == 0;
  }

  /**
   * The components {@code packaging} compares for prefix matching: the epoch, each release number,
   * then the pre, post and dev segments of the normalized public version ({@code 1!2.0rc1.post3}
   * gives {@code [1, 2, 0, rc1, post3]}).
   */
  List<String> prefixComponents() {
    List<String> parts = new ArrayList<>(releaseLength() + 4);
    parts.add(numberText(EPOCH));
    for (int k = 0; k < releaseLength(); k++) {
      parts.add(numberText(RELEASE + k));
    }
    if (preKind != NO_PRE) {
      parts.add(KINDS[preKind - 1].label() + numberText(PRE));
    }
    if (hasPost) {
      parts.add("post" + numberText(POST));
    }
    if (hasDev) {
      parts.add("dev" + numberText(DEV));
    }
    return parts;
  }

  /**
   * The normalized form with trailing zeros of the release removed (keeping at least one number),
   * as {@code packaging.utils.canonicalize_version}: {@code 1.0.0 -> 1}, {@code 2.0rc1 -> 2rc1}.
   */
  String canonicalText() {
    return format(Math.max(trimmed, 1), true);
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  /** The normalized form, exactly as {@code str(packaging.version.Version(text))}. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = format(releaseLength(), true);
      text = t;
    }
    return t;
  }

  private String format(int releaseCount, boolean withLocal) {
    StringBuilder out = new StringBuilder(16);
    if (n[EPOCH] != 0 || (big != null && big[EPOCH] != null)) {
      out.append(numberText(EPOCH)).append('!');
    }
    for (int k = 0; k < releaseCount; k++) {
      if (k > 0) {
        out.append('.');
      }
      appendNumber(out, RELEASE + k);
    }
    if (preKind != NO_PRE) {
      out.append(KINDS[preKind - 1].label());
      appendNumber(out, PRE);
    }
    if (hasPost) {
      out.append(".post");
      appendNumber(out, POST);
    }
    if (hasDev) {
      out.append(".dev");
      appendNumber(out, DEV);
    }
    if (withLocal && local != null) {
      out.append('+').append(String.join(".", local));
    }
    return out.toString();
  }

  private void appendNumber(StringBuilder out, int slot) {
    if (big != null && big[slot] != null) {
      out.append(big[slot]);
    } else {
      out.append(n[slot]);
    }
  }

  private String numberText(int slot) {
    return big != null && big[slot] != null ? big[slot].toString() : Long.toString(n[slot]);
  }

  private long longAt(int slot) {
    if (big != null && big[slot] != null) {
      throw new ArithmeticException(
          "version " + this + " has a number too large for a long: " + big[slot]);
    }
    return n[slot];
  }

  private BigInteger exact(int slot) {
    if (big != null && big[slot] != null) {
      return big[slot];
    }
    return BigInteger.valueOf(n[slot]);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /**
   * A deterministic reading of the PEP 440 / {@code packaging} version pattern (its quantifiers are
   * possessive, so no backtracking is needed): {@code \s* v? (N!)? N(.N)* pre? post? dev? (+local)?
   * \s*}, ASCII letters in any case.
   */
  private static final class Parser {
    private static final String[] PRE_WORDS = {
      "alpha", "a", "beta", "b", "preview", "pre", "c", "rc"
    };
    private static final byte[] PRE_KINDS = {1, 1, 2, 2, 3, 3, 3, 3};
    private static final String[] POST_WORDS = {"post", "rev", "r"};

    private final String s;
    private int i;
    private int end;
    private long[] n = new long[RELEASE + 4];
    private BigInteger[] big;
    private byte preKind;
    private boolean hasPost;
    private boolean hasDev;
    private List<String> local;
    int errorPosition;
    String errorReason;

    Parser(String s) {
      this.s = s;
    }

    Version parse() {
      end = s.length();
      while (i < end && SpecifierSyntax.isWhitespace(s.charAt(i))) {
        i++;
      }
      while (end > i && SpecifierSyntax.isWhitespace(s.charAt(end - 1))) {
        end--;
      }
      if (i == end) {
        return fail(i, "a version cannot be empty");
      }
      if (lower(s.charAt(i)) == 'v') {
        i++;
      }
      int digits = digitsEnd(i);
      if (digits > i && digits < end && s.charAt(digits) == '!') {
        setNumber(EPOCH, i, digits);
        i = digits + 1;
      }
      if (digitsEnd(i) == i) {
        return fail(
            i,
            i < end
                ? "expected a release number such as 1.0, found '" + s.charAt(i) + "'"
                : "expected a release number such as 1.0");
      }
      int slot = RELEASE;
      while (true) {
        int start = i;
        i = digitsEnd(i);
        setNumber(slot++, start, i);
        if (i + 1 < end && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
          i++;
        } else {
          break;
        }
      }
      int size = slot;
      parsePre();
      parsePost();
      parseDev();
      parseLocal();
      if (i != end) {
        return fail(
            i,
            "unexpected '"
                + s.charAt(i)
                + "' after '"
                + s.substring(0, i).strip()
                + "'; a PEP 440 version is [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]");
      }
      long[] numbers = Arrays.copyOf(n, size);
      BigInteger[] exact = big == null ? null : Arrays.copyOf(big, size);
      String[] label = local == null ? null : local.toArray(new String[0]);
      return new Version(numbers, exact, preKind, hasPost, hasDev, label);
    }

    private Version fail(int position, String reason) {
      errorPosition = position;
      errorReason = reason;
      return null;
    }

    private void parsePre() {
      int p = i;
      if (p < end && isSeparator(s.charAt(p))) {
        p++;
      }
      for (int w = 0; w < PRE_WORDS.length; w++) {
        int q = word(p, PRE_WORDS[w]);
        if (q >= 0) {
          preKind = PRE_KINDS[w];
          i = optionalNumber(q, PRE);
          return;
        }
      }
    }

    private void parsePost() {
      if (i + 1 < end && s.charAt(i) == '-' && isDigit(s.charAt(i + 1))) {
        int start = i + 1;
        i = digitsEnd(start);
        setNumber(POST, start, i);
        hasPost = true;
        return;
      }
      int p = i;
      if (p < end && isSeparator(s.charAt(p))) {
        p++;
      }
      for (String w : POST_WORDS) {
        int q = word(p, w);
        if (q >= 0) {
          hasPost = true;
          i = optionalNumber(q, POST);
          return;
        }
      }
    }

    private void parseDev() {
      int p = i;
      if (p < end && isSeparator(s.charAt(p))) {
        p++;
      }
      int q = word(p, "dev");
      if (q >= 0) {
        hasDev = true;
        i = optionalNumber(q, DEV);
      }
    }

    private void parseLocal() {
      if (i >= end || s.charAt(i) != '+') {
        return;
      }
      int q = alnumEnd(i + 1);
      if (q == i + 1) {
        return;
      }
      List<String> segments = new ArrayList<>(4);
      segments.add(localSegment(i + 1, q));
      while (q + 1 < end && isSeparator(s.charAt(q)) && isAlnum(s.charAt(q + 1))) {
        int start = q + 1;
        q = alnumEnd(start);
        segments.add(localSegment(start, q));
      }
      local = segments;
      i = q;
    }

    /** {@code [._-]? digits?} after a pre/post/dev word; returns the new position. */
    private int optionalNumber(int p, int slot) {
      if (p < end && isSeparator(s.charAt(p))) {
        p++;
      }
      int q = digitsEnd(p);
      if (q > p) {
        setNumber(slot, p, q);
      }
      return q;
    }

    /** The end of {@code word} (ASCII, any case) at {@code p}, or -1. */
    private int word(int p, String word) {
      if (p + word.length() > end) {
        return -1;
      }
      for (int k = 0; k < word.length(); k++) {
        if (lower(s.charAt(p + k)) != word.charAt(k)) {
          return -1;
        }
      }
      return p + word.length();
    }

    private String localSegment(int from, int to) {
      boolean numeric = true;
      for (int k = from; k < to; k++) {
        numeric &= isDigit(s.charAt(k));
      }
      if (numeric) {
        while (from < to - 1 && s.charAt(from) == '0') {
          from++;
        }
        return s.substring(from, to);
      }
      char[] chars = new char[to - from];
      for (int k = from; k < to; k++) {
        chars[k - from] = lower(s.charAt(k));
      }
      return new String(chars);
    }

    private int digitsEnd(int p) {
      while (p < end && isDigit(s.charAt(p))) {
        p++;
      }
      return p;
    }

    private int alnumEnd(int p) {
      while (p < end && isAlnum(s.charAt(p))) {
        p++;
      }
      return p;
    }

    private void setNumber(int slot, int from, int to) {
      if (slot >= n.length) {
        n = Arrays.copyOf(n, n.length * 2);
        if (big != null) {
          big = Arrays.copyOf(big, n.length);
        }
      }
      while (from < to - 1 && s.charAt(from) == '0') {
        from++;
      }
      if (to - from <= 18) {
        long value = 0;
        for (int k = from; k < to; k++) {
          value = value * 10 + (s.charAt(k) - '0');
        }
        n[slot] = value;
        return;
      }
      BigInteger value = new BigInteger(s.substring(from, to));
      if (value.bitLength() < 64) {
        n[slot] = value.longValue();
        return;
      }
      if (big == null) {
        big = new BigInteger[n.length];
      }
      big[slot] = value;
      n[slot] = Long.MAX_VALUE;
    }

    private static boolean isSeparator(char c) {
      return c == '.' || c == '-' || c == '_';
    }

    private static boolean isAlnum(char c) {
      return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** ASCII-only lower-casing: {@code packaging} matches letters with re.ASCII. */
    private static char lower(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
  }
}
