package dev.accretion.python.pep440;

import dev.accretion.python.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A comma-separated list of PEP 440 specifiers that must all hold, such as {@code >=1.0,!=1.3,<2},
 * with the semantics of {@code packaging.specifiers.SpecifierSet} 26.2. The empty set matches every
 * version.
 *
 * <p>Pre-releases: {@link #prereleases()} is the explicit setting if any, else true if any
 * specifier allows pre-releases, else null. With {@code prereleases == null}, {@link
 * #contains(Version, Boolean)} accepts a matching pre-release, and {@link #filter} keeps matching
 * pre-releases only if no matching final release exists (PEP 440: "accept pre-releases only if
 * there is no other choice").
 *
 * <p>{@link #toString()} lists the specifiers sorted by their text, duplicates (equal canonical
 * specifiers) removed, joined by commas, as {@code str(SpecifierSet(...))}; {@link #equals}
 * compares that canonical list and ignores the pre-release setting.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SpecifierSet {
  /** Python compares strings by code point; so does this (not by UTF-16 unit). */
  private static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int x = a.codePointAt(i);
          int y = b.codePointAt(j);
          if (x != y) {
            return Integer.compare(x, y);
          }
          i += Character.charCount(x);
          j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
      };

  /** The empty set: matches every version. */
  public static final SpecifierSet EMPTY = new SpecifierSet(List.of(), null);

  private final List<Specifier> specifiers;
  private final List<Specifier> canonical;
  private final Boolean explicitPrereleases;

  private SpecifierSet(List<Specifier> specifiers, Boolean explicitPrereleases) {
    this.specifiers = List.copyOf(specifiers);
    this.explicitPrereleases = explicitPrereleases;
    List<Specifier> sorted = new ArrayList<>(specifiers);
    sorted.sort(Comparator.comparing(Specifier::toString, CODE_POINT_ORDER));
    this.canonical = List.copyOf(new LinkedHashSet<>(sorted));
  }

  /** The empty set. */
  public static SpecifierSet empty() {
    return EMPTY;
  }

  /** A set of the given specifiers. */
  public static SpecifierSet of(Collection<Specifier> specifiers) {
    return new SpecifierSet(List.copyOf(specifiers), null);
  }

  /**
   * Parses comma-separated specifiers; blank items are skipped, so {@code ""} and {@code " , "}
   * give the empty set.
   *
   * @throws ParseException if an item is not a valid specifier; the position is in {@code text}
   */
  public static SpecifierSet parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    List<Specifier> parsed = new ArrayList<>();
    int from = 0;
    while (true) {
      int comma = text.indexOf(',', from);
      int to = comma < 0 ? text.length() : comma;
      int start = from;
      while (start < to && SpecifierSyntax.isWhitespace(text.charAt(start))) {
        start++;
      }
      int end = to;
      while (end > start && SpecifierSyntax.isWhitespace(text.charAt(end - 1))) {
        end--;
      }
      if (end > start) {
        try {
          parsed.add(Specifier.parse(text.substring(start, end)));
        } catch (ParseException e) {
          throw new ParseException(
              "specifier set",
              text,
              e.position() < 0 ? -1 : start + e.position(),
              "'" + text.substring(start, end) + "': " + e.reason());
        }
      }
      if (comma < 0) {
        break;
      }
      from = comma + 1;
    }
    return parsed.isEmpty() ? EMPTY : new SpecifierSet(parsed, null);
  }

  /** This set with an explicit pre-release setting ({@code null}: derive it). */
  public SpecifierSet withPrereleases(Boolean prereleases) {
    if (Objects.equals(prereleases, explicitPrereleases)) {
      return this;
    }
    return new SpecifierSet(specifiers, prereleases);
  }

  /**
   * The intersection: every specifier of both sets, as {@code packaging}'s {@code a & b}.
   *
   * @throws IllegalArgumentException if one set explicitly allows pre-releases and the other
   *     explicitly forbids them
   */
  public SpecifierSet and(SpecifierSet other) {
    List<Specifier> all = new ArrayList<>(specifiers);
    all.addAll(other.specifiers);
    Boolean prereleases;
    if (explicitPrereleases == null
        || Objects.equals(explicitPrereleases, other.explicitPrereleases)) {
      prereleases = other.explicitPrereleases;
    } else if (other.explicitPrereleases == null) {
      prereleases = explicitPrereleases;
    } else {
      throw new IllegalArgumentException(
          "cannot combine specifier sets '"
              + this
              + "' and '"
              + other
              + "': one allows pre-releases explicitly, the other forbids them");
    }
    return new SpecifierSet(all, prereleases);
  }

  /** The distinct specifiers, in the order of {@link #toString()}. */
  public Set<Specifier> specifiers() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(canonical));
  }

  /** True if there are no specifiers (every version matches). */
  public boolean isEmpty() {
    return specifiers.isEmpty();
  }

  /**
   * The explicit pre-release setting, else true if any specifier allows pre-releases, else null.
   */
  public Boolean prereleases() {
    if (explicitPrereleases != null) {
      return explicitPrereleases;
    }
    for (Specifier s : specifiers) {
      if (Boolean.TRUE.equals(s.prereleases())) {
        return Boolean.TRUE;
      }
    }
    return null;
  }

  /** {@link #contains(Version, Boolean)} with {@code null}. */
  public boolean contains(Version candidate) {
    return contains(candidate, null);
  }

  /**
   * Whether {@code candidate} satisfies every specifier.
   *
   * @param prereleases true or false to accept or reject a matching pre-release; null to use {@link
   *     #prereleases()}, and if that is null too, to accept it
   */
  public boolean contains(Version candidate, Boolean prereleases) {
    Objects.requireNonNull(candidate, "candidate");
    Boolean include = prereleases != null ? prereleases : prereleases();
    if (Boolean.FALSE.equals(include) && candidate.isPrerelease()) {
      return false;
    }
    return matchesAll(candidate);
  }

  /**
   * The items whose versions satisfy every specifier, in their order, as {@code packaging}'s {@code
   * SpecifierSet.filter}: with {@code prereleases} (or else {@link #prereleases()}) true, all
   * matching items; false, the matching final releases; null, the matching final releases, or, if
   * there are none, the matching pre-releases.
   */
  public <T> List<T> filter(
      Iterable<T> items, Function<? super T, Version> version, Boolean prereleases) {
    Boolean include = prereleases != null ? prereleases : prereleases();
    List<T> out = new ArrayList<>();
    boolean anyFinal = false;
    for (T item : items) {
      Version v = version.apply(item);
      if (Boolean.FALSE.equals(include) && v.isPrerelease()) {
        continue;
      }
      if (matchesAll(v)) {
        out.add(item);
        anyFinal |= !v.isPrerelease();
      }
    }
    if (include == null && anyFinal) {
      out.removeIf(item -> version.apply(item).isPrerelease());
    }
    return out;
  }

  /** {@link #filter(Iterable, Function, Boolean)} for versions. */
  public List<Version> filter(Iterable<Version> versions, Boolean prereleases) {
    return filter(versions, Function.identity(), prereleases);
  }

  private boolean matchesAll(Version v) {
    for (Specifier s : specifiers) {
      if (!s.matches(v)) {
        return false;
      }
    }
    return true;
  }

  /** The specifiers sorted by text, without duplicates, joined by commas. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Specifier s : canonical) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(s);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpecifierSet that && canonical.equals(that.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }
}
