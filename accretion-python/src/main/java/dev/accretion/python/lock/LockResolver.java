package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.IndexUnreachableException;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.resolve.Distribution;
import dev.accretion.python.resolve.PlatformReasons;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.SdistFilename;
import dev.accretion.python.tags.WheelFilename;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Installs a lock for one target, without resolving anything: walks the lock from its roots (or
 * takes its flat list) with markers evaluated in the target's environment and the requested extras
 * and groups, and for each package picks the best-ranked wheel the lock records that fits the
 * target's tags. Files the lock names without a location (poetry.lock) or only by hash
 * (Pipfile.lock) are found on the indexes, and their hashes must equal the lock's. Every chosen
 * file has a sha256 (the lock's, the index's, or computed for local files after checking the
 * lock's), and its METADATA is read so that the result carries license and the like.
 *
 * <p>All problems are collected and reported together ({@link LockSelectionException}): a package
 * with no wheel for the target (each file with the reason it doesn't fit), an entry that must be
 * built, a hash that differs, a file that can't be found.
 *
 * <p>Thread-safe: each call works on its own state; the client and fetcher memoize pages and
 * metadata across calls.
 */
public final class LockResolver {
  private static final Map<String, String> DIGESTS =
      Map.of(
          "md5", "MD5",
          "sha1", "SHA-1",
          "sha224", "SHA-224",
          "sha256", "SHA-256",
          "sha384", "SHA-384",
          "sha512", "SHA-512",
          "sha3_256", "SHA3-256",
          "sha3_512", "SHA3-512");

  private final SimpleIndexClient client;
  private final WheelMetadataFetcher fetcher;
  private final Map<URI, Map<String, String>> localDigests = new ConcurrentHashMap<>();
  private final Map<URI, CompletableFuture<CoreMetadata>> metadata = new ConcurrentHashMap<>();

  public LockResolver(SimpleIndexClient client, WheelMetadataFetcher fetcher) {
    this.client = client;
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
    checkChoices(listing, byId, wantedExtras, wantedGroups);
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
    if (!holds(listing.requiresPython(), base, problems, "requires-python")) {
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
        any |= holds(environment, base, problems, "environments");
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

    Walk walk = walk(listing, byId, base, wantedExtras, wantedGroups, problems);
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
    prefetchPages(listing, walk);
    for (Node node : walk.nodes.values()) {
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
          Distribution d = choose(listing, p, target, problems, warnings);
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
    for (Node node : walk.nodes.values()) {
      LockedPackage p = node.pkg;
      Distribution d = distributions.get(p.id());
      if (d == null) {
        continue;
      }
      CoreMetadata meta = await(futures.get(p.id()));
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

  /** Requested extras and groups must exist in the lock (a typo must not silently do nothing). */
  private static void checkChoices(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      Set<String> extras,
      Set<String> groups)
      throws ListingException {
    Set<String> offeredExtras = new TreeSet<>(listing.declaredExtras());
    Set<String> offeredGroups = new TreeSet<>(listing.declaredGroups());
    offeredGroups.addAll(listing.defaultGroups());
    for (String id : listing.roots()) {
      LockedPackage root = byId.get(id);
      offeredExtras.addAll(root.optionalDependencies().keySet());
      offeredGroups.addAll(root.groupDependencies().keySet());
    }
    for (String extra : extras) {
      if (!offeredExtras.contains(extra)) {
        throw new ListingException(
            listing.file()
                + " has no extra '"
                + extra
                + "'; it offers "
                + (offeredExtras.isEmpty() ? "none" : String.join(", ", offeredExtras)));
      }
    }
    for (String group : groups) {
      if (!offeredGroups.contains(group)) {
        throw new ListingException(
            listing.file()
                + " has no dependency group '"
                + group
                + "'; it offers "
                + (offeredGroups.isEmpty() ? "none" : String.join(", ", offeredGroups)));
      }
    }
  }

  private static boolean holds(
      LockCondition condition, LockCondition.Context context, List<String> problems, String what) {
    try {
      return condition.holds(context);
    } catch (LockConditionException e) {
      problems.add(what + ": " + e.getMessage());
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The walk

  /** A package the walk reached. */
  private static final class Node {
    final LockedPackage pkg;
    final boolean root;
    final Set<String> extras = new TreeSet<>();
    final Set<String> parents = new TreeSet<>();
    boolean fromListing;

    Node(LockedPackage pkg, boolean root) {
      this.pkg = pkg;
      this.root = root;
    }

    List<String> requiredBy(Walk walk) {
      if (!pkg.requiredBy().isEmpty()) {
        return pkg.requiredBy();
      }
      Set<String> out = new TreeSet<>();
      if (fromListing) {
        out.add("listing");
      }
      out.addAll(parents);
      if (!walk.follow) {
        // a flat lock: who requires what comes from the entries' informational edges
        for (Node other : walk.nodes.values()) {
          for (LockedEdge e : other.pkg.dependencies()) {
            if (e.candidates().contains(pkg.id()) && other != this) {
              out.add(other.pkg.name().normalized());
            }
          }
        }
        if (out.size() > 1) {
          out.remove("listing");
        }
      }
      return List.copyOf(out);
    }

    List<String> dependencies(Walk walk) {
      Set<String> out = new TreeSet<>();
      for (Node other : walk.nodes.values()) {
        if (other != this && other.parents.contains(pkg.name().normalized())) {
          out.add(other.pkg.name().normalized());
        }
      }
      if (!walk.follow) {
        for (LockedEdge e : pkg.dependencies()) {
          Node other = walk.nodes.get(e.name());
          if (other != null && e.candidates().contains(other.pkg.id())) {
            out.add(other.pkg.name().normalized());
          }
        }
      }
      return List.copyOf(out);
    }
  }

  /** The packages reached, by name (one entry per name). */
  private static final class Walk {
    final Map<PackageName, Node> nodes = new LinkedHashMap<>();
    final List<Node> roots = new ArrayList<>();
    final boolean follow;

    Walk(boolean follow) {
      this.follow = follow;
    }
  }

  private Walk walk(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> groups,
      List<String> problems) {
    Set<String> activations = new TreeSet<>();
    Walk walk = null;
    // uv.lock's conflict markers ask which extras and groups are active anywhere in the install;
    // walk again until that set stops growing (it only grows; a handful of rounds at most)
    for (int round = 0; round < 16; round++) {
      List<String> roundProblems = new ArrayList<>();
      walk = walkOnce(listing, byId, base, extras, groups, activations, roundProblems);
      if (!listing.extraIsSet()) {
        problems.addAll(roundProblems);
        return walk;
      }
      Set<String> now = new TreeSet<>();
      List<Node> all = new ArrayList<>(walk.roots);
      all.addAll(walk.nodes.values());
      for (Node node : all) {
        String name = node.pkg.name().normalized();
        for (String extra : node.extras) {
          now.add("extra-" + name.length() + "-" + name + "-" + extra);
        }
        if (node.root) {
          for (String group : groups) {
            now.add("group-" + name.length() + "-" + name + "-" + group);
          }
        }
      }
      if (activations.containsAll(now)) {
        problems.addAll(roundProblems);
        return walk;
      }
      activations.addAll(now);
    }
    return walk;
  }

  private Walk walkOnce(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> groups,
      Set<String> activations,
      List<String> problems) {
    Walk walk = new Walk(listing.followDependencies());
    record Work(Node node, Set<String> newExtras, boolean withBase) {}
    ArrayDeque<Work> queue = new ArrayDeque<>();
    Map<String, Node> roots = new LinkedHashMap<>();
    for (String id : listing.roots()) {
      LockedPackage root = byId.get(id);
      Node node = new Node(root, true);
      Set<String> own = new TreeSet<>(extras);
      own.retainAll(root.optionalDependencies().keySet());
      node.extras.addAll(own);
      roots.put(id, node);
      walk.roots.add(node);
      queue.add(new Work(node, own, true));
    }
    while (!queue.isEmpty()) {
      Work work = queue.poll();
      Node node = work.node();
      if (!node.root && !walk.follow) {
        continue;
      }
      List<LockedEdge> edges = new ArrayList<>();
      if (work.withBase()) {
        edges.addAll(node.pkg.dependencies());
        if (node.root) {
          for (String group : groups) {
            edges.addAll(node.pkg.groupDependencies().getOrDefault(group, List.of()));
          }
        }
      }
      for (String extra : work.newExtras()) {
        edges.addAll(node.pkg.optionalDependencies().getOrDefault(extra, List.of()));
      }
      Set<String> extraValues = new TreeSet<>(activations);
      extraValues.addAll(node.extras);
      if (node.root) {
        // flat locks (Poetry 2.1) test the listing's extras in their markers
        extraValues.addAll(extras);
      }
      LockCondition.Context context = base.withExtra(extraValues);
      for (LockedEdge edge : edges) {
        boolean applies;
        try {
          applies = edge.condition().holds(context);
        } catch (LockConditionException e) {
          problems.add(
              "the dependency of "
                  + node.pkg.display()
                  + " on "
                  + edge.name()
                  + ": "
                  + e.getMessage());
          continue;
        }
        if (!applies) {
          continue;
        }
        LockedPackage target = pick(listing, byId, node, edge, base, extras, activations, problems);
        if (target == null) {
          continue;
        }
        Node child = roots.get(target.id());
        if (child == null) {
          child = walk.nodes.get(target.name());
        }
        boolean fresh = child == null;
        if (fresh) {
          child = new Node(target, false);
          walk.nodes.put(target.name(), child);
        } else if (!child.pkg.id().equals(target.id())) {
          problems.add(
              "the lock selects "
                  + target.name().normalized()
                  + " twice for the target: "
                  + child.pkg.display()
                  + " ("
                  + child.pkg.source()
                  + ") and "
                  + target.display()
                  + " ("
                  + target.source()
                  + "); its markers overlap. Lock again, or report it to the tool that made it.");
          continue;
        }
        if (node.root) {
          if (child != node) {
            child.fromListing = true;
          }
        } else if (child != node) {
          child.parents.add(node.pkg.name().normalized());
        }
        Set<String> newExtras = new TreeSet<>(edge.extras());
        newExtras.removeAll(child.extras);
        child.extras.addAll(newExtras);
        if (fresh || !newExtras.isEmpty()) {
          queue.add(new Work(child, newExtras, fresh));
        }
      }
    }
    return walk;
  }

  /** The entry an edge leads to, or null (with a problem) when there is none. */
  private static LockedPackage pick(
      LockedListing listing,
      Map<String, LockedPackage> byId,
      Node from,
      LockedEdge edge,
      LockCondition.Context base,
      Set<String> extras,
      Set<String> activations,
      List<String> problems) {
    String who = from.root ? "the project" : from.pkg.display();
    if (edge.candidates().isEmpty()) {
      problems.add(
          who
              + " depends on "
              + edge.name().normalized()
              + (edge.condition().describe().isEmpty()
                  ? ""
                  : " (when " + edge.condition().describe() + ")")
              + ", but the lock has no entry for it that fits; the lock is incomplete or out of"
              + " date. Lock again.");
      return null;
    }
    if (edge.candidates().size() == 1) {
      return byId.get(edge.candidates().get(0));
    }
    Set<String> extraValues = new TreeSet<>(activations);
    extraValues.addAll(extras);
    LockCondition.Context context = base.withExtra(extraValues);
    List<LockedPackage> fitting = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (String id : edge.candidates()) {
      LockedPackage candidate = byId.get(id);
      described.add(candidate.display() + " for '" + candidate.selector().describe() + "'");
      try {
        if (candidate.selector().holds(context)) {
          fitting.add(candidate);
        }
      } catch (LockConditionException e) {
        problems.add(candidate.display() + ": " + e.getMessage());
        return null;
      }
    }
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    problems.add(
        who
            + " depends on "
            + edge.name().normalized()
            + ", which the lock has "
            + edge.candidates().size()
            + " times ("
            + String.join("; ", described)
            + "), and "
            + (fitting.isEmpty() ? "none" : fitting.size())
            + " of them apply to the target");
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Choosing files

  private record Ranked(LockedFile file, WheelFilename wheel, int rank) {}

  /** Loads in parallel the index pages the file lookups will need. */
  private void prefetchPages(LockedListing listing, Walk walk) {
    for (Node node : walk.nodes.values()) {
      LockedPackage p = node.pkg;
      boolean needsIndex = !p.hashes().isEmpty();
      for (LockedFile f : p.files()) {
        needsIndex |= f.location() == null;
      }
      if (needsIndex && (p.kind() == LockedPackage.Kind.INDEX)) {
        for (URI index : searchOrder(listing, p)) {
          client.pageAsync(index, p.name());
        }
        client.pagesAsync(p.name());
      }
    }
  }

  private static List<URI> searchOrder(LockedListing listing, LockedPackage p) {
    LinkedHashSet<URI> out = new LinkedHashSet<>(p.searchIndexes());
    for (URI index : listing.indexes()) {
      out.add(LockBuilder.withoutUserInfo(index));
    }
    return List.copyOf(out);
  }

  private Distribution choose(
      LockedListing listing,
      LockedPackage p,
      PythonTarget target,
      List<String> problems,
      List<String> warnings) {
    if (p.files().isEmpty() && !p.hashes().isEmpty()) {
      return chooseByHash(listing, p, target, problems, warnings);
    }
    List<Ranked> fitting = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (LockedFile f : p.files()) {
      if (!f.isWheel()) {
        reasons.add(f.filename() + ": an sdist; Accretion installs wheels only");
        continue;
      }
      WheelFilename wheel;
      try {
        wheel = WheelFilename.parse(f.filename());
      } catch (ParseException e) {
        reasons.add(f.filename() + ": not a valid wheel file name (" + e.reason() + ")");
        continue;
      }
      OptionalInt rank = target.bestRank(wheel);
      if (rank.isEmpty()) {
        reasons.add(f.filename() + ": " + PlatformReasons.explain(wheel, target));
      } else {
        fitting.add(new Ranked(f, wheel, rank.getAsInt()));
      }
    }
    if (fitting.isEmpty()) {
      problems.add(noWheel(p, target, reasons));
      return null;
    }
    fitting.sort(Comparator.comparingInt(Ranked::rank));
    List<String> notFound = new ArrayList<>();
    for (Ranked r : fitting) {
      IndexFile file;
      try {
        file =
            r.file().location() != null
                ? located(p, r.file())
                : onIndexes(listing, p, r.file(), warnings, notFound);
      } catch (HashMismatch e) {
        problems.add(e.getMessage());
        return null;
      } catch (AccretionException e) {
        problems.add(p.display() + ": " + e.getMessage());
        return null;
      }
      if (file != null) {
        return new Distribution(p.version(), file, r.wheel(), r.rank());
      }
    }
    List<String> searched = new ArrayList<>();
    searchOrder(listing, p).forEach(u -> searched.add(u.toString()));
    client.indexes().forEach(u -> searched.add(u.toString()));
    client.findLinks().forEach(u -> searched.add(u.toString()));
    problems.add(
        p.display()
            + ": the lock records the file names but not where they are, and none of the wheels"
            + " that fit the target is on the indexes ("
            + String.join(", ", new LinkedHashSet<>(searched))
            + "): "
            + String.join(", ", notFound)
            + ". Configure the index the lock was made with (pip.conf, --index-url,"
            + " --extra-index-url).");
    return null;
  }

  private static String noWheel(LockedPackage p, PythonTarget target, List<String> reasons) {
    StringBuilder out = new StringBuilder();
    out.append(p.display())
        .append(": no wheel for ")
        .append(target.describe())
        .append(". The lock has ")
        .append(
            reasons.isEmpty()
                ? "no files"
                : reasons.size() == 1 ? "1 file" : reasons.size() + " files")
        .append(reasons.isEmpty() ? "." : ":");
    for (String r : reasons) {
      out.append("\n").append(r);
    }
    out.append(
        "\nLock again for this target (a version with a wheel for it), or choose a runtime and"
            + " architecture the lock's wheels support.");
    return out.toString();
  }

  /** A file the lock gives a URL or path for: local ones are checked against the lock now. */
  private IndexFile located(LockedPackage p, LockedFile f) throws AccretionException {
    URI url = f.location();
    Map<String, String> hashes = new TreeMap<>(f.hashes());
    OptionalLong size = f.size() == null ? OptionalLong.empty() : OptionalLong.of(f.size());
    if ("file".equalsIgnoreCase(url.getScheme())) {
      Map<String, String> actual =
          localDigests(p, f.filename(), url, f.hashes().keySet(), size.orElse(-1));
      for (Map.Entry<String, String> h : f.hashes().entrySet()) {
        String have = actual.get(h.getKey());
        if (have != null && !have.equals(h.getValue())) {
          throw new HashMismatch(p, f.filename(), h.getKey(), h.getValue(), have, url.toString());
        }
      }
      if (!f.hashes().isEmpty() && !containsAny(DIGESTS.keySet(), f.hashes().keySet())) {
        throw new AccretionException(
            "the lock's hashes of "
                + f.filename()
                + " ("
                + String.join(", ", f.hashes().keySet())
                + ") use no algorithm Accretion can check");
      }
      hashes.put("sha256", actual.get("sha256"));
      if (size.isEmpty()) {
        size = OptionalLong.of(Long.parseLong(actual.get("size")));
      } else if (size.getAsLong() != Long.parseLong(actual.get("size"))) {
        throw new AccretionException(
            f.filename()
                + " is "
                + actual.get("size")
                + " bytes but the lock says "
                + size.getAsLong()
                + "; the file is not the one locked");
      }
    } else if (!hashes.containsKey("sha256")) {
      throw new AccretionException(
          "the lock gives no sha256 for "
              + f.filename()
              + (hashes.isEmpty() ? "" : " (only " + String.join(", ", hashes.keySet()) + ")")
              + "; Accretion verifies every download by sha256. Lock again with sha256 hashes.");
    }
    URI index = p.index() != null ? p.index() : url.resolve(".");
    return new IndexFile(
        f.filename(),
        url,
        hashes,
        Optional.empty(),
        false,
        Optional.empty(),
        false,
        Map.of(),
        size,
        index);
  }

  /** Finds a file the lock names only by file name, and checks its hash. */
  private IndexFile onIndexes(
      LockedListing listing,
      LockedPackage p,
      LockedFile f,
      List<String> warnings,
      List<String> notFound)
      throws AccretionException {
    for (ProjectPage page : pages(listing, p, warnings)) {
      for (IndexFile candidate : page.files()) {
        if (!candidate.filename().equals(f.filename())) {
          continue;
        }
        Map<String, String> hashes = new TreeMap<>(candidate.hashes());
        boolean local = "file".equalsIgnoreCase(candidate.url().getScheme());
        for (Map.Entry<String, String> h : f.hashes().entrySet()) {
          String have = candidate.hashes().get(h.getKey());
          if (have == null && local) {
            have =
                localDigests(p, f.filename(), candidate.url(), f.hashes().keySet()).get(h.getKey());
          }
          if (have != null && !have.equals(h.getValue())) {
            throw new HashMismatch(
                p, f.filename(), h.getKey(), h.getValue(), have, "index " + page.source());
          }
          if (have == null && !local) {
            // the index doesn't say; the build checks the download against the lock's hash
            hashes.put(h.getKey(), h.getValue());
          }
        }
        if (!hashes.containsKey("sha256")) {
          if (local) {
            hashes.put(
                "sha256", localDigests(p, f.filename(), candidate.url(), Set.of()).get("sha256"));
          } else {
            throw new AccretionException(
                "neither the lock nor the index "
                    + page.source()
                    + " gives a sha256 for "
                    + f.filename()
                    + "; Accretion verifies every download by sha256");
          }
        }
        OptionalLong size = candidate.size();
        if (size.isEmpty() && f.size() != null) {
          size = OptionalLong.of(f.size());
        }
        if (size.isEmpty() && local) {
          size = localSize(candidate.url());
        }
        return new IndexFile(
            candidate.filename(),
            candidate.url(),
            hashes,
            candidate.requiresPython(),
            candidate.yanked(),
            candidate.yankedReason(),
            candidate.hasMetadataFile(),
            candidate.metadataHashes(),
            size,
            candidate.index());
      }
    }
    notFound.add(f.filename());
    return null;
  }

  /**
   * Pipfile.lock and Poetry 0.12 record only hashes: among the indexes' files of the locked
   * version, those whose sha256 the lock accepts are the candidates, and the best-ranked wins.
   */
  private Distribution chooseByHash(
      LockedListing listing,
      LockedPackage p,
      PythonTarget target,
      List<String> problems,
      List<String> warnings) {
    Set<String> accepted = new TreeSet<>();
    for (String h : p.hashes()) {
      accepted.add(h.toLowerCase(Locale.ROOT));
    }
    List<Ranked> fitting = new ArrayList<>();
    Map<String, IndexFile> files = new LinkedHashMap<>();
    List<String> reasons = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<ProjectPage> pages;
    try {
      pages = pages(listing, p, warnings);
    } catch (AccretionException e) {
      problems.add(p.display() + ": " + e.getMessage());
      return null;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (ProjectPage page : pages) {
      for (IndexFile candidate : page.files()) {
        if (!seen.add(candidate.filename())) {
          continue;
        }
        String version = versionOf(candidate.filename(), p.name());
        if (version == null || !p.version().equals(Version.tryParse(version).orElse(null))) {
          continue;
        }
        String sha256 = candidate.sha256().orElse(null);
        boolean local = "file".equalsIgnoreCase(candidate.url().getScheme());
        try {
          if (sha256 == null && local) {
            sha256 = localDigests(p, candidate.filename(), candidate.url(), Set.of()).get("sha256");
          }
        } catch (AccretionException e) {
          problems.add(p.display() + ": " + e.getMessage());
          return null;
        }
        if (sha256 == null) {
          reasons.add(
              candidate.filename()
                  + ": the index "
                  + page.source()
                  + " gives no sha256, so it can't be matched with the lock's hashes");
          continue;
        }
        if (!accepted.contains("sha256:" + sha256)) {
          mismatched.add(
              candidate.filename() + " (sha256 " + sha256 + ", index " + page.source() + ")");
          continue;
        }
        if (!candidate.isWheel()) {
          reasons.add(candidate.filename() + ": an sdist; Accretion installs wheels only");
          continue;
        }
        WheelFilename wheel;
        try {
          wheel = WheelFilename.parse(candidate.filename());
        } catch (ParseException e) {
          reasons.add(candidate.filename() + ": not a valid wheel file name");
          continue;
        }
        OptionalInt rank = target.bestRank(wheel);
        if (rank.isEmpty()) {
          reasons.add(candidate.filename() + ": " + PlatformReasons.explain(wheel, target));
          continue;
        }
        Map<String, String> hashes = new TreeMap<>(candidate.hashes());
        hashes.put("sha256", sha256);
        files.put(
            candidate.filename(),
            new IndexFile(
                candidate.filename(),
                candidate.url(),
                hashes,
                candidate.requiresPython(),
                candidate.yanked(),
                candidate.yankedReason(),
                candidate.hasMetadataFile(),
                candidate.metadataHashes(),
                candidate.size().isPresent() || !local
                    ? candidate.size()
                    : localSize(candidate.url()),
                candidate.index()));
        fitting.add(
            new Ranked(
                new LockedFile(candidate.filename(), candidate.url(), hashes, null),
                wheel,
                rank.getAsInt()));
      }
    }
    if (!fitting.isEmpty()) {
      fitting.sort(Comparator.comparingInt(Ranked::rank));
      Ranked best = fitting.get(0);
      return new Distribution(
          p.version(), files.get(best.file().filename()), best.wheel(), best.rank());
    }
    if (reasons.isEmpty() && !mismatched.isEmpty()) {
      problems.add(
          p.display()
              + ": hash mismatch. The indexes have "
              + String.join(", ", mismatched)
              + ", but the lock accepts only "
              + String.join(", ", accepted)
              + ". The index serves other files than the ones locked: check the index, or lock"
              + " again if the release was re-uploaded.");
      return null;
    }
    if (reasons.isEmpty()) {
      problems.add(
          p.display()
              + ": no file of this version is on the indexes ("
              + String.join(", ", searched(listing, p))
              + "). Configure the index the lock was made with (its sources, pip.conf,"
              + " --index-url, --extra-index-url).");
      return null;
    }
    problems.add(noWheel(p, target, reasons));
    return null;
  }

  private List<String> searched(LockedListing listing, LockedPackage p) {
    List<String> out = new ArrayList<>();
    searchOrder(listing, p).forEach(u -> out.add(u.toString()));
    client.indexes().forEach(u -> out.add(u.toString()));
    client.findLinks().forEach(u -> out.add(u.toString()));
    return List.copyOf(new LinkedHashSet<>(out));
  }

  /** The version part of a wheel or sdist file name of the project, or null. */
  private static String versionOf(String filename, PackageName name) {
    if (WheelFilename.isWheel(filename)) {
      try {
        WheelFilename w = WheelFilename.parse(filename);
        return w.name().equals(name) ? w.version() : null;
      } catch (ParseException e) {
        return null;
      }
    }
    try {
      SdistFilename s = SdistFilename.parse(filename);
      return s.name().equals(name) ? s.version() : null;
    } catch (ParseException e) {
      return null;
    }
  }

  /** The package's pages: its own indexes, the lock's, then the configured ones. */
  private List<ProjectPage> pages(LockedListing listing, LockedPackage p, List<String> warnings)
      throws AccretionException {
    List<ProjectPage> out = new ArrayList<>();
    for (URI index : searchOrder(listing, p)) {
      try {
        await(client.pageAsync(index, p.name())).ifPresent(out::add);
      } catch (IndexUnreachableException e) {
        warnings.add(e.getMessage());
      }
    }
    try {
      out.addAll(await(client.pagesAsync(p.name())));
    } catch (IndexUnreachableException e) {
      if (out.isEmpty()) {
        throw e;
      }
      warnings.add(e.getMessage());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Hashes and metadata

  /** A hash that differs between the lock and the file or index. */
  private static final class HashMismatch extends AccretionException {
    private static final long serialVersionUID = 1L;

    HashMismatch(
        LockedPackage p,
        String file,
        String algorithm,
        String locked,
        String actual,
        String where) {
      super(
          p.display()
              + ": hash mismatch for "
              + file
              + ": the lock says "
              + algorithm
              + " "
              + locked
              + ", but "
              + where
              + " has "
              + algorithm
              + " "
              + actual
              + ". The file is not the one that was locked: check the index, or lock again if"
              + " the release was re-uploaded.");
    }
  }

  /**
   * The sha256 of a local file, the other digests asked for that Accretion can compute, and its
   * "size". Memoized per file.
   */
  private Map<String, String> localDigests(
      LockedPackage p, String filename, URI url, Set<String> algorithms) throws AccretionException {
    return localDigests(p, filename, url, algorithms, -1);
  }

  /** The largest local file read for its digests when the lock declares no size. */
  static final long MAX_LOCAL_FILE_BYTES = 1L << 30;

  /**
   * As above; the read stops one byte past {@code declared} (the lock's size, or -1 for none, then
   * {@link #MAX_LOCAL_FILE_BYTES}), so a path such as {@code /dev/zero} can't keep it going.
   */
  private Map<String, String> localDigests(
      LockedPackage p, String filename, URI url, Set<String> algorithms, long declared)
      throws AccretionException {
    Set<String> wanted = new TreeSet<>(algorithms);
    wanted.retainAll(DIGESTS.keySet());
    wanted.add("sha256");
    Map<String, String> known = localDigests.get(url);
    if (known != null && known.keySet().containsAll(wanted)) {
      return known;
    }
    Path path;
    try {
      path = Path.of(url);
    } catch (IllegalArgumentException e) {
      throw new AccretionException("cannot read " + url + ": not a local file");
    }
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    try {
      for (String algorithm : wanted) {
        digests.put(algorithm, MessageDigest.getInstance(DIGESTS.get(algorithm)));
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      long limit = declared >= 0 ? declared : MAX_LOCAL_FILE_BYTES;
      while ((n = in.read(buffer)) > 0) {
        size += n;
        if (size > limit) {
          throw new AccretionException(
              dev.accretion.core.FailureKind.REFUSED,
              "the lock's file "
                  + filename
                  + " of "
                  + p.display()
                  + " at "
                  + path
                  + (declared >= 0
                      ? " is larger than the " + declared + " bytes the lock says"
                      : " is larger than " + MAX_LOCAL_FILE_BYTES + " bytes")
                  + "; reading stopped there: the file is not the one locked",
              null);
        }
        for (MessageDigest d : digests.values()) {
          d.update(buffer, 0, n);
        }
      }
    } catch (NoSuchFileException e) {
      throw new AccretionException(
          "the lock's file " + filename + " of " + p.display() + " does not exist at " + path);
    } catch (IOException e) {
      throw new AccretionException("cannot read " + path + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    digests.forEach((k, d) -> out.put(k, HexFormat.of().formatHex(d.digest())));
    out.put("size", Long.toString(size));
    localDigests.put(url, out);
    return out;
  }

  private static OptionalLong localSize(URI url) {
    try {
      return OptionalLong.of(Files.size(Path.of(url)));
    } catch (IOException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
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

  private static <T> T await(CompletableFuture<T> future) throws AccretionException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while reading an index", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while ((cause instanceof CompletionException || cause instanceof ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof AccretionException ae) {
        throw ae;
      }
      throw new IndexException(String.valueOf(cause), cause);
    }
  }

  private static boolean containsAny(Set<String> set, Set<String> values) {
    for (String v : values) {
      if (set.contains(v)) {
        return true;
      }
    }
    return false;
  }
}
