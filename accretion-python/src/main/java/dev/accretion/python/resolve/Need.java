package dev.accretion.python.resolve;

import dev.accretion.python.pep440.SpecifierSet;
import java.net.URI;

/**
 * A requirement on a {@link Key} as the resolver sees it: specifiers, or a direct wheel URL, or
 * (for the plain project under an extras candidate) an exact pin to one candidate.
 *
 * @param text how to show it in messages, e.g. {@code numpy>=2.3}
 * @param pinned the exact candidate required (extras candidates pin their plain project), or null
 * @param origin where the user wrote it (file:line), or null for a dependency
 */
record Need(
    Key key, SpecifierSet specifier, URI url, Candidate pinned, String text, String origin) {
  @Override
  public String toString() {
    return text;
  }
}
