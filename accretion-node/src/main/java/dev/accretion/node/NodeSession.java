package dev.accretion.node;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Target;
import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.lock.LockWriter;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.PackageLock;
import dev.accretion.node.lock.PnpmLock;
import dev.accretion.node.lock.YarnLock;
import dev.accretion.node.platform.NodePlatform;
import dev.accretion.node.registry.RegistryClient;
import dev.accretion.node.tree.InstallPlanner;
import dev.accretion.node.tree.RegistryResolver;
import dev.accretion.node.tree.Tree;
import dev.accretion.node.tree.TreeNode;
import dev.accretion.node.tree.Workspaces;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.ListingFormat;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * One npm listing opened for a build. See {@link NodeBuilder} for what it reads. Thread-safe for
 * the pipeline's concurrent {@link #download} and {@link #open} calls.
 */
final class NodeSession implements BuildSession {
  static final Set<String> OPTIONS = Set.of("workspace", "registry", "allow-unbuilt");

  /** Which lock the session installs from. */
  enum LockKind {
    NPM,
    PNPM,
    YARN,
    NONE
  }

  /** Where a tarball URL came from, for credentials and for the registry fallback. */
  record SourceInfo(String name, String version, String registry, boolean conventional) {}

  /** What {@link #resolve} hands to {@link #lockFile}. */
  record State(Tree tree, InstallPlanner.Plan plan, boolean generated) {}

  private final ListingFormat format;
  private final Path listing;
  private final Path projectDir;
  private final byte[] listingBytes;
  private final Manifest packageJson;
  private final byte[] packageJsonBytes;
  private final LockKind lockKind;
  private final Path lockPath;
  private final byte[] lockBytes;
  private final String workspace;
  private final Set<String> allowUnbuilt;
  private final NpmConfig config;
  private final BuildContext context;
  private final String optionsText;
  private final List<String> notes = new ArrayList<>();

  /**
   * The npm lock read and checked against package.json: on first use (a cache hit never needs it).
   */
  private List<String> peerProblems;

  private Tree npmLockTree;
  private final Map<String, SourceInfo> sources = new ConcurrentHashMap<>();
  private final Map<Integer, Tree> generated = new ConcurrentHashMap<>();
  private final Map<Target, State> states = new ConcurrentHashMap<>();
  private final Map<Integer, List<String>> resolverNotes = new ConcurrentHashMap<>();
  private volatile RegistryClient client;

  private NodeSession(Builder b) throws AccretionException {
    this.format = b.format;
    this.listing = b.listing;
    this.projectDir = b.projectDir;
    this.listingBytes = b.listingBytes;
    this.packageJson = b.packageJson;
    this.packageJsonBytes = b.packageJsonBytes;
    this.lockKind = b.lockKind;
    this.lockPath = b.lockPath;
    this.lockBytes = b.lockBytes;
    this.workspace = b.workspace;
    this.allowUnbuilt = Set.copyOf(b.allowUnbuilt);
    this.config = b.config;
    this.context = b.context;
    this.optionsText = b.optionsText;
    this.notes.addAll(b.notes);
  }

  /**
   * Reads the npm lock and checks it agrees with package.json (as {@code npm ci} does), once. Not
   * done when the session opens: the selector cache keys on the bytes of both files, so a cache hit
   * is a pair that was read and checked when it was first built.
   */
  private synchronized Tree npmLockTree() throws AccretionException {
    if (npmLockTree == null && lockKind == LockKind.NPM) {
      String lockName = lockPath.getFileName().toString();
      Tree tree =
          PackageLock.read(lockName, new String(lockBytes, StandardCharsets.UTF_8), packageJson);
      Set<String> overridden =
          packageJson == null ? Set.of() : overriddenNames(packageJson.overrides());
      peerProblems = InstallPlanner.checkInSync(tree, overridden, lockName);
      npmLockTree = tree;
    }
    return npmLockTree;
  }

  private static final class Builder {
    ListingFormat format;
    Path listing;
    Path projectDir;
    byte[] listingBytes;
    Manifest packageJson;
    byte[] packageJsonBytes;
    LockKind lockKind = LockKind.NONE;
    Path lockPath;
    byte[] lockBytes;
    String workspace;
    List<String> allowUnbuilt = List.of();
    NpmConfig config;
    BuildContext context;
    String optionsText;
    List<String> notes = new ArrayList<>();
  }

  static NodeSession open(NodeBuilder builder, BuildInput input) throws AccretionException {
    input.options().checkKeys(NodeBuilder.ID, OPTIONS);
    Builder b = new Builder();
    b.context = input.context();
    b.listing = input.listing().toAbsolutePath().normalize();
    if (!Files.isRegularFile(b.listing)) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "listing " + b.listing + " does not exist",
          "name a package.json, package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml or yarn.lock",
          null);
    }
    ListingFormat format;
    if (input.format() != null) {
      format =
          NodeBuilder.byId(input.format())
              .orElseThrow(
                  () ->
                      new AccretionException(
                          FailureKind.USAGE,
                          "the nodejs builder has no format '" + input.format() + "'",
                          "it reads "
                              + String.join(
                                  ", ",
                                  NodeBuilder.FORMATS.stream().map(ListingFormat::id).toList()),
                          null));
    } else {
      format =
          builder
              .detect(b.listing)
              .orElseThrow(
                  () ->
                      new AccretionException(
                          FailureKind.USAGE,
                          b.listing.getFileName() + " is not a listing the nodejs builder knows",
                          "name a package.json, package-lock.json, npm-shrinkwrap.json,"
                              + " pnpm-lock.yaml or yarn.lock, or pass --format",
                          null));
    }
    b.format = format;
    b.projectDir = b.listing.getParent();
    b.listingBytes = read(b.listing);
    b.workspace = input.options().string("workspace").orElse(null);
    b.allowUnbuilt = input.options().list("allow-unbuilt");
    Path packageJsonPath = b.projectDir.resolve("package.json");
    switch (format.id()) {
      case "package-json" -> {
        b.packageJsonBytes = b.listingBytes;
        for (String name :
            List.of("npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock")) {
          Path p = b.projectDir.resolve(name);
          if (Files.isRegularFile(p)) {
            b.lockPath = p;
            b.lockKind =
                name.endsWith(".json")
                    ? LockKind.NPM
                    : name.startsWith("pnpm") ? LockKind.PNPM : LockKind.YARN;
            break;
          }
        }
      }
      case "package-lock" -> {
        b.lockPath = b.listing;
        b.lockKind = LockKind.NPM;
        if (Files.isRegularFile(packageJsonPath)) {
          b.packageJsonBytes = read(packageJsonPath);
        } else {
          b.notes.add(
              "no package.json beside "
                  + b.listing.getFileName()
                  + ": the lock's own root entry names the project's dependencies");
        }
      }
      case "pnpm-lock", "yarn-lock" -> {
        b.lockPath = b.listing;
        b.lockKind = format.id().equals("pnpm-lock") ? LockKind.PNPM : LockKind.YARN;
        if (Files.isRegularFile(packageJsonPath)) {
          b.packageJsonBytes = read(packageJsonPath);
        } else if (b.lockKind == LockKind.YARN) {
          throw new AccretionException(
              FailureKind.NOT_FOUND,
              "yarn.lock needs the package.json beside it (" + packageJsonPath + " is missing)",
              "build from the project folder that holds both",
              null);
        }
      }
      default -> throw new IllegalStateException(format.id());
    }
    if (b.packageJsonBytes != null) {
      b.packageJson = parseManifest(b.packageJsonBytes, b.projectDir.resolve("package.json"));
    }
    if (b.lockPath != null) {
      b.lockBytes = b.lockPath.equals(b.listing) ? b.listingBytes : read(b.lockPath);
    }
    if (b.lockKind == LockKind.NONE && b.packageJson == null) {
      throw new IllegalStateException("package.json listing without a manifest");
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    input.options().string("registry").ifPresent(r -> overrides.put("registry", r));
    b.config = NpmConfig.load(b.context.env(), b.context.home(), b.projectDir, overrides);
    if (!b.config.strictSsl()) {
      b.notes.add(
          "strict-ssl=false is ignored: Accretion always verifies TLS; name the registry's CA with cafile");
    }
    b.optionsText = input.options().selectorText();
    b.format =
        b.lockKind == LockKind.NPM && format.id().equals("package-json")
            ? NodeBuilder.PACKAGE_LOCK
            : format;
    if (b.lockKind == LockKind.PNPM && format.id().equals("package-json")) {
      b.format = NodeBuilder.PNPM_LOCK;
    }
    if (b.lockKind == LockKind.YARN && format.id().equals("package-json")) {
      b.format = NodeBuilder.YARN_LOCK;
    }
    return new NodeSession(b);
  }

  private static byte[] read(Path p) throws AccretionException {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "cannot read " + p + ": " + e.getMessage(),
          "check the path and its permissions",
          e);
    }
  }

  static Manifest parseManifest(byte[] bytes, Path where) throws AccretionException {
    try {
      return new Manifest(JsonText.parseObject(new String(bytes, StandardCharsets.UTF_8)));
    } catch (JsonText.SyntaxError e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          where + " is not valid JSON (" + e.getMessage() + ")",
          "fix the file (npm reads it with JSON.parse)",
          null);
    }
  }

  /** Every package name an {@code overrides} object rewrites, at any depth. */
  static Set<String> overriddenNames(Map<String, Object> overrides) {
    Set<String> out = new TreeSet<>();
    overrides.forEach(
        (k, v) -> {
          if (k.equals(".")) {
            return;
          }
          String name = k;
          int at = k.indexOf('@', k.startsWith("@") ? 1 : 0);
          if (at > 0) {
            name = k.substring(0, at);
          }
          out.add(name);
          if (v instanceof Map<?, ?>) {
            out.addAll(overriddenNames(JsonValues.asMap(v)));
          }
        });
    return out;
  }

  RegistryClient client() {
    RegistryClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client =
              new RegistryClient(config, context.builderCache(NodeBuilder.ID).resolve("registry"));
        }
        c = client;
      }
    }
    return c;
  }

  NpmConfig config() {
    return config;
  }

  @Override
  public String builderId() {
    return NodeBuilder.ID;
  }

  @Override
  public Path listing() {
    return listing;
  }

  @Override
  public ListingFormat format() {
    return format;
  }

  @Override
  public byte[] listingBytes() {
    return listingBytes.clone();
  }

  @Override
  public String defaultName() {
    String name = null;
    if (workspace != null) {
      name = workspace;
    } else if (packageJson != null && packageJson.name() != null) {
      name = packageJson.name();
    }
    if (name != null) {
      String clean =
          name.replaceFirst("^@", "").replaceAll("[^a-zA-Z0-9_-]+", "-").replaceAll("^-+|-+$", "");
      if (!clean.isEmpty()) {
        return clean.length() > 140 ? clean.substring(0, 140) : clean;
      }
    }
    String folder =
        projectDir.getFileName() == null ? "layer" : projectDir.getFileName().toString();
    String clean = folder.replaceAll("[^a-zA-Z0-9_-]+", "-").replaceAll("^-+|-+$", "");
    return clean.isEmpty() ? "layer" : clean.length() > 140 ? clean.substring(0, 140) : clean;
  }

  @Override
  public Optional<String> selectorText() {
    StringBuilder b = new StringBuilder();
    b.append("builder=")
        .append(NodeBuilder.ID)
        .append(' ')
        .append(BuilderVersion.get())
        .append('\n');
    b.append("format=").append(format.id()).append('\n');
    // how tarball entries are compressed: from the tarball's own LZ77 matches (2026-12-04)
    b.append("zip-encoding=tarball-matches/1\n");
    b.append("listing=")
        .append(listing.getFileName())
        .append(' ')
        .append(NodeOpenedPackage.sha256(listingBytes))
        .append('\n');
    if (packageJsonBytes != null) {
      b.append("package.json=").append(NodeOpenedPackage.sha256(packageJsonBytes)).append('\n');
    }
    if (lockBytes != null) {
      b.append("lock=")
          .append(lockPath.getFileName())
          .append(' ')
          .append(NodeOpenedPackage.sha256(lockBytes))
          .append('\n');
    }
    if (workspace != null) {
      Path ws = Workspaces.folderOf(projectDir, packageJson, workspace);
      if (ws != null && Files.isRegularFile(ws.resolve("package.json"))) {
        try {
          b.append("workspace.package.json=")
              .append(NodeOpenedPackage.sha256(Files.readAllBytes(ws.resolve("package.json"))))
              .append('\n');
        } catch (IOException e) {
          // read again (and failed) when resolving
        }
      }
    }
    b.append("options:\n").append(optionsText);
    b.append("npm config:\n").append(config.selectorText());
    return Optional.of(b.toString());
  }

  @Override
  public List<String> notes() {
    List<String> out = new ArrayList<>(notes);
    try {
      npmLockTree();
    } catch (AccretionException e) {
      return out; // the same failure ends the build when it resolves
    }
    synchronized (this) {
      if (peerProblems != null) {
        out.addAll(peerProblems);
      }
    }
    return out;
  }

  // ---- resolve

  @Override
  public Resolution resolve(Target target) throws AccretionException {
    if (target.runtime().language() != Language.NODEJS) {
      throw new AccretionException(
          FailureKind.USAGE,
          "the nodejs builder builds for Node.js runtimes, not " + target.runtime().id(),
          "pick a nodejs runtime (nodejs20.x, nodejs22.x, ...)",
          null);
    }
    // the pipeline reports Resolving and Resolved around this call (reporting them here too
    // printed "Resolved N packages" twice)
    NodePlatform platform = NodePlatform.of(target);
    Tree tree;
    boolean isGenerated;
    List<String> warnings = new ArrayList<>();
    List<String> resolutionNotes = new ArrayList<>();
    switch (lockKind) {
      case NPM -> {
        if (workspace != null) {
          tree =
              cachedGenerated(
                  -1,
                  () ->
                      Workspaces.extract(
                          npmLockTree(),
                          projectDir,
                          packageJson,
                          workspace,
                          lockPath.getFileName().toString()));
          isGenerated = true;
        } else {
          tree = npmLockTree();
          isGenerated = false;
          for (TreeNode n : tree.nodes()) {
            if (!n.isRoot() && !n.inNodeModules() && !n.link() && !n.dev()) {
              resolutionNotes.add(
                  "workspace "
                      + n.label()
                      + " ("
                      + n.path()
                      + ") is not built: name it with the workspace option (--workspace "
                      + (n.name() == null ? n.path() : n.name())
                      + ")");
            }
          }
        }
      }
      case PNPM -> {
        tree =
            cachedGenerated(
                -2,
                () ->
                    PnpmLock.read(
                        lockPath.getFileName().toString(),
                        new String(lockBytes, StandardCharsets.UTF_8),
                        packageJson,
                        workspace,
                        projectDir));
        isGenerated = true;
      }
      case YARN -> {
        tree =
            cachedGenerated(
                -3,
                () ->
                    YarnLock.read(
                        lockPath.getFileName().toString(),
                        new String(lockBytes, StandardCharsets.UTF_8),
                        packageJson,
                        client()));
        isGenerated = true;
      }
      case NONE -> {
        Manifest root =
            workspace == null
                ? packageJson
                : Workspaces.manifestOf(projectDir, packageJson, workspace);
        int major = platform.nodeMajor();
        tree =
            cachedGenerated(
                major,
                () -> {
                  RegistryResolver resolver =
                      new RegistryResolver(client(), platform, context.listener());
                  Tree resolved = resolver.resolve(root);
                  resolverNotes.put(major, List.copyOf(resolver.notes()));
                  return resolved;
                });
        resolutionNotes.addAll(resolverNotes.getOrDefault(major, List.of()));
        isGenerated = true;
      }
      default -> throw new IllegalStateException();
    }
    fillLibc(tree, platform);
    InstallPlanner.Plan plan;
    synchronized (tree) {
      plan = InstallPlanner.plan(tree, platform);
    }
    warnings.addAll(plan.warnings());
    resolutionNotes.addAll(plan.notes());
    List<ResolvedPackage> packages = group(tree, plan, warnings);
    State state = new State(tree, plan, isGenerated);
    states.put(target, state);
    return new Resolution(target, packages, warnings, resolutionNotes, state);
  }

  private interface TreeSupplier {
    Tree get() throws AccretionException;
  }

  private Tree cachedGenerated(int key, TreeSupplier supplier) throws AccretionException {
    Tree t = generated.get(key);
    if (t == null) {
      t = supplier.get();
      generated.put(key, t);
    }
    return t;
  }

  /**
   * npm wrote {@code libc} into locks only from 11.11: for an optional package restricted by os or
   * cpu that fits the target and whose libc the lock does not give, read it from the registry's
   * document of that version (the package's own package.json as published).
   */
  private void fillLibc(Tree tree, NodePlatform platform) throws AccretionException {
    List<TreeNode> unknown = new ArrayList<>();
    for (TreeNode n : tree.nodes()) {
      if (n.isRoot()
          || n.link()
          || n.dev()
          || n.libcKnown()
          || n.inBundle()
          || !n.inNodeModules()) {
        continue;
      }
      if (n.manifest().os() == null && n.manifest().cpu() == null) {
        continue;
      }
      if (platform.mismatch(n.manifest().os(), n.manifest().cpu(), null) != null) {
        continue;
      }
      unknown.add(n);
    }
    if (unknown.isEmpty()) {
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Map<String, Object>>> docs = new ArrayList<>();
      for (TreeNode n : unknown) {
        docs.add(pool.submit(() -> client().versionDocument(n.name(), n.version())));
      }
      for (int i = 0; i < unknown.size(); i++) {
        Map<String, Object> doc = get(docs.get(i));
        TreeNode n = unknown.get(i);
        synchronized (tree) {
          n.learnLibc(doc == null ? null : JsonValues.stringList(doc.get("libc")));
        }
      }
    }
  }

  private static <T> T get(Future<T> f) throws AccretionException {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof AccretionException a) {
        throw a;
      }
      throw new AccretionException(FailureKind.FAILED, e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "interrupted", e);
    }
  }

  private static final class Group {
    final TreeNode first;
    final String url;
    final List<String> paths = new ArrayList<>();
    final Set<String> deps = new TreeSet<>();
    final Set<String> bundled = new TreeSet<>();
    boolean optional = true;

    Group(TreeNode first, String url) {
      this.first = first;
      this.url = url;
    }
  }

  private List<ResolvedPackage> group(Tree tree, InstallPlanner.Plan plan, List<String> warnings)
      throws AccretionException {
    Set<TreeNode> installed = new LinkedHashSet<>(plan.install());
    Map<String, Group> groups = new LinkedHashMap<>();
    Map<TreeNode, Group> byNode = new LinkedHashMap<>();
    List<TreeNode> bundledNodes = new ArrayList<>();
    Set<String> withScripts = new TreeSet<>();
    for (TreeNode n : plan.install()) {
      if (n.inBundle()) {
        bundledNodes.add(n);
        continue;
      }
      if (n.name() == null || n.version() == null) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "the lock's entry " + n.path() + " has no version",
            "regenerate the lock with `npm install --package-lock-only`",
            null);
      }
      String url = sourceUrl(n);
      String key = n.name() + "@" + n.version() + " " + url + " " + n.integrity();
      Group g = groups.computeIfAbsent(key, k -> new Group(n, url));
      g.paths.add(n.path().substring("node_modules/".length()));
      g.optional &= n.optional() || n.devOptional();
      byNode.put(n, g);
      if (n.hasInstallScript()) {
        withScripts.add(n.label());
      }
    }
    for (TreeNode n : bundledNodes) {
      String p = n.path();
      TreeNode owner = null;
      while (true) {
        String parent = Tree.parentPackage(p);
        if (parent == null || parent.isEmpty()) {
          break;
        }
        TreeNode candidate = tree.get(parent);
        if (candidate != null && !candidate.inBundle()) {
          owner = candidate;
          break;
        }
        p = parent;
      }
      Group g = owner == null ? null : byNode.get(owner);
      if (g != null) {
        g.bundled.add(n.label());
      }
    }
    for (Map.Entry<TreeNode, Group> e : byNode.entrySet()) {
      for (Tree.Edge edge : tree.edgesOut(e.getKey())) {
        if (edge.to() != null && installed.contains(edge.to()) && edge.to().name() != null) {
          e.getValue().deps.add(edge.to().name());
        }
      }
    }
    if (!withScripts.isEmpty()) {
      warnings.add(
          "install scripts are never run; these packages declare some: "
              + String.join(", ", withScripts));
    }
    List<ResolvedPackage> out = new ArrayList<>();
    for (Group g : groups.values()) {
      TreeNode n = g.first;
      Map<String, Object> facts = new TreeMap<>();
      facts.put("paths", List.copyOf(g.paths));
      if (n.integrity() != null) {
        facts.put("integrity", n.integrity());
      }
      if (g.optional) {
        facts.put("optional", true);
      }
      if (!g.bundled.isEmpty()) {
        facts.put("bundled", List.copyOf(g.bundled));
      }
      if (n.hasInstallScript()) {
        facts.put("hasInstallScript", true);
      }
      out.add(
          new ResolvedPackage(
              "npm",
              n.name(),
              n.version(),
              purl(n.name(), n.version()),
              source(n, g.url),
              List.copyOf(g.deps),
              facts));
    }
    out.sort(Comparator.comparing(ResolvedPackage::name).thenComparing(ResolvedPackage::version));
    return out;
  }

  private static final Pattern SRI =
      Pattern.compile("^(sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=]+$");

  private PackageSource source(TreeNode n, String url) throws AccretionException {
    List<Digest> strong = new ArrayList<>();
    List<Digest> sha1 = new ArrayList<>();
    String integrity = n.integrity();
    if (integrity == null && sources.get(url) != null && sources.get(url).conventional()) {
      integrity = registryIntegrity(n);
    }
    if (integrity != null) {
      for (String part : integrity.strip().split("\\s+")) {
        String sri = part.contains("?") ? part.substring(0, part.indexOf('?')) : part;
        if (!SRI.matcher(sri).matches()) {
          continue;
        }
        try {
          Digest d = Digest.fromSri(sri);
          (d.algorithm().equals("sha1") ? sha1 : strong).add(d);
        } catch (IllegalArgumentException e) {
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              "the integrity of "
                  + n.label()
                  + " ("
                  + n.path()
                  + ") is not a valid SRI value: "
                  + part,
              "regenerate the lock with `npm install --package-lock-only`",
              null);
        }
      }
    }
    List<Digest> digests = strong.isEmpty() ? sha1 : strong;
    String path = URI.create(url).getPath();
    String filename = path == null ? url : path.substring(path.lastIndexOf('/') + 1);
    if (filename.isEmpty()) {
      filename = n.name().replace('/', '-') + "-" + n.version() + ".tgz";
    }
    SourceInfo info = sources.get(url);
    return new PackageSource(
        URI.create(url),
        filename,
        digests,
        java.util.OptionalLong.empty(),
        info == null ? url : info.registry());
  }

  /** The integrity the registry publishes for a version, for a lock entry that lacks one. */
  private String registryIntegrity(TreeNode n) throws AccretionException {
    Map<String, Object> doc = client().versionDocument(n.name(), n.version());
    Map<String, Object> dist = JsonValues.map(doc, "dist");
    String integrity = JsonValues.string(dist, "integrity");
    if (integrity == null && JsonValues.string(dist, "shasum") != null) {
      integrity =
          "sha1-"
              + java.util.Base64.getEncoder()
                  .encodeToString(HexFormat.of().parseHex(JsonValues.string(dist, "shasum")));
    }
    if (integrity != null) {
      notes.add(
          n.label()
              + ": the lock has no integrity; the registry's "
              + integrity.substring(0, integrity.indexOf('-'))
              + " is verified");
    }
    return integrity;
  }

  /** The URL a folder's tarball is fetched from, as npm ci would fetch it. */
  private String sourceUrl(TreeNode n) throws AccretionException {
    String resolved = n.resolved();
    String registry = config.registryFor(n.name());
    String url;
    boolean conventional = false;
    if (resolved == null || resolved.isEmpty()) {
      // npm's omit-lockfile-registry-resolved: the tarball is at its registry's usual place
      String unscoped = n.name().substring(n.name().lastIndexOf('/') + 1);
      url = registry + n.name() + "/-/" + unscoped + "-" + n.version() + ".tgz";
      conventional = true;
    } else if (resolved.startsWith("https://") || resolved.startsWith("http://")) {
      url = config.replaceRegistry(resolved);
    } else if (resolved.startsWith("file:")) {
      Path p = projectDir.resolve(resolved.substring(5)).normalize();
      if (!Files.isRegularFile(p)) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            n.label()
                + " comes from the local folder "
                + resolved
                + ", which Accretion does not pack",
            "publish it to a registry, or `npm pack` it and depend on the .tgz file",
            null);
      }
      url = p.toUri().toString();
    } else if (resolved.startsWith("git")
        || resolved.contains("://github.com")
        || resolved.startsWith("github:")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          n.label() + " comes from git (" + resolved + "), which Accretion does not install",
          "depend on a published version, or on a tarball URL with an integrity",
          null);
    } else {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          n.label() + " has a resolved value Accretion does not understand: " + resolved,
          "regenerate the lock with `npm install --package-lock-only`",
          null);
    }
    if (config.hasScopeRegistry(n.name())
        && !url.startsWith("file:")
        && !sameOrigin(url, registry)) {
      throw new AccretionException(
          FailureKind.REFUSED,
          n.label()
              + " would be fetched from "
              + url
              + ", but its scope "
              + NpmConfig.scopeOf(n.name())
              + " has its own registry "
              + registry
              + " (a scoped package comes only from its scope's registry)",
          "regenerate the lock against the scope's registry, or fix "
              + NpmConfig.scopeOf(n.name())
              + ":registry in .npmrc",
          null);
    }
    sources.putIfAbsent(url, new SourceInfo(n.name(), n.version(), registry, conventional));
    return url;
  }

  private static boolean sameOrigin(String a, String b) {
    URI x = URI.create(a);
    URI y = URI.create(b);
    return x.getScheme() != null
        && x.getScheme().equalsIgnoreCase(y.getScheme())
        && x.getHost() != null
        && x.getHost().equalsIgnoreCase(y.getHost())
        && port(x) == port(y);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** The Package URL of an npm package: the scope's {@code @} as {@code %40}. */
  static String purl(String name, String version) {
    String path;
    if (name.startsWith("@") && name.indexOf('/') > 0) {
      int slash = name.indexOf('/');
      path = "%40" + encode(name.substring(1, slash)) + "/" + encode(name.substring(slash + 1));
    } else {
      path = encode(name);
    }
    return "pkg:npm/" + path + "@" + encode(version);
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  // ---- download, open, install

  /**
   * npm tarballs are many small files, usually from one registry that multiplexes them over one
   * HTTP/2 connection: 32 at once (npm itself keeps up to 15 sockets open per registry).
   */
  @Override
  public int fetchConcurrency() {
    return 32;
  }

  @Override
  public void download(PackageSource source, OutputStream out, LongConsumer progress)
      throws AccretionException {
    String url = source.url().toString();
    if (url.startsWith("file:")) {
      try {
        long n = Files.copy(Path.of(source.url()), out);
        progress.accept(n);
        return;
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.NOT_FOUND, "cannot read " + url + ": " + e.getMessage(), e);
      }
    }
    SourceInfo info = sources.get(url);
    String registry = info == null ? config.registry() : info.registry();
    String what = info == null ? source.filename() : info.name() + "@" + info.version();
    try {
      client().download(url, registry, out, progress, what);
    } catch (AccretionException e) {
      if (e.kind() != FailureKind.NOT_FOUND || info == null || !info.conventional()) {
        throw e;
      }
      // the registry keeps tarballs elsewhere: ask it where
      Map<String, Object> doc = client().versionDocument(info.name(), info.version());
      String tarball = JsonValues.string(JsonValues.map(doc, "dist"), "tarball");
      if (tarball == null || tarball.equals(url)) {
        throw e;
      }
      client().download(tarball, registry, out, progress, what);
    }
  }

  @Override
  public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits)
      throws AccretionException {
    return NodeOpenedPackage.open(pkg, blob, limits);
  }

  /** Folder names that say which platform a prebuilt binary is for (node-gyp-build's layout). */
  private static final Pattern ARCH_WORD =
      Pattern.compile(
          "(^|[/_.-])(x64|x86_64|amd64|ia32|x86|arm64|aarch64|arm|armv6|armv7|armhf|ppc64|ppc64le|s390x|riscv64|mips64el|loong64)([/_.-]|$)");

  @Override
  public InstalledPackage install(OpenedPackage opened, Target target, Placement placement)
      throws AccretionException {
    NodeOpenedPackage pkg = (NodeOpenedPackage) opened;
    ResolvedPackage rp = pkg.pkg();
    List<String> installNotes = new ArrayList<>(pkg.notes());
    installNotes.addAll(pkg.elfNotes());
    List<String> installWarnings = new ArrayList<>();
    int machine = target.architecture().elfMachine();
    if (pkg.buildsNativeAddon()) {
      boolean prebuilt = false;
      for (NodeOpenedPackage.File f : pkg.files()) {
        prebuilt |= f.path().endsWith(".node") && f.elf() != null && f.elf().machine() == machine;
      }
      if (!prebuilt) {
        String scripts = describeScripts(pkg.installScripts());
        String what =
            rp.label()
                + " builds a native addon when installed ("
                + scripts
                + ") and ships no prebuilt binary for "
                + NodePlatform.of(target).describe();
        if (Boolean.TRUE.equals(rp.facts().get("optional"))) {
          installWarnings.add(
              "left out optional " + what + "; npm leaves it out too when its build fails");
          return new InstalledPackage(opened, List.of(), installNotes, installWarnings);
        }
        if (!allowUnbuilt.contains(rp.name())) {
          throw new AccretionException(
              FailureKind.REFUSED,
              what + "; Accretion runs no install scripts",
              "use a version or an alternative that ships prebuilt binaries (as platform packages in"
                  + " optionalDependencies, like sharp's @img/sharp-linux-* or esbuild's"
                  + " @esbuild/linux-*, or in a prebuilds/ folder), or, if it works without its"
                  + " addon, allow it with the option allow-unbuilt="
                  + rp.name()
                  + " (--allow-unbuilt "
                  + rp.name()
                  + ", or allow-unbuilt = [\""
                  + rp.name()
                  + "\"] in accretion.toml)",
              null);
        }
        installWarnings.add(what + "; installed without it (allow-unbuilt)");
      }
    }
    if (!pkg.installScripts().isEmpty()
        && !Boolean.TRUE.equals(rp.facts().get("hasInstallScript"))) {
      installWarnings.add(
          rp.label()
              + " declares install scripts that are not run ("
              + describeScripts(pkg.installScripts())
              + ")");
    }
    String prefix = placement == Placement.LAYER ? "nodejs/node_modules/" : "node_modules/";
    @SuppressWarnings("unchecked")
    List<String> paths = (List<String>) rp.facts().get("paths");
    List<LayerFile> files = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (NodeOpenedPackage.File f : pkg.files()) {
      ElfInfo elf = f.elf();
      if (elf != null && elf.machine() != machine && ARCH_WORD.matcher(f.path()).find()) {
        leftOut.add(f.path());
        continue;
      }
      for (String p : paths) {
        files.add(
            new LayerFile(
                prefix + p + "/" + f.path(),
                f.executable(),
                f.sha256(),
                f.size(),
                new LayerFile.Compressed(f.bytes(), f.compressed()),
                elf));
      }
    }
    if (!leftOut.isEmpty()) {
      installNotes.add(
          "left out prebuilt binaries for other CPUs (chosen at run time by the package): "
              + String.join(", ", leftOut));
    }
    return new InstalledPackage(opened, files, installNotes, installWarnings);
  }

  private static String describeScripts(Map<String, String> scripts) {
    List<String> parts = new ArrayList<>();
    scripts.forEach((k, v) -> parts.add(k + ": " + v));
    return String.join("; ", parts);
  }

  /**
   * npm's hidden lockfile, {@code node_modules/.package-lock.json}, as {@code npm ci} leaves it:
   * what is installed and where it came from, so that {@code npm ls} on the layer's tree knows the
   * resolved URL of every package.
   */
  @Override
  public List<LayerFile> extraFiles(Target target, Placement placement) {
    State state = states.get(target);
    if (state == null) {
      return List.of();
    }
    byte[] bytes;
    synchronized (state.tree()) {
      bytes =
          LockWriter.hidden(state.tree(), state.plan().install()).getBytes(StandardCharsets.UTF_8);
    }
    String prefix = placement == Placement.LAYER ? "nodejs/node_modules/" : "node_modules/";
    return List.of(
        new LayerFile(
            prefix + ".package-lock.json",
            false,
            NodeOpenedPackage.sha256(bytes),
            bytes.length,
            new LayerFile.Compressed(bytes),
            null));
  }

  @Override
  public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts)
      throws AccretionException {
    State state = (State) resolution.state();
    String runtime = resolution.target().runtime().id().replace(".", "");
    String name =
        layerName
            + "-"
            + runtime
            + "-"
            + resolution.target().architecture().lambdaName()
            + ".package-lock.json";
    byte[] content;
    if (!state.generated()) {
      content = lockBytes.clone();
    } else {
      content = LockWriter.write(state.tree(), config).getBytes(StandardCharsets.UTF_8);
    }
    return Optional.of(new LockFile(name, NodeBuilder.PACKAGE_LOCK.id(), content));
  }

  @Override
  public void close() {
    RegistryClient c = client;
    if (c != null) {
      c.close();
    }
  }
}
