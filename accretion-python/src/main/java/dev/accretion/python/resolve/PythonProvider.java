package dev.accretion.python.resolve;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.python.Excerpt;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.Operator;
import dev.accretion.python.pep440.Specifier;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.resolve.engine.Provider;
import dev.accretion.python.tags.PythonTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Python packaging rules for the {@link dev.accretion.python.resolve.engine.Engine}, modelled
 * on pip 23's resolver so that the answers agree with pip's: extras are separate identifiers pinned
 * to the same release as the plain project, Requires-Python is a requirement on the target Python,
 * markers are evaluated in the target's environment, candidates come newest first, pre-releases and
 * yanked files follow pip's rules, and the pinning order follows pip's preference.
 */
final class PythonProvider implements Provider<Key, Need, Candidate> {
  private final PackageFinder finder;
  private final WheelMetadataFetcher metadataFetcher;
  private final PythonTarget target;
  private final MarkerEnvironment environment;
  private final Version targetPython;
  private final boolean allowAllPrereleases;
  private final Map<PackageName, List<Need>> constraints;
  private final Map<PackageName, Set<String>> allowedHashes;
  private final boolean hashChecking;
  private final Map<String, Integer> userRequested;
  private final Map<Key, Double> knownDepths = new HashMap<>();
  private final Map<URI, CompletableFuture<CoreMetadata>> metadata;
  private final Map<Candidate, List<Need>> dependencies = new ConcurrentHashMap<>();
  private final Map<URI, Distribution> direct = new ConcurrentHashMap<>();
  private final List<String> warnings;

  PythonProvider(
      PackageFinder finder,
      WheelMetadataFetcher metadataFetcher,
      PythonTarget target,
      boolean allowAllPrereleases,
      Map<PackageName, List<Need>> constraints,
      Map<PackageName, Set<String>> allowedHashes,
      boolean hashChecking,
      List<String> warnings,
      Map<URI, CompletableFuture<CoreMetadata>> metadataCache) {
    this.metadata = metadataCache;
    this.finder = finder;
    this.metadataFetcher = metadataFetcher;
    this.target = target;
    this.environment = MarkerEnvironment.of(target.markerEnvironment());
    this.targetPython = Version.tryParse(target.pythonFullVersion()).orElseThrow();
    this.allowAllPrereleases = allowAllPrereleases;
    this.constraints = constraints;
    this.allowedHashes = allowedHashes;
    this.hashChecking = hashChecking;
    this.userRequested = new HashMap<>();
    this.warnings = warnings;
  }

  MarkerEnvironment environment() {
    return environment;
  }

  Version targetPython() {
    return targetPython;
  }

  /**
   * Records one of the user's own requirements, in listing order: pip's {@code user_requested},
   * keyed like pip by the identifier ({@code name} or {@code name[extras]}), first occurrence wins.
   * User-requested identifiers have depth 1 and are pinned in listing order.
   */
  void userRequested(Key key) {
    userRequested.putIfAbsent(key.toString(), userRequested.size());
  }

  /** Registers a direct wheel (a {@code name @ url} requirement) before resolution starts. */
  void addDirect(URI url, Distribution distribution) {
    direct.put(url, distribution);
  }

  @Override
  public Key identify(Need requirement) {
    return requirement.key();
  }

  @Override
  public Key identifyCandidate(Candidate candidate) {
    return candidate.key();
  }

  /** pip 23.2's preference: Requires-Python, direct, pinned, conflict, depth, user order, free. */
  record Preference(
      boolean notPython,
      boolean notDirect,
      boolean notPinned,
      boolean notBacktrackCause,
      double depth,
      double requestedOrder,
      boolean free,
      String identifier)
      implements Comparable<Preference> {
    @Override
    public int compareTo(Preference o) {
      int c = Boolean.compare(notPython, o.notPython);
      if (c == 0) c = Boolean.compare(notDirect, o.notDirect);
      if (c == 0) c = Boolean.compare(notPinned, o.notPinned);
      if (c == 0) c = Boolean.compare(notBacktrackCause, o.notBacktrackCause);
      if (c == 0) c = Double.compare(depth, o.depth);
      if (c == 0) c = Double.compare(requestedOrder, o.requestedOrder);
      if (c == 0) c = Boolean.compare(free, o.free);
      if (c == 0) c = identifier.compareTo(o.identifier);
      return c;
    }
  }

  @Override
  public Comparable<?> preference(
      Key identifier,
      List<Information<Need, Candidate>> information,
      List<Information<Need, Candidate>> backtrackCauses) {
    boolean direct = false;
    boolean pinned = false;
    boolean unfree = false;
    for (Information<Need, Candidate> i : information) {
      Need need = i.requirement();
      if (need.url() != null || need.pinned() != null) {
        direct = true;
      }
      for (Specifier s : need.specifier().specifiers()) {
        unfree = true;
        if (s.operator() == Operator.EQUAL || s.operator() == Operator.ARBITRARY) {
          pinned = true;
        }
      }
    }
    double depth;
    Integer requested = userRequested.get(identifier.toString());
    if (requested != null) {
      depth = 1.0;
    } else if (!information.isEmpty()) {
      double min = Double.POSITIVE_INFINITY;
      for (Information<Need, Candidate> i : information) {
        double parentDepth =
            i.parent() == null
                ? 0.0
                : knownDepths.getOrDefault(i.parent().key(), Double.POSITIVE_INFINITY);
        min = Math.min(min, parentDepth);
      }
      depth = min + 1.0;
    } else {
      depth = Double.POSITIVE_INFINITY;
    }
    knownDepths.put(identifier, depth);
    boolean cause = false;
    for (Information<Need, Candidate> c : backtrackCauses) {
      if (c.requirement().key().equals(identifier)
          || (c.parent() != null && c.parent().key().equals(identifier))) {
        cause = true;
        break;
      }
    }
    return new Preference(
        !identifier.python(),
        !direct,
        !pinned,
        !cause,
        depth,
        requested == null ? Double.POSITIVE_INFINITY : requested,
        !unfree,
        identifier.toString());
  }

  @Override
  public List<Candidate> findMatches(Key key, List<Need> needs, Set<Candidate> incompatibilities)
      throws AccretionException {
    if (key.python()) {
      Candidate python = new Candidate(Key.PYTHON, targetPython, null);
      for (Need need : needs) {
        if (!need.specifier().contains(targetPython, true)) {
          return List.of();
        }
      }
      return List.of(python);
    }
    // an explicit pin (from an extras candidate) or a direct URL leaves one possible candidate
    Candidate explicit = null;
    URI url = null;
    for (Need need : needs) {
      if (need.pinned() != null) {
        if (explicit != null && !explicit.equals(need.pinned())) {
          return List.of();
        }
        explicit = need.pinned();
      }
      if (need.url() != null) {
        if (url != null && !url.equals(need.url())) {
          return List.of();
        }
        url = need.url();
      }
    }
    if (explicit != null) {
      Candidate c = explicit;
      boolean ok =
          !incompatibilities.contains(c) && needs.stream().allMatch(n -> isSatisfiedBy(n, c));
      return ok ? List.of(c) : List.of();
    }
    if (url != null) {
      Distribution d = direct.get(url);
      if (d == null) {
        throw new IllegalStateException("direct wheel not registered: " + url);
      }
      Candidate c = new Candidate(key, d.version(), d);
      boolean ok =
          !incompatibilities.contains(c)
              && needs.stream().allMatch(n -> isSatisfiedBy(n, c))
              && constraintsAllow(key.name(), d.version());
      return ok ? List.of(c) : List.of();
    }
    PackageFinder.Found found = finder.find(key.name());
    SpecifierSet combined = SpecifierSet.EMPTY;
    for (Need need : needs) {
      combined = combined.and(need.specifier());
    }
    for (Need constraint : constraints.getOrDefault(key.name(), List.of())) {
      combined = combined.and(constraint.specifier());
    }
    boolean prereleasesOk = allowAllPrereleases || explicitlyAllowsPrereleases(combined);
    List<Distribution> matching = new ArrayList<>();
    List<Distribution> prereleases = new ArrayList<>();
    Set<String> hashes = hashChecking ? allowedHashes.get(key.name()) : null;
    if (hashChecking && hashes == null) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "hash-checking mode: "
              + key.name().display()
              + " is needed ("
              + needs.get(0).text()
              + ") but the requirements list no --hash for it; pip's rule is that every package,"
              + " dependencies included, is pinned with == and has a --hash. Add a line such as '"
              + key.name().normalized()
              + "==VERSION --hash=sha256:...'.");
    }
    for (Distribution d : found.distributions()) {
      if (!combined.contains(d.version(), true)) {
        continue;
      }
      if (hashes != null
          && d.file().sha256().map(h -> !hashes.contains("sha256:" + h)).orElse(true)) {
        continue;
      }
      if (d.version().isPrerelease() && !prereleasesOk) {
        prereleases.add(d);
      } else {
        matching.add(d);
      }
    }
    // packaging 21.3, as pip 23 uses it: with no specifier at all, pre-releases are taken when
    // nothing else exists; with a specifier, only if one of its versions is a pre-release
    if (matching.isEmpty() && combined.isEmpty() && !prereleases.isEmpty()) {
      matching = prereleases;
    }
    // PEP 592: yanked files only when a == / === pin can only be met by yanked files
    boolean allYanked = !matching.isEmpty() && matching.stream().allMatch(d -> d.file().yanked());
    boolean pinned = isPinned(combined);
    List<Candidate> out = new ArrayList<>();
    for (Distribution d : matching) {
      if (d.file().yanked() && !(allYanked && pinned)) {
        continue;
      }
      Candidate c = new Candidate(key, d.version(), d);
      if (!incompatibilities.contains(c)) {
        out.add(c);
      }
    }
    if (allYanked && pinned && !out.isEmpty()) {
      Distribution d = out.get(0).distribution();
      warnings.add(
          "using yanked "
              + d.file().filename()
              + d.file().yankedReason().map(r -> " (reason: " + r + ")").orElse("")
              + " because it is pinned with ==");
    }
    prefetchMetadata(out);
    return out;
  }

  private boolean constraintsAllow(PackageName name, Version version) {
    for (Need c : constraints.getOrDefault(name, List.of())) {
      if (!c.specifier().contains(version, true)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPinned(SpecifierSet set) {
    for (Specifier s : set.specifiers()) {
      if (s.operator() == Operator.ARBITRARY
          || (s.operator() == Operator.EQUAL && !s.isWildcard())) {
        return true;
      }
    }
    return false;
  }

  /** packaging 21.3's Specifier.prereleases: an inclusive operator on a pre-release version. */
  static boolean explicitlyAllowsPrereleases(SpecifierSet set) {
    for (Specifier s : set.specifiers()) {
      switch (s.operator()) {
        case EQUAL, GREATER_THAN_EQUAL, LESS_THAN_EQUAL, COMPATIBLE, ARBITRARY -> {
          String v = s.version();
          if (s.operator() == Operator.EQUAL && v.endsWith(".*")) {
            v = v.substring(0, v.length() - 2);
          }
          if (Version.tryParse(v).map(Version::isPrerelease).orElse(false)) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  @Override
  public boolean isSatisfiedBy(Need need, Candidate candidate) {
    if (need.pinned() != null) {
      return need.pinned().equals(candidate);
    }
    if (need.url() != null) {
      return candidate.distribution() != null
          && candidate.distribution().file().url().equals(need.url());
    }
    return need.specifier().contains(candidate.version(), true);
  }

  @Override
  public List<Need> dependencies(Candidate candidate) throws AccretionException {
    if (candidate.key().python()) {
      return List.of();
    }
    List<Need> cached = dependencies.get(candidate);
    if (cached != null) {
      return cached;
    }
    CoreMetadata meta = metadata(candidate.distribution());
    List<Need> out = new ArrayList<>();
    Key key = candidate.key();
    Set<String> extras = Set.of();
    if (key.hasExtras()) {
      // the plain project, pinned to this very release, comes first (pip's ExtrasCandidate)
      Candidate base = new Candidate(key.base(), candidate.version(), candidate.distribution());
      out.add(
          new Need(
              key.base(),
              SpecifierSet.EMPTY,
              null,
              base,
              key.name().display() + "==" + candidate.version(),
              null));
      Set<String> provided = new LinkedHashSet<>();
      for (String e : meta.providesExtra()) {
        provided.add(PackageName.normalize(e));
      }
      Set<String> valid = new LinkedHashSet<>();
      List<String> missing = new ArrayList<>();
      for (String e : key.extras()) {
        if (provided.contains(e)) {
          valid.add(e);
        } else {
          missing.add(e);
        }
      }
      if (!missing.isEmpty()) {
        // one warning, however many extras were asked for: never one line per extra
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < Math.min(5, missing.size()); i++) {
          names.append(i == 0 ? "'" : ", '").append(Excerpt.of(missing.get(i))).append('\'');
        }
        if (missing.size() > 5) {
          names.append(" and ").append(missing.size() - 5).append(" more");
        }
        warnings.add(
            key.name().display()
                + " "
                + candidate.version()
                + (missing.size() == 1
                    ? " does not provide the extra "
                    : " does not provide the extras ")
                + names);
      }
      extras = valid;
    }
    for (String text : meta.requiresDist()) {
      Requirement r;
      try {
        r = Requirement.parse(text);
      } catch (ParseException e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            candidate
                + " ("
                + candidate.distribution().file().filename()
                + ") has an invalid Requires-Dist: "
                + e.getMessage());
      }
      boolean applies;
      try {
        if (r.marker() == null) {
          applies = true;
        } else if (extras.isEmpty()) {
          applies = r.marker().evaluate(environment, "");
        } else {
          applies = r.marker().evaluate(environment, extras);
        }
      } catch (dev.accretion.python.pep508.MarkerEvaluationException e) {
        throw new AccretionException(
            dev.accretion.core.FailureKind.BAD_INPUT,
            candidate
                + " ("
                + candidate.distribution().file().filename()
                + ") has a Requires-Dist whose marker can't be evaluated: "
                + e.getMessage(),
            null);
      }
      if (!applies) {
        continue;
      }
      out.add(needOf(r, null));
    }
    // Requires-Python belongs to the plain project (pip's extras candidate doesn't repeat it) and
    // comes after the Requires-Dist entries, as pip yields it: the order decides which conflict
    // is reported first, and so where backjumping goes
    if (!key.hasExtras() && meta.requiresPython() != null && !meta.requiresPython().isBlank()) {
      try {
        SpecifierSet spec = SpecifierSet.parse(meta.requiresPython());
        out.add(
            new Need(Key.PYTHON, spec, null, null, "Python" + meta.requiresPython().strip(), null));
      } catch (ParseException e) {
        warnings.add(
            candidate + " has an invalid Requires-Python '" + meta.requiresPython() + "'; ignored");
      }
    }
    List<Need> result = List.copyOf(out);
    dependencies.put(candidate, result);
    // prefetch what the next rounds will look at: the dependencies' pages
    for (Need n : result) {
      if (!n.key().python() && n.url() == null) {
        finder.findAsync(n.key().name());
      }
    }
    return result;
  }

  /** A Need for a parsed requirement (marker already evaluated by the caller). */
  Need needOf(Requirement r, String origin) throws AccretionException {
    Key key = Key.of(r.name(), r.extras());
    URI url = null;
    if (r.url() != null) {
      try {
        url = URI.create(r.url());
      } catch (IllegalArgumentException e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, "invalid URL in requirement '" + r + "': " + e.getMessage());
      }
      if (!direct.containsKey(url)) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "'"
                + r
                + "' points at a URL; a dependency declared by a package can't be a direct URL"
                + " here. List the wheel in your own requirements instead.");
      }
    }
    String text = r.toString();
    int semicolon = text.indexOf(';');
    if (semicolon > 0) {
      text = text.substring(0, semicolon).strip();
    }
    return new Need(key, r.specifier(), url, null, text, origin);
  }

  CoreMetadata metadata(Distribution distribution) throws AccretionException {
    try {
      return metadataAsync(distribution).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AccretionException a) {
        throw a;
      }
      throw e;
    }
  }

  private CompletableFuture<CoreMetadata> metadataAsync(Distribution d) {
    IndexFile file = d.file();
    return metadata.computeIfAbsent(
        file.url(),
        u ->
            metadataFetcher
                .fetchAsync(file)
                .thenApply(
                    m -> {
                      try {
                        CoreMetadata meta = CoreMetadata.parse(m.bytes());
                        check(d, meta);
                        return meta;
                      } catch (AccretionException e) {
                        throw new CompletionException(e);
                      }
                    }));
  }

  private static void check(Distribution d, CoreMetadata meta) throws AccretionException {
    PackageName name = meta.packageName();
    Version version =
        Version.tryParse(meta.version())
            .orElseThrow(
                () ->
                    new AccretionException(
                        d.file().filename()
                            + ": METADATA has an invalid Version '"
                            + meta.version()
                            + "'"));
    if (!name.equals(d.wheel().name()) || !version.equals(d.version())) {
      throw new AccretionException(
          d.file().filename()
              + ": its METADATA says "
              + meta.name()
              + " "
              + meta.version()
              + ", not what the file name says; the file is broken or mislabelled");
    }
  }

  private void prefetchMetadata(Collection<Candidate> candidates) {
    // the newest candidate is the likely pick: fetch its metadata in the background
    for (Candidate c : candidates) {
      if (c.distribution() != null) {
        metadataAsync(c.distribution());
        break;
      }
    }
  }

  void prefetch(PackageName name) {
    finder
        .findAsync(name)
        .thenAccept(
            found -> {
              if (!found.distributions().isEmpty()) {
                metadataAsync(found.distributions().get(0));
              }
            });
  }
}
