package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.Manifest.Dependency;
import dev.accretion.node.lock.Spec;
import dev.accretion.node.platform.NodePlatform;
import dev.accretion.node.registry.RegistryClient;
import dev.accretion.node.semver.Range;
import dev.accretion.node.semver.SemVer;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildListener;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Resolves a package.json against the registry, as npm 7+ does in spirit: every dependency
 * (optional ones too, for every platform, so the lock serves any target; peer dependencies
 * installed; {@code overrides} applied; devDependencies resolved for the lock, flagged dev) gets
 * the version npm's {@code pick-manifest} would prefer for the target's Node.js: the {@code latest}
 * dist-tag when it is in range, else the highest version in range, preferring versions that are not
 * deprecated and whose {@code engines.node} admits the target. The tree is placed hoisted ({@link
 * Placer}); metadata is fetched ahead, many packages at a time. Not thread-safe; one per
 * resolution.
 */
public final class RegistryResolver implements Placer.Source {
  private final RegistryClient client;
  private final NodePlatform platform;
  private final BuildListener listener;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore inFlight = new Semaphore(24);
  private final Map<String, java.util.concurrent.Future<Map<String, Object>>> prefetch =
      new ConcurrentHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private int resolvedCount;

  public RegistryResolver(RegistryClient client, NodePlatform platform, BuildListener listener) {
    this.client = client;
    this.platform = platform;
    this.listener = listener;
  }

  /** What resolution left out (optional dependencies with no matching version), one line each. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Resolves the project's dependencies (and devDependencies, flagged dev) into a placed tree.
   *
   * @throws AccretionException {@link FailureKind#NOT_FOUND} when a package or a version in range
   *     does not exist, {@link FailureKind#UNREACHABLE} when the registry cannot be read, {@link
   *     FailureKind#BAD_INPUT} for specs Accretion cannot resolve without a lock (git, local
   *     folders, tarball URLs)
   */
  public Tree resolve(Manifest root) throws AccretionException {
    try {
      Overrides overrides = Overrides.of(root);
      for (Dependency d : root.edges(true).values()) {
        prefetchFor(d);
      }
      Placer placer = new Placer(root, overrides, this, !client.config().legacyPeerDeps());
      Tree tree = placer.place(true);
      DepFlags.calculate(tree);
      return tree;
    } finally {
      pool.shutdownNow();
    }
  }

  private void prefetchFor(Dependency d) {
    Spec s = Spec.parse(d.spec());
    String name = s.type() == Spec.Type.ALIAS ? s.name() : d.name();
    if (s.type() != Spec.Type.RANGE && s.type() != Spec.Type.TAG && s.type() != Spec.Type.ALIAS) {
      return;
    }
    prefetch.computeIfAbsent(
        name,
        n ->
            pool.submit(
                () -> {
                  inFlight.acquire();
                  try {
                    return client.packument(n);
                  } finally {
                    inFlight.release();
                  }
                }));
  }

  private Map<String, Object> packument(String name) throws AccretionException {
    var f = prefetch.get(name);
    if (f != null) {
      try {
        return f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof AccretionException a) {
          throw a;
        }
        throw new AccretionException(
            FailureKind.UNREACHABLE, "reading " + name + ": " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AccretionException(FailureKind.FAILED, "interrupted", e);
      }
    }
    return client.packument(name);
  }

  @Override
  public String spec(Object parentKey, TreeNode parent, Dependency dep) {
    return ((Overrides) parentKey).apply(dep.name(), dep.spec());
  }

  @Override
  public boolean installs(Object parentKey, TreeNode parent, Dependency dep) {
    return parent.isRoot() || !parent.manifest().bundleDependencies().contains(dep.name());
  }

  @Override
  public boolean reuse(
      TreeNode existing, Object parentKey, TreeNode parent, Dependency dep, String spec) {
    return Spec.parse(spec).accepts(existing.name(), existing.version());
  }

  @Override
  public void placed(TreeNode node, Object key) {
    for (Dependency d : node.manifest().edges(false).values()) {
      prefetchFor(new Dependency(d.name(), ((Overrides) key).apply(d.name(), d.spec()), d.type()));
    }
    if (++resolvedCount % 25 == 0) {
      listener.onEvent(new BuildEvent.Step("resolving npm packages", resolvedCount, -1));
    }
  }

  @Override
  public Placer.Candidate choose(Object parentKey, TreeNode parent, Dependency dep, String spec)
      throws AccretionException {
    Spec s = Spec.parse(spec);
    String name = dep.name();
    Spec versionSpec = s;
    if (s.type() == Spec.Type.ALIAS) {
      name = s.name();
      versionSpec = s.subSpec();
    }
    String required = parent.isRoot() ? "package.json" : parent.label();
    if (versionSpec.type() != Spec.Type.RANGE && versionSpec.type() != Spec.Type.TAG) {
      if (dep.type().optional()) {
        notes.add(
            "left out optional "
                + dep.name()
                + "@"
                + spec
                + " (required by "
                + required
                + "): Accretion resolves only registry versions without a lock");
        return null;
      }
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          dep.name()
              + "@"
              + spec
              + " (required by "
              + required
              + ") is not a registry version range or tag",
          "git, local folder and tarball URL dependencies need a lock: run `npm install` and build"
              + " from package-lock.json",
          null);
    }
    prefetchFor(new Dependency(name, versionSpec.text(), dep.type()));
    Map<String, Object> packument;
    try {
      packument = packument(name);
    } catch (AccretionException e) {
      if (dep.type().optional() && e.kind() == FailureKind.NOT_FOUND) {
        notes.add("left out optional " + dep.name() + "@" + spec + ": " + e.problem());
        return null;
      }
      throw e;
    }
    Map<String, Object> versions = JsonValues.map(packument, "versions");
    Map<String, String> tags = JsonValues.stringMap(packument.get("dist-tags"));
    String picked = pick(versions, tags, versionSpec);
    if (picked == null) {
      String problem =
          "no version of "
              + name
              + " matches \""
              + versionSpec.text()
              + "\" (required by "
              + required
              + "); the registry's latest is "
              + tags.getOrDefault("latest", "none");
      if (dep.type().optional()) {
        notes.add("left out optional " + problem);
        return null;
      }
      throw new AccretionException(
          FailureKind.NOT_FOUND, problem, "widen the range, or add an override for " + name, null);
    }
    Map<String, Object> doc = JsonValues.map(versions, picked);
    Map<String, Object> dist = JsonValues.map(doc, "dist");
    String integrity = JsonValues.string(dist, "integrity");
    if (integrity == null && JsonValues.string(dist, "shasum") != null) {
      integrity =
          "sha1-"
              + Base64.getEncoder()
                  .encodeToString(HexFormat.of().parseHex(JsonValues.string(dist, "shasum")));
    }
    Overrides key = ((Overrides) parentKey).descend(dep.name(), dep.spec());
    return new Placer.Candidate(
        key,
        name,
        picked,
        new Manifest(doc),
        JsonValues.string(dist, "tarball"),
        integrity,
        JsonValues.bool(doc, "hasInstallScript"));
  }

  /** npm-pick-manifest's choice for the target's Node.js. */
  private String pick(Map<String, Object> versions, Map<String, String> tags, Spec spec) {
    return pick(versions, tags, spec, platform);
  }

  /**
   * The version npm's {@code pick-manifest} would choose from a packument for a dependency spec on
   * a platform, as a resolution without a lock chooses it: the {@code latest} dist-tag when it is
   * in range (and neither deprecated nor refused by its {@code engines.node}), else the highest
   * version in range, preferring versions that are not deprecated and admit the platform's Node.js.
   * A tag spec gives the tagged version.
   *
   * @param packument the package's registry document (abbreviated or full)
   * @param spec the dependency's spec ({@code ^1.2.0}, {@code latest}, {@code npm:other@^2})
   * @return the version, or null when none matches or the spec is not a range or tag
   */
  public static String pick(Map<String, Object> packument, String spec, NodePlatform platform) {
    Spec s = Spec.parse(spec);
    if (s.type() == Spec.Type.ALIAS) {
      s = s.subSpec();
    }
    if (s.type() != Spec.Type.RANGE && s.type() != Spec.Type.TAG) {
      return null;
    }
    return pick(
        JsonValues.map(packument, "versions"),
        JsonValues.stringMap(packument.get("dist-tags")),
        s,
        platform);
  }

  private static String pick(
      Map<String, Object> versions, Map<String, String> tags, Spec spec, NodePlatform platform) {
    if (spec.type() == Spec.Type.TAG) {
      String v = tags.get(spec.text());
      return v != null && versions.containsKey(v) ? v : null;
    }
    Range range = spec.range();
    boolean any = spec.text().isEmpty() || spec.text().equals("*");
    String latest = tags.get("latest");
    if (latest != null && versions.containsKey(latest) && (any || range.test(latest))) {
      Map<String, Object> doc = JsonValues.map(versions, latest);
      if (!deprecated(doc) && engineOk(doc, platform)) {
        return latest;
      }
    }
    String best = null;
    SemVer bestVersion = null;
    int bestRank = -1;
    for (Map.Entry<String, Object> e : versions.entrySet()) {
      SemVer v = SemVer.parse(e.getKey(), true).orElse(null);
      if (v == null || !range.test(v)) {
        continue;
      }
      Map<String, Object> doc = JsonValues.asMap(e.getValue());
      int rank = (deprecated(doc) ? 0 : 2) + (engineOk(doc, platform) ? 1 : 0);
      if (rank > bestRank || (rank == bestRank && v.compareTo(bestVersion) > 0)) {
        best = e.getKey();
        bestVersion = v;
        bestRank = rank;
      }
    }
    return best;
  }

  private static boolean deprecated(Map<String, Object> doc) {
    Object d = doc.get("deprecated");
    return d instanceof String s ? !s.isEmpty() : Boolean.TRUE.equals(d);
  }

  private static boolean engineOk(Map<String, Object> doc, NodePlatform platform) {
    return platform.enginesAdmit(JsonValues.string(JsonValues.map(doc, "engines"), "node"));
  }
}
