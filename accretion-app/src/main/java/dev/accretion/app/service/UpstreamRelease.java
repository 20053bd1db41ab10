package dev.accretion.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.TargetSpec;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
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
 * files are known, with a wheel one of the layer's targets installs. Reads files only. Thread-safe.
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
}
