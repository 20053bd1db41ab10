package dev.accretion.python.resolve;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.listing.RootRequirement;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.Operator;
import dev.accretion.python.pep440.Specifier;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.resolve.engine.Engine;
import dev.accretion.python.resolve.engine.Provider;
import dev.accretion.python.resolve.engine.ResolutionImpossible;
import dev.accretion.python.tags.WheelFilename;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a listing for one Lambda target: finds the newest set of releases whose wheels fit the
 * target's Python, ABI, glibc and CPU, backtracking past versions that don't, or explains why none
 * exists ({@link ResolutionFailure}). No Python interpreter is involved.
 *
 * <p>Thread-safe: every call works on its own state; the index client and metadata fetcher it
 * shares are thread-safe and memoize pages and metadata, so resolving several targets with one
 * {@code Resolver} reads each page once.
 */
public final class Resolver {
  /** pip's own limit on resolution rounds. */
  private static final int MAX_ROUNDS = 200_000;

  private final SimpleIndexClient client;
  private final WheelMetadataFetcher metadataFetcher;
  // metadata is the same for every target: one fetch per file, whatever the number of targets
  private final Map<URI, CompletableFuture<CoreMetadata>> metadataCache = new ConcurrentHashMap<>();

  public Resolver(SimpleIndexClient client, WheelMetadataFetcher metadataFetcher) {
    this.client = client;
    this.metadataFetcher = metadataFetcher;
  }

  public Resolution resolve(ResolveRequest request) throws AccretionException {
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    PackageFinder finder =
        new PackageFinder(client, request.target(), request.strategy(), request.noBinary());
    Map<PackageName, List<Need>> constraints = new HashMap<>();
    Map<PackageName, Set<String>> hashes = new HashMap<>();
    PythonProvider provider =
        new PythonProvider(
            finder,
            metadataFetcher,
            request.target(),
            request.allowPrereleases(),
            constraints,
            hashes,
            request.hashChecking(),
            warnings,
            metadataCache);
    MarkerEnvironment environment = provider.environment();

    List<Need> roots = new ArrayList<>();
    for (RootRequirement root : request.requirements()) {
      if (!holds(root, environment)) {
        warnings.add(
            "ignoring "
                + dev.accretion.python.Excerpt.of(root.requirement().toString())
                + " ("
                + root.origin()
                + "): its marker is false on "
                + request.target().runtime().id()
                + "/"
                + request.target().architecture().lambdaName());
        continue;
      }
      if (request.hashChecking()) {
        checkHashable(root);
      }
      if (!root.hashes().isEmpty()) {
        hashes
            .computeIfAbsent(root.requirement().name(), n -> new LinkedHashSet<>())
            .addAll(root.hashes());
      }
      if (root.directUrl() != null) {
        provider.addDirect(root.directUrl(), directDistribution(root, request));
      }
      Need need = provider.needOf(root.requirement(), root.origin().toString());
      provider.userRequested(need.key());
      roots.add(need);
    }
    for (RootRequirement c : request.constraints()) {
      if (!holds(c, environment)) {
        continue;
      }
      if (c.directUrl() != null || !c.requirement().extras().isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            c.origin()
                + ": a constraint may only limit versions (name and specifiers); '"
                + c.requirement()
                + "' has extras or a URL");
      }
      constraints
          .computeIfAbsent(c.requirement().name(), n -> new ArrayList<>())
          .add(
              new Need(
                  Key.of(c.requirement().name()),
                  c.requirement().specifier(),
                  null,
                  null,
                  c.requirement().toString(),
                  c.origin().toString()));
    }
    // read every root project's page in parallel before the first round needs one
    for (Need n : roots) {
      if (n.url() == null) {
        provider.prefetch(n.key().name());
      }
    }

    Engine<Key, Need, Candidate> engine = new Engine<>(provider, MAX_ROUNDS);
    Engine.Result<Key, Need, Candidate> result;
    try {
      result = engine.resolve(roots);
    } catch (ResolutionImpossible e) {
      throw new ResolutionFailure(
          new Explainer(finder, request.target(), request.hashChecking() ? hashes : null)
              .explain(e, roots, provider));
    }
    return toResolution(request, provider, result, warnings);
  }

  /** Whether the requirement's marker holds on the target; an undefined comparison is bad input. */
  private static boolean holds(RootRequirement root, MarkerEnvironment environment)
      throws AccretionException {
    if (root.requirement().marker() == null) {
      return true;
    }
    try {
      return root.requirement().marker().evaluate(environment, "");
    } catch (dev.accretion.python.pep508.MarkerEvaluationException e) {
      throw new AccretionException(
          dev.accretion.core.FailureKind.BAD_INPUT, root.origin() + ": " + e.getMessage(), null);
    }
  }

  private static void checkHashable(RootRequirement root) throws AccretionException {
    if (root.directUrl() != null) {
      if (root.hashes().isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            root.origin()
                + ": hash-checking mode is on (a --hash appears in the listing), so '"
                + root.requirement().name().display()
                + "' needs a --hash too");
      }
      return;
    }
    boolean pinned = false;
    for (Specifier s : root.requirement().specifier().specifiers()) {
      if ((s.operator() == Operator.EQUAL && !s.isWildcard())
          || s.operator() == Operator.ARBITRARY) {
        pinned = true;
      }
    }
    if (!pinned || root.hashes().isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          root.origin()
              + ": hash-checking mode is on (a --hash appears in the listing), so every"
              + " requirement must be pinned with == and carry a --hash, as pip requires; '"
              + root.requirement()
              + "' "
              + (!pinned ? "is not pinned with ==" : "has no --hash"));
    }
  }

  private Distribution directDistribution(RootRequirement root, ResolveRequest request)
      throws AccretionException {
    URI url = root.directUrl();
    String path = url.getPath() == null ? "" : url.getPath();
    String filename = path.substring(path.lastIndexOf('/') + 1);
    if (!WheelFilename.isWheel(filename)) {
      throw new AccretionException(
          dev.accretion.core.FailureKind.BAD_INPUT,
          root.origin()
              + ": '"
              + root.requirement().name().display()
              + " @ "
              + url
              + "' is not a wheel (.whl); source distributions need a build step Accretion"
              + " never runs on a layer's behalf: build a wheel first and point at it",
          null);
    }
    WheelFilename wheel;
    try {
      wheel = WheelFilename.parse(filename);
    } catch (ParseException e) {
      throw new AccretionException(FailureKind.BAD_INPUT, root.origin() + ": " + e.getMessage(), e);
    }
    if (!wheel.name().equals(root.requirement().name())) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          root.origin()
              + ": '"
              + root.requirement().name().display()
              + " @ "
              + url
              + "' points at a wheel of "
              + wheel.name().display());
    }
    Version version =
        Version.tryParse(wheel.version())
            .orElseThrow(
                () ->
                    new AccretionException(
                        FailureKind.BAD_INPUT, root.origin() + ": invalid version in " + filename));
    OptionalInt rank = request.target().bestRank(wheel);
    if (rank.isEmpty()) {
      throw new AccretionException(
          FailureKind.REFUSED,
          root.origin()
              + ": "
              + filename
              + " doesn't fit "
              + request.target().describe()
              + ": "
              + PlatformReasons.explain(wheel, request.target()));
    }
    Map<String, String> fileHashes = new TreeMap<>();
    for (String h : root.hashes()) {
      int colon = h.indexOf(':');
      fileHashes.putIfAbsent(h.substring(0, colon), h.substring(colon + 1));
    }
    OptionalLong size = OptionalLong.empty();
    if ("file".equalsIgnoreCase(url.getScheme())) {
      try {
        size = OptionalLong.of(Files.size(Path.of(url)));
      } catch (IOException | IllegalArgumentException e) {
        throw new AccretionException(
            FailureKind.UNREACHABLE,
            root.origin() + ": cannot read " + url + ": " + e.getMessage());
      }
    }
    URI parent = url.resolve(".");
    IndexFile file =
        new IndexFile(
            filename,
            url,
            fileHashes,
            Optional.empty(),
            false,
            Optional.empty(),
            false,
            Map.of(),
            size,
            parent);
    return new Distribution(version, file, wheel, rank.getAsInt());
  }

  private static Resolution toResolution(
      ResolveRequest request,
      PythonProvider provider,
      Engine.Result<Key, Need, Candidate> result,
      List<String> warnings)
      throws AccretionException {
    Map<PackageName, Candidate> base = new TreeMap<>();
    Map<PackageName, Set<String>> requiredBy = new HashMap<>();
    Map<PackageName, Set<String>> dependsOn = new HashMap<>();
    for (Map.Entry<Key, Candidate> e : result.mapping().entrySet()) {
      Key key = e.getKey();
      if (key.python()) {
        continue;
      }
      if (!key.hasExtras()) {
        base.put(key.name(), e.getValue());
      }
      for (Provider.Information<Need, Candidate> info : result.information().get(key)) {
        Set<String> by = requiredBy.computeIfAbsent(key.name(), n -> new TreeSet<>());
        if (info.parent() == null) {
          by.add("listing");
        } else if (!info.parent().key().name().equals(key.name())) {
          by.add(info.parent().key().name().normalized());
          dependsOn
              .computeIfAbsent(info.parent().key().name(), n -> new TreeSet<>())
              .add(key.name().normalized());
        }
      }
    }
    List<ResolvedPackage> packages = new ArrayList<>();
    for (Map.Entry<PackageName, Candidate> e : base.entrySet()) {
      Candidate c = e.getValue();
      CoreMetadata meta = provider.metadata(c.distribution());
      packages.add(
          new ResolvedPackage(
              e.getKey(),
              c.version(),
              c.distribution(),
              meta,
              List.copyOf(requiredBy.getOrDefault(e.getKey(), Set.of())),
              List.copyOf(dependsOn.getOrDefault(e.getKey(), Set.of())),
              request.requirements().stream()
                  .anyMatch(
                      r -> r.directUrl() != null && r.requirement().name().equals(e.getKey()))));
    }
    List<String> uniqueWarnings;
    synchronized (warnings) {
      uniqueWarnings = List.copyOf(new LinkedHashSet<>(warnings));
    }
    return new Resolution(
        request.target(), packages, uniqueWarnings, result.rounds(), result.backtracks());
  }
}
