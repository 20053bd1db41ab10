package dev.accretion.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.TargetSpec;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.java.MavenUpstream;
import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.platform.NodePlatform;
import dev.accretion.node.registry.RegistryClient;
import dev.accretion.node.semver.SemVer;
import dev.accretion.node.tree.RegistryResolver;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.WheelFilename;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Use case "could this upstream release change a managed layer?": the packages a build locked (read
 * from the manifests it wrote), the Python indexes the builds use, and the judgement of a release:
 * newer than the locked version, allowed by the listing's requirement for that package (a package
 * the listing does not name directly may take any newer final release), and, when the release's
 * files are known, with a wheel one of the layer's targets installs. For npm and Maven: the
 * registry documents a build reads (the npm configuration and the Maven settings as the engines
 * read them) and the judgement of a release by the listing's requirement (see {@link
 * #npmCouldChange} and {@link #mavenCouldChange}). Reads files only. Thread-safe.
 */
public final class UpstreamRelease {
  private UpstreamRelease() {}

  /** The ecosystem of a definition's packages: {@code pypi}, {@code npm} or {@code maven}. */
  public static String ecosystem(LayerDefinition d) {
    try {
      String builder = new DefineLayer().check(d).builderId();
      return switch (builder) {
        case "nodejs" -> "npm";
        case "java" -> "maven";
        default -> "pypi";
      };
    } catch (AccretionException e) {
      return "pypi";
    }
  }

  /**
   * The packages a build wrote into its manifests under {@code dist}: name (as the manifest gives
   * it) → version; a package in several targets' manifests once.
   */
  public static Map<String, String> lockedPackages(Path dist) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dist)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dist)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root;
        try {
          root = Json.tree(Files.readString(f));
        } catch (RuntimeException e) {
          continue;
        }
        if (root == null
            || !root.path("schema").asText().startsWith("accretion/layer-manifest")
            || !root.path("packages").isArray()) {
          continue;
        }
        for (JsonNode p : root.get("packages")) {
          String name = p.path("name").asText(null);
          String version = p.path("version").asText(null);
          if (name != null && version != null) {
            out.putIfAbsent(name, version);
          }
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The simple-index URLs Python builds use (pip's configuration), first-ranked first. */
  public static List<String> pythonIndexUrls(Environment environment) throws AccretionException {
    return PipConfiguration.load(environment.variables(), environment.home()).indexUrls();
  }

  /** The PEP 503 normalized form of a Python package name. */
  public static String normalize(String name) {
    return PackageName.normalize(name);
  }

  /** Whether two version strings are the same PEP 440 version ({@code 1.2} and {@code 1.2.0}). */
  public static boolean sameVersion(String a, String b) {
    Optional<Version> x = Version.tryParse(a);
    Optional<Version> y = Version.tryParse(b);
    return x.isPresent() && y.isPresent() && x.get().equals(y.get());
  }

  /** The version of a wheel or sdist file name of {@code project}, or empty. */
  public static Optional<String> fileVersion(String project, String filename) {
    if (WheelFilename.isWheel(filename)) {
      try {
        WheelFilename w = WheelFilename.parse(filename);
        return normalize(w.name().toString()).equals(normalize(project))
            ? Optional.of(w.version())
            : Optional.empty();
      } catch (ParseException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The versions among {@code files} (a release's file names on an index) that could change the
   * layer's resolution of {@code name}, locked at {@code lockedVersion}; highest first.
   */
  public static List<String> relevant(
      LayerDefinition d, String name, String lockedVersion, List<String> files)
      throws AccretionException {
    Map<String, List<String>> byVersion = new TreeMap<>();
    for (String f : files) {
      fileVersion(name, f)
          .ifPresent(v -> byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(f));
    }
    TreeSet<Version> out = new TreeSet<>(java.util.Comparator.reverseOrder());
    for (Map.Entry<String, List<String>> e : byVersion.entrySet()) {
      if (couldChange(d, name, lockedVersion, e.getKey(), e.getValue())) {
        Version.tryParse(e.getKey()).ifPresent(out::add);
      }
    }
    return out.stream().map(Version::toString).toList();
  }

  /**
   * Whether release {@code version} of {@code name} could change the layer's resolution: newer than
   * {@code lockedVersion}, allowed by the listing's requirement, and, when {@code files} is not
   * null, one of them a wheel a target of the layer installs.
   */
  public static boolean couldChange(
      LayerDefinition d, String name, String lockedVersion, String version, List<String> files)
      throws AccretionException {
    Optional<Version> candidate = Version.tryParse(version);
    Optional<Version> locked = Version.tryParse(lockedVersion);
    if (candidate.isEmpty() || locked.isEmpty() || candidate.get().compareTo(locked.get()) <= 0) {
      return false;
    }
    SpecifierSet allowed = requirement(d, name).orElse(SpecifierSet.empty());
    if (!allowed.contains(candidate.get())) {
      return false;
    }
    if (files == null) {
      return true;
    }
    List<Target> targets =
        TargetSpec.product(d.runtimes(), d.architectures()).targets(RuntimeMatrix.load());
    for (String f : files) {
      if (!WheelFilename.isWheel(f)) {
        continue;
      }
      WheelFilename wheel;
      try {
        wheel = WheelFilename.parse(f);
      } catch (ParseException | RuntimeException e) {
        continue;
      }
      if (!wheel.version().equals(version)
          && Version.tryParse(wheel.version()).map(v -> !v.equals(candidate.get())).orElse(true)) {
        continue;
      }
      for (Target t : targets) {
        if (PythonTarget.of(t).supports(wheel)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The specifier the listing (a requirements file) gives {@code name}, when it names it. */
  static Optional<SpecifierSet> requirement(LayerDefinition d, String name) {
    String wanted = normalize(name);
    SpecifierSet found = null;
    for (String raw : d.listingContent().split("\n")) {
      String line = raw.replaceAll("(^|\\s)#.*$", "").strip();
      if (line.isEmpty() || line.startsWith("-")) {
        continue;
      }
      try {
        Requirement r = Requirement.parse(line);
        if (normalize(r.name().toString()).equals(wanted)) {
          found = found == null ? r.specifier() : found.and(r.specifier());
        }
      } catch (ParseException | RuntimeException e) {
        // not a requirement line: another listing format, or an option
      }
    }
    return Optional.ofNullable(found);
  }

  // ---------------------------------------------------------------- npm and Maven

  /**
   * A document the upstream watcher reads.
   *
   * @param url where (http, https)
   * @param headers the request headers a build would send ({@code Accept}, {@code Authorization})
   */
  public record Document(String url, Map<String, String> headers) {
    public Document {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * The registry document (packument) of an npm package, where a build of the service reads it:
   * npm's configuration ({@code .npmrc} of the user and global places, {@code npm_config_*}), a
   * scoped package only from its scope's registry, the registry's credentials, and the abbreviated
   * form npm asks for when installing.
   */
  public static Document npmDocument(Environment environment, String name)
      throws AccretionException {
    NpmConfig config = npmConfig(environment);
    String url = new RegistryClient(config, null).packumentUrl(name);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", RegistryClient.ABBREVIATED_ACCEPT);
    config
        .authorization(url, config.registryFor(name))
        .ifPresent(a -> headers.put("Authorization", a));
    return new Document(url, headers);
  }

  private static NpmConfig npmConfig(Environment environment) throws AccretionException {
    // a service build's project folder holds only accretion.toml and the listing: no .npmrc
    Path noProject = environment.home().resolve(".accretion-service-project-without-npmrc");
    return NpmConfig.load(environment.variables(), environment.home(), noProject, Map.of());
  }

  /** The versions an npm packument lists, and its dist-tags; empty when it is not one. */
  public static Optional<Map<String, Object>> npmPackument(String body) {
    try {
      Map<String, Object> doc = JsonText.parseObject(body);
      return doc.get("versions") instanceof Map<?, ?> ? Optional.of(doc) : Optional.empty();
    } catch (JsonText.SyntaxError | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a layer built from an npm listing resolves its packages again: a {@code package.json}
   * does; a lock ({@code package-lock.json}, {@code yarn.lock}, {@code pnpm-lock.yaml}) is
   * installed as it is, so no release changes it.
   */
  public static boolean npmResolves(LayerDefinition d) {
    return d.listingFilename().equals("package.json");
  }

  /**
   * The dependency spec a layer's resolution applies to {@code name}: the listing's ({@code
   * dependencies}, {@code optionalDependencies}, {@code peerDependencies}), else, for a package
   * only other packages depend on, {@code ^locked} (the usual form of dependency ranges: a new
   * major version is not taken up by dependents that asked for the old one).
   */
  static String npmSpec(LayerDefinition d, String name, String locked) {
    try {
      Manifest m = new Manifest(JsonText.parseObject(d.listingContent()));
      for (Map<String, String> deps :
          List.of(m.dependencies(), m.optionalDependencies(), m.peerDependencies())) {
        if (deps.containsKey(name)) {
          return deps.get(name);
        }
      }
    } catch (JsonText.SyntaxError | RuntimeException e) {
      // not a package.json: the default below
    }
    return "^" + locked;
  }

  /**
   * The version a rebuild would now choose for npm package {@code name}, locked at {@code locked},
   * from its registry document: the version npm's pick-manifest takes for the listing's spec (see
   * {@link #npmSpec}) on some target of the layer, when it is newer than the locked one; empty
   * otherwise, and always for a listing that is a lock.
   */
  public static Optional<String> npmPick(
      LayerDefinition d, String name, String locked, Map<String, Object> packument) {
    if (!npmResolves(d)) {
      return Optional.empty();
    }
    String spec = npmSpec(d, name, locked);
    Optional<SemVer> was = SemVer.parse(locked, true);
    String best = null;
    for (Target t : targets(d)) {
      String picked = RegistryResolver.pick(packument, spec, NodePlatform.of(t));
      Optional<SemVer> v = picked == null ? Optional.empty() : SemVer.parse(picked, true);
      if (v.isPresent()
          && was.isPresent()
          && v.get().compareTo(was.get()) > 0
          && (best == null || v.get().compareTo(SemVer.parse(best, true).orElseThrow()) > 0)) {
        best = picked;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Whether release {@code version} of npm package {@code name} could change the layer (an external
   * feed's event): the listing resolves (see {@link #npmResolves}), the version satisfies the spec
   * the resolution applies to the package (see {@link #npmSpec}; a prerelease only when the range
   * names one) and is newer than the locked one.
   */
  public static boolean npmCouldChange(
      LayerDefinition d, String name, String locked, String version) {
    if (!npmResolves(d)) {
      return false;
    }
    Optional<SemVer> v = SemVer.parse(version, true);
    Optional<SemVer> was = SemVer.parse(locked, true);
    if (v.isEmpty() || was.isEmpty() || v.get().compareTo(was.get()) <= 0) {
      return false;
    }
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put(version, Map.of());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("versions", versions);
    doc.put("dist-tags", Map.of());
    String spec = npmSpec(d, name, locked);
    for (Target t : targets(d)) {
      if (version.equals(RegistryResolver.pick(doc, spec, NodePlatform.of(t)))) {
        return true;
      }
    }
    return false;
  }

  private static List<Target> targets(LayerDefinition d) {
    try {
      return TargetSpec.product(d.runtimes(), d.architectures()).targets(RuntimeMatrix.load());
    } catch (AccretionException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * The {@code maven-metadata.xml} documents of a Maven package ({@code group:artifact[:...]}) on
   * the repositories a build of the layer reads, first-searched first: the pom's repositories, the
   * active settings profiles' ones, then Maven Central, through the settings' mirrors and with
   * their servers' credentials (the Java engine's reading of {@code ~/.m2/settings.xml}).
   */
  public static List<Document> mavenDocuments(
      Environment environment, LayerDefinition d, String name) throws AccretionException {
    List<Document> out = new ArrayList<>();
    for (MavenUpstream.Repository r :
        MavenUpstream.repositories(
            environment.variables(), environment.home(), d.listingFilename(), d.listingContent())) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Accept", "application/xml, text/xml;q=0.9, */*;q=0.1");
      if (r.authorization() != null) {
        headers.put("Authorization", r.authorization());
      }
      out.add(new Document(r.url() + MavenUpstream.metadataPath(name), headers));
    }
    return out;
  }

  /** The versions a {@code maven-metadata.xml} lists. */
  public static List<String> mavenVersions(String body) {
    return MavenUpstream.versions(body);
  }

  /**
   * Whether Maven package {@code name}'s release {@code version} could change the layer: the
   * listing asks for the package with a version range that holds the release, and the release is
   * newer than the locked version. An exact version (a pom pins them, and a package only other
   * packages depend on is pinned by their poms) never moves with a release.
   */
  public static boolean mavenCouldChange(
      LayerDefinition d, String name, String locked, String version) {
    String requested = MavenUpstream.requested(d.listingFilename(), d.listingContent()).get(name);
    return requested != null && MavenUpstream.couldPickUp(requested, locked, version);
  }

  /** Whether the layer's listing asks for Maven package {@code name} with a version range. */
  public static boolean mavenRanged(LayerDefinition d, String name) {
    String requested = MavenUpstream.requested(d.listingFilename(), d.listingContent()).get(name);
    return requested != null && MavenUpstream.isRange(requested);
  }

  /** Whether the layer's listing asks for some Maven package with a version range. */
  public static boolean mavenHasRanges(LayerDefinition d) {
    return MavenUpstream.requested(d.listingFilename(), d.listingContent()).values().stream()
        .anyMatch(MavenUpstream::isRange);
  }

  /** The highest of {@code versions} that {@link #mavenCouldChange} accepts, if any. */
  public static Optional<String> mavenPick(
      LayerDefinition d, String name, String locked, List<String> versions) {
    String best = null;
    for (String v : versions) {
      if (mavenCouldChange(d, name, locked, v)
          && (best == null || mavenCouldChange(d, name, best, v))) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }
}
