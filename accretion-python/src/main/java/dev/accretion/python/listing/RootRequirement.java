package dev.accretion.python.listing;

import dev.accretion.python.pep508.Requirement;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * A requirement the user wrote, with where it was written and what it pins.
 *
 * @param requirement the PEP 508 requirement (for a direct wheel reference: the name, extras and
 *     marker; the location is {@link #directUrl()})
 * @param origin file and line, for messages
 * @param hashes allowed file hashes as {@code algorithm:hex} (pip's {@code --hash}); empty if none
 * @param directUrl the wheel this requirement points at ({@code name @ url}, a wheel path or URL),
 *     or null for a requirement resolved through the indexes
 */
public record RootRequirement(
    Requirement requirement, Origin origin, Set<String> hashes, URI directUrl) {
  public RootRequirement {
    hashes = Set.copyOf(hashes);
  }

  public Optional<URI> direct() {
    return Optional.ofNullable(directUrl);
  }

  @Override
  public String toString() {
    return requirement + (directUrl == null ? "" : " @ " + directUrl) + " (" + origin + ")";
  }
}
