package dev.accretion.python.resolve;

import dev.accretion.python.listing.RootRequirement;
import dev.accretion.python.tags.PythonTarget;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to resolve, and for which Lambda target.
 *
 * @param requirements the user's requirements, in the order written
 * @param constraints pip-style constraints ({@code -c}): limit versions, never add packages
 * @param allowPrereleases pip's {@code --pre}
 * @param hashChecking pip's hash-checking mode: only files whose hash is listed may be used
 * @param noBinary names (normalized) or {@code :all:} whose wheels must not be used
 */
public record ResolveRequest(
    List<RootRequirement> requirements,
    List<RootRequirement> constraints,
    PythonTarget target,
    boolean allowPrereleases,
    IndexStrategy strategy,
    boolean hashChecking,
    Set<String> noBinary) {
  public ResolveRequest {
    requirements = List.copyOf(requirements);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(strategy, "strategy");
    noBinary = Set.copyOf(noBinary);
  }

  public static ResolveRequest of(List<RootRequirement> requirements, PythonTarget target) {
    return new ResolveRequest(
        requirements, List.of(), target, false, IndexStrategy.FIRST_INDEX, false, Set.of());
  }
}
