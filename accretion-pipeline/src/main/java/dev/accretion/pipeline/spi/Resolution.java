package dev.accretion.pipeline.spi;

import dev.accretion.core.runtime.Target;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a listing resolved to for one target. Immutable apart from {@code state}.
 *
 * @param target the target
 * @param packages every package to install, in a stable order (sorted by name)
 * @param warnings what the user should look at (yanked versions chosen, unverifiable files)
 * @param notes what the manifest should say about the resolution (a requested version that lost a
 *     conflict, packages left out for the target and why)
 * @param state the session's own data about this resolution (a Python {@code Resolution}, an npm
 *     tree), handed back to {@link BuildSession#lockFile}; opaque to the pipeline
 * @param facts what the resolver reports about its work, for {@code accretion lock --json} ({@code
 *     rounds}, {@code backtracks}): the same value rules as {@link ResolvedPackage#facts()}
 */
public record Resolution(
    Target target,
    List<ResolvedPackage> packages,
    List<String> warnings,
    List<String> notes,
    Object state,
    Map<String, Object> facts) {
  public Resolution {
    Objects.requireNonNull(target, "target");
    packages = List.copyOf(packages);
    warnings = List.copyOf(warnings);
    notes = List.copyOf(notes);
    facts = Map.copyOf(facts);
  }

  /** A resolution without facts to report. */
  public Resolution(
      Target target,
      List<ResolvedPackage> packages,
      List<String> warnings,
      List<String> notes,
      Object state) {
    this(target, packages, warnings, notes, state, Map.of());
  }
}
