package dev.accretion.python.pep508;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.SpecifierSet;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PEP 508 dependency specifier such as {@code requests[socks]>=2.8,<3; python_version >= "3.9"}
 * or {@code pkg @ https://host/pkg-1.0-py3-none-any.whl}, parsed as {@code
 * packaging.requirements.Requirement} 26.2 parses it.
 *
 * @param name the distribution name; {@link PackageName#display()} is the name as written
 * @param extras the requested extras, PEP 685-normalized, sorted; empty if none
 * @param specifier the version specifiers; empty for none (and for URL requirements)
 * @param url the URL of a {@code name @ url} requirement, or null
 * @param marker the environment marker after {@code ;}, or null if there is none
 * @param extrasAsWritten the extras as written (sorted, duplicates removed); {@link #toString()}
 *     prints these, as {@code packaging} does
 */
public record Requirement(
    PackageName name,
    Set<String> extras,
    SpecifierSet specifier,
    String url,
    Marker marker,
    Set<String> extrasAsWritten) {

  public Requirement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(specifier, "specifier");
    Objects.requireNonNull(extras, "extras");
    Objects.requireNonNull(extrasAsWritten, "extrasAsWritten");
    extras = Collections.unmodifiableSortedSet(new TreeSet<>(extras));
    extrasAsWritten = Collections.unmodifiableSortedSet(new TreeSet<>(extrasAsWritten));
  }

  /** A requirement whose extras are written in normalized form. */
  public Requirement(
      PackageName name, Set<String> extras, SpecifierSet specifier, String url, Marker marker) {
    this(name, extras, specifier, url, marker, extras);
  }

  /**
   * Parses a requirement string (one {@code Requires-Dist} value, or one line of a requirements
   * list without pip options).
   *
   * @throws ParseException if {@code packaging} would reject it: the message quotes the text, gives
   *     the position, and says what was expected there in {@code packaging}'s words, for example
   *     "Expected end or semicolon (after version specifier)"
   */
  public static Requirement parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    DependencyParser.Parsed parsed = DependencyParser.requirement(text);
    SpecifierSet specifier;
    try {
      specifier = SpecifierSet.parse(parsed.specifier());
    } catch (ParseException e) {
      // Only '===' can get here: its version runs up to whitespace, ';' or ')', so it swallows
      // commas, and the pieces between them need not be specifiers ("pkg===a,b").
      throw new ParseException("requirement", text, parsed.specifierStart(), e.reason());
    }
    Set<String> normalized = new TreeSet<>();
    for (String extra : parsed.extras()) {
      normalized.add(PackageName.normalize(extra));
    }
    return new Requirement(
        PackageName.of(parsed.name()),
        normalized,
        specifier,
        parsed.url().isEmpty() ? null : parsed.url(),
        parsed.marker() == null ? null : Marker.fromParsed(parsed.marker()),
        Set.copyOf(parsed.extras()));
  }

  /** The URL of a {@code name @ url} requirement. */
  public Optional<String> urlIfAny() {
    return Optional.ofNullable(url);
  }

  /** The marker, if there is one. */
  public Optional<Marker> markerIfAny() {
    return Optional.ofNullable(marker);
  }

  /**
   * True if the requirement applies: it has no marker, or its marker holds for the environment and
   * (pip's rule) for no extra if {@code requestedExtras} is empty, else for one of them.
   *
   * @throws MarkerEvaluationException if the marker cannot be evaluated
   */
  public boolean appliesTo(MarkerEnvironment environment, Set<String> requestedExtras) {
    return marker == null || marker.evaluate(environment, requestedExtras);
  }

  /** The normalized text, as {@code str(packaging.requirements.Requirement(...))}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name.display());
    if (!extrasAsWritten.isEmpty()) {
      out.append('[').append(String.join(",", extrasAsWritten)).append(']');
    }
    if (!specifier.isEmpty()) {
      out.append(specifier);
    }
    if (url != null) {
      out.append(" @ ").append(url);
      if (marker != null) {
        out.append(' ');
      }
    }
    if (marker != null) {
      out.append("; ").append(marker);
    }
    return out.toString();
  }
}
