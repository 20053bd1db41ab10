package dev.accretion.python.lock;

import dev.accretion.python.PackageName;
import dev.accretion.python.pep440.Version;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One package entry of a lock, in a form shared by every lock format.
 *
 * @param id unique within the listing (the format's own identity: name, version, source)
 * @param name the package name
 * @param version the locked version; null only for {@link Kind#PROJECT} and {@link Kind#UNBUILT}
 *     entries that have none
 * @param kind what the entry is and how it can be installed
 * @param source what the lock says about where it comes from, for messages ({@code registry
 *     https://pypi.org/simple}, {@code git https://...}, {@code editable .})
 * @param index the package index it was locked from, or null when not from an index
 * @param files the files the lock records, in the lock's order
 * @param hashes hashes ({@code algorithm:hex}) the lock accepts when it records no file names
 *     (Pipfile.lock, Poetry 0.12): the files are found on the indexes by hash
 * @param searchIndexes indexes to look on first for files without a location (the lock's own source
 *     for the package), before the listing's and the configured ones
 * @param selector when this entry is the one meant by an edge that matches several entries of the
 *     same name (uv {@code resolution-markers}, Poetry 2.1 {@code markers}); {@link
 *     LockCondition#ALWAYS} when the lock says nothing
 * @param requiresPython the package's Requires-Python as the lock writes it, or null
 * @param dependencies edges that always apply (subject to their conditions)
 * @param optionalDependencies edges per extra of this package (normalized extra names)
 * @param groupDependencies edges per dependency group of this package (normalized group names)
 * @param requiredBy who requires it, when the lock records it directly (Accretion's own pylock),
 *     else empty
 */
public record LockedPackage(
    String id,
    PackageName name,
    Version version,
    Kind kind,
    String source,
    URI index,
    List<LockedFile> files,
    Set<String> hashes,
    List<URI> searchIndexes,
    LockCondition selector,
    String requiresPython,
    List<LockedEdge> dependencies,
    Map<String, List<LockedEdge>> optionalDependencies,
    Map<String, List<LockedEdge>> groupDependencies,
    List<String> requiredBy) {

  /** What a locked entry is. */
  public enum Kind {
    /** Files from a package index (registry), chosen per target. */
    INDEX,
    /** A wheel named by URL or path outside any index. */
    DIRECT,
    /** The project itself (or a workspace member / virtual package): walked, never installed. */
    PROJECT,
    /** Something that must be built first: sdist only, VCS checkout, local directory. */
    UNBUILT
  }

  public LockedPackage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    if (version == null && (kind == Kind.INDEX || kind == Kind.DIRECT)) {
      throw new IllegalArgumentException(name + ": a locked distribution needs a version");
    }
    files = List.copyOf(files);
    hashes = Set.copyOf(hashes);
    searchIndexes = List.copyOf(searchIndexes);
    selector = selector == null ? LockCondition.ALWAYS : selector;
    dependencies = List.copyOf(dependencies);
    optionalDependencies = copy(optionalDependencies);
    groupDependencies = copy(groupDependencies);
    requiredBy = List.copyOf(requiredBy);
  }

  private static Map<String, List<LockedEdge>> copy(Map<String, List<LockedEdge>> map) {
    Map<String, List<LockedEdge>> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(PackageName.normalize(k), List.copyOf(v)));
    return Collections.unmodifiableMap(out);
  }

  /** {@code name version} for messages. */
  public String display() {
    return version == null ? name.normalized() : name.normalized() + " " + version;
  }
}
