package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.resolve.Distribution;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installs a lock for one target, without resolving anything, in three steps: the lock as a whole
 * must allow the target (requires-python, environments); {@link LockWalk} selects the entries that
 * apply to it; {@link LockFiles} picks each entry's wheel and checks its hashes; then every chosen
 * wheel's METADATA is read (in parallel) so that the result carries license and the like.
 *
 * <p>All problems are collected and reported together ({@link LockSelectionException}): a package
 * with no wheel for the target (each file with the reason it doesn't fit), an entry that must be
 * built, a hash that differs, a file that can't be found.
 *
 * <p>Thread-safe: each call works on its own state; the client and fetcher memoize pages and
 * metadata across calls.
 */
public final class LockResolver {
  private final LockFiles files;
  private final WheelMetadataFetcher fetcher;
  private final Map<URI, CompletableFuture<CoreMetadata>> metadata = new ConcurrentHashMap<>();

  public LockResolver(SimpleIndexClient client, WheelMetadataFetcher fetcher) {
    this.files = new LockFiles(client);
    this.fetcher = fetcher;
  }

  /**
   * Selects what to install from the lock for the target.
   *
   * @param extras extras to install (names as the user wrote them)
   * @param groups dependency groups (or Pipfile.lock categories, Poetry groups) to install
   * @throws ListingException when an extra or group is not in the lock
   * @throws LockSelectionException when the lock can't be installed on the target; the message
   *     lists every reason
   * @throws AccretionException when an index or a wheel's METADATA can't be read
   */
  public Resolution resolve(
      LockedListing listing, PythonTarget target, Set<String> extras, Set<String> groups)
      throws AccretionException {
    Set<String> wantedExtras = normalize(extras);
    Set<String> wantedGroups = normalize(groups);
    Map<String, LockedPackage> byId = new HashMap<>();
    for (LockedPackage p : listing.packages()) {
      byId.put(p.id(), p);
    }
    LockWalk.checkChoices(listing, byId, wantedExtras, wantedGroups);
    Set<String> groupSet = new TreeSet<>(wantedGroups);
    if (listing.format() == ListingFormat.PYLOCK) {
      // PEP 751 / packaging.pylock: dependency_groups is default-groups unless groups are named
      if (groupSet.isEmpty()) {
        groupSet.addAll(listing.defaultGroups());
      }
    } else {
      groupSet.addAll(listing.defaultGroups());
    }
    LockCondition.Context base =
        new LockCondition.Context(
            MarkerEnvironment.of(target.markerEnvironment()),
            Set.of(),
            wantedExtras,
            groupSet,
            target.pythonVersion(),
            target.pythonFullVersion());
    String headline =
        listing.file().getFileName() + " can't be installed on " + target.describe() + ":";
    List<String> problems = new ArrayList<>();
    if (!LockWalk.holds(listing.requiresPython(), base, problems, "requires-python")) {
      if (!problems.isEmpty()) {
        throw new LockSelectionException(headline, problems);
      }
      problems.add(
          listing.file().getFileName()
              + " was locked for Python "
              + listing.requiresPython().describe()
              + "; "
              + target.runtime().id()
              + " is Python "
              + target.pythonFullVersion()
              + ". Lock it again for this Python, or choose a runtime it allows.");
      throw new LockSelectionException(headline, problems);
    }
    if (!listing.environments().isEmpty()) {
      boolean any = false;
      for (LockCondition environment : listing.environments()) {
        any |= LockWalk.holds(environment, base, problems, "environments");
      }
      if (!any) {
        List<String> described = new ArrayList<>();
        listing.environments().forEach(c -> described.add("'" + c.describe() + "'"));
        problems.add(
            "the lock is only for the environments "
                + String.join(", ", described)
                + ", and the target matches none of them");
        throw new LockSelectionException(headline, problems);
      }
    }

    LockWalk.Walk walk = LockWalk.walk(listing, byId, base, wantedExtras, wantedGroups, problems);
    if (!problems.isEmpty()) {
      throw new LockSelectionException(headline, problems);
    }
    // the listing's own notes are the caller's to show once (LockedListing.notes, Locker.notes)
    List<String> warnings = new ArrayList<>();
    if (listing.format() == ListingFormat.PYLOCK
        && !wantedGroups.isEmpty()
        && !wantedGroups.containsAll(listing.defaultGroups())) {
      Set<String> left = new TreeSet<>(listing.defaultGroups());
      left.removeAll(wantedGroups);
      warnings.add(
          "the lock's default groups ("
              + String.join(", ", left)
              + ") are not installed because groups were named (PEP 751); name them too to"
              + " include them");
    }
    Map<String, IndexFile> chosen = new TreeMap<>();
    Map<String, Distribution> distributions = new TreeMap<>();
    files.prefetchPages(listing, walk);
    for (LockWalk.Node node : walk.nodes.values()) {
      LockedPackage p = node.pkg;
      if (p.requiresPython() != null && p.kind() != LockedPackage.Kind.PROJECT) {
        // PEP 751: a selected package whose requires-python the target fails is an error
        try {
          if (!SpecifierSet.parse(p.requiresPython())
              .contains(Version.tryParse(target.pythonFullVersion()).orElseThrow(), Boolean.TRUE)) {
            problems.add(
                p.display()
                    + " requires Python "
                    + p.requiresPython().strip()
                    + "; "
                    + target.runtime().id()
                    + " is Python "
                    + target.pythonFullVersion());
            continue;
          }
        } catch (ParseException e) {
          problems.add(p.display() + ": invalid requires-python: " + e.getMessage());
          continue;
        }
      }
      switch (p.kind()) {
        case PROJECT -> {}
        case UNBUILT ->
            problems.add(
                p.display()
                    + " comes from "
                    + p.source()
                    + "; Accretion installs wheels only and builds nothing. Build a wheel"
                    + " (e.g. `python -m build --wheel`), publish it to an index or reference"
                    + " the .whl file, and lock again.");
        case INDEX, DIRECT -> {
          Distribution d = files.choose(listing, p, target, problems, warnings);
          if (d != null) {
            distributions.put(p.id(), d);
            chosen.put(p.id(), d.file());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new LockSelectionException(headline, problems);
    }

    // read every chosen wheel's METADATA in parallel
    Map<String, CompletableFuture<CoreMetadata>> futures = new LinkedHashMap<>();
    for (Map.Entry<String, IndexFile> e : chosen.entrySet()) {
      futures.put(e.getKey(), metadataOf(e.getValue()));
    }
    List<ResolvedPackage> packages = new ArrayList<>();
    for (LockWalk.Node node : walk.nodes.values()) {
      LockedPackage p = node.pkg;
      Distribution d = distributions.get(p.id());
      if (d == null) {
        continue;
      }
      CoreMetadata meta = LockFiles.await(futures.get(p.id()));
      Version metaVersion = Version.tryParse(meta.version()).orElse(null);
      if (!PackageName.normalize(meta.name()).equals(p.name().normalized())
          || !d.version().equals(metaVersion)) {
        problems.add(
            p.display()
                + ": the wheel "
                + d.file().filename()
                + " says it is "
                + meta.name()
                + " "
                + meta.version()
                + " in its METADATA; the file is not what the lock says");
        continue;
      }
      packages.add(
          new ResolvedPackage(
              p.name(),
              d.version(),
              d,
              meta,
              List.copyOf(node.requiredBy(walk)),
              List.copyOf(node.dependencies(walk)),
              p.kind() == LockedPackage.Kind.DIRECT));
    }
    if (!problems.isEmpty()) {
      throw new LockSelectionException(headline, problems);
    }
    packages.sort(Comparator.comparing(ResolvedPackage::name));
    return new Resolution(target, packages, List.copyOf(new LinkedHashSet<>(warnings)), 0, 0);
  }

  private static Set<String> normalize(Set<String> names) {
    Set<String> out = new TreeSet<>();
    for (String n : names) {
      out.add(PackageName.normalize(n));
    }
    return out;
  }

  private CompletableFuture<CoreMetadata> metadataOf(IndexFile file) {
    return metadata.computeIfAbsent(
        file.url(),
        url ->
            fetcher
                .fetchAsync(file)
                .thenApply(
                    m -> {
                      try {
                        return CoreMetadata.parse(m.bytes());
                      } catch (ParseException e) {
                        throw new CompletionException(
                            new IndexException(
                                "the METADATA of "
                                    + file.filename()
                                    + " is malformed: "
                                    + e.getMessage(),
                                e));
                      }
                    }));
  }
}
