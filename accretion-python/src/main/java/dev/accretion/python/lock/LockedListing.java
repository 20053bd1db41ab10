package dev.accretion.python.lock;

import dev.accretion.python.listing.ListingFormat;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A lock file read into the model every lock format shares: its packages and the edges between
 * them, and where installing starts. Immutable.
 *
 * @param file the lock file
 * @param format which format it was
 * @param version the format's version as the file says it ({@code 1.0}, {@code 1 (revision 3)})
 * @param requiresPython the Python versions the lock was made for; the target must satisfy it
 * @param environments PEP 751 {@code environments}: the target must satisfy one (empty: any)
 * @param packages every entry, in the lock's order
 * @param roots ids of the {@link LockedPackage.Kind#PROJECT} entries installing starts from, each
 *     with the requested extras and groups
 * @param followDependencies true when the lock is a graph to walk (uv, Poetry with a project);
 *     false when it is a flat list whose entries the roots name directly and whose edges are only
 *     informational (pylock.toml, Pipfile.lock, Poetry 2.1 groups and markers)
 * @param declaredExtras extras the lock offers beyond the roots' own optional dependencies (PEP 751
 *     {@code extras})
 * @param declaredGroups groups the lock offers beyond the roots' own groups (PEP 751 {@code
 *     dependency-groups})
 * @param defaultGroups groups always in effect (PEP 751 {@code default-groups})
 * @param extraIsSet true when {@code extra} in the lock's markers is a set of activations (uv)
 * @param indexes indexes the lock names, searched for files without a location after each package's
 *     own and before the configured ones (Pipfile.lock {@code _meta.sources})
 * @param notes things worth telling the user about how the lock was read
 */
public record LockedListing(
    Path file,
    ListingFormat format,
    String version,
    LockCondition requiresPython,
    List<LockCondition> environments,
    List<LockedPackage> packages,
    List<String> roots,
    boolean followDependencies,
    Set<String> declaredExtras,
    Set<String> declaredGroups,
    Set<String> defaultGroups,
    boolean extraIsSet,
    List<URI> indexes,
    List<String> notes) {
  public LockedListing {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(version, "version");
    requiresPython = requiresPython == null ? LockCondition.ALWAYS : requiresPython;
    environments = List.copyOf(environments);
    packages = List.copyOf(packages);
    roots = List.copyOf(roots);
    declaredExtras = Set.copyOf(new LinkedHashSet<>(declaredExtras));
    declaredGroups = Set.copyOf(new LinkedHashSet<>(declaredGroups));
    defaultGroups = Set.copyOf(new LinkedHashSet<>(defaultGroups));
    indexes = List.copyOf(indexes);
    notes = List.copyOf(notes);
  }
}
