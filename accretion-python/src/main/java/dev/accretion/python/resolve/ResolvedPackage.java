package dev.accretion.python.resolve;

import dev.accretion.python.PackageName;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.Version;
import java.util.List;

/**
 * One package of a resolution: the release and the exact wheel chosen for the target.
 *
 * @param requiredBy who asked for it: {@code "listing"} for the user's own requirements, else the
 *     names of the packages that depend on it
 * @param dependencies the names this package depends on in the resolution (for the target)
 */
public record ResolvedPackage(
    PackageName name,
    Version version,
    Distribution distribution,
    CoreMetadata metadata,
    List<String> requiredBy,
    List<String> dependencies,
    boolean direct) {
  public ResolvedPackage {
    requiredBy = List.copyOf(requiredBy);
    dependencies = List.copyOf(dependencies);
  }
}
