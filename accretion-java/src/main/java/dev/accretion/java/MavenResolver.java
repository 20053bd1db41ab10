package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FailureKind;
import dev.accretion.core.FileDigests;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.maven.model.Model;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.building.DefaultModelBuildingRequest;
import org.apache.maven.model.building.ModelBuilder;
import org.apache.maven.model.building.ModelBuildingException;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.model.building.ModelBuildingResult;
import org.apache.maven.model.building.ModelProblem;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.RepositorySystemSession.SessionBuilder;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.ArtifactType;
import org.eclipse.aether.artifact.ArtifactTypeRegistry;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.artifact.DefaultArtifactType;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.CollectResult;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.ArtifactRepository;
import org.eclipse.aether.repository.LocalArtifactRequest;
import org.eclipse.aether.repository.LocalArtifactResult;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.graph.manager.DependencyManagerUtils;
import org.eclipse.aether.util.graph.transformer.ConflictResolver;

/**
 * Maven Resolver, wired without DI ({@link RepositorySystemSupplier}), configured from settings as
 * Maven 3 does, resolving a pom's or a coordinate list's runtime dependencies the way {@code mvn
 * dependency:copy-dependencies -DincludeScope=runtime} sees them: the whole project graph (test and
 * provided included, since they take part in Maven's conflict resolution) collected with Maven 3's
 * dependency manager, selectors and nearest-wins conflict resolver, then the compile and runtime
 * scope artifacts downloaded and verified against the repository checksums (policy {@code fail}).
 * Thread-safe; one per build session, closed with it.
 */
final class MavenResolver implements AutoCloseable {

  static final String CENTRAL_ID = "central";
  static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2";
  static final int TRANSFER_THREADS = 32;

  private final RepositorySystemSupplier supplier;
  private final RepositorySystem system;
  private final ModelBuilder modelBuilder;
  private final MavenSettings settings;
  private final Path localRepository;
  private final boolean offline;
  private final List<RemoteRepository> extraRepositories;
  private final Map<String, String> env;
  private final Path home;
  private final BuildListener listener;

  MavenResolver(
      MavenSettings settings,
      Path localRepository,
      boolean offline,
      List<RemoteRepository> extraRepositories,
      Map<String, String> env,
      Path home,
      BuildListener listener) {
    this.settings = settings;
    this.localRepository = localRepository;
    this.offline = offline;
    this.extraRepositories = List.copyOf(extraRepositories);
    this.env = Map.copyOf(env);
    this.home = home;
    this.listener = listener;
    this.supplier = new RepositorySystemSupplier();
    this.system = supplier.get();
    this.modelBuilder = new DefaultModelBuilderFactory().newInstance();
  }

  boolean offline() {
    return offline;
  }

  /**
   * A resolver session for one target: Maven 3's graph rules, settings' mirrors, proxies and
   * credentials, checksum policy {@code fail}, and the target's Java version and CPU as the {@code
   * java.version}, {@code os.name} and {@code os.arch} that profile activation sees.
   */
  CloseableSession session(Target target) throws AccretionException {
    return session(target, null);
  }

  private CloseableSession session(Target target, Prefetch prefetch) throws AccretionException {
    try {
      Files.createDirectories(localRepository);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot create the Maven local repository " + localRepository, e);
    }
    SessionBuilder b = new SessionBuilderSupplier(system).get();
    b.withLocalRepositoryBaseDirectories(localRepository);
    b.setSystemProperties(systemProperties(target));
    b.setUserProperties(Map.of());
    b.setOffline(offline);
    b.setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL);
    if (updateAlways(env)) {
      // mvn -U: remote metadata (a version range's maven-metadata.xml) is checked again now,
      // not once a day
      b.setUpdatePolicy(RepositoryPolicy.UPDATE_POLICY_ALWAYS);
    }
    b.setMirrorSelector(settings.mirrorSelector());
    b.setProxySelector(settings.proxySelector());
    b.setAuthenticationSelector(settings.authenticationSelector());
    Map<String, Object> config = new LinkedHashMap<>(settings.serverConfiguration());
    config.put("aether.connector.userAgent", "Accretion/" + BuilderVersion.get());
    // keep the losers of conflicts in the graph (marked), to report a requested version that lost
    config.put(ConflictResolver.CONFIG_PROP_VERBOSE, true);
    config.put(DependencyManagerUtils.CONFIG_PROP_VERBOSE, true);
    // fetch descriptors in parallel while collecting (same graph as the depth-first collector)
    config.put("aether.dependencyCollector.impl", "bf");
    // downloads are latency-bound (a small POM, then its .sha1, per request; bandwidth capped
    // per connection): 32 parallel transfers instead of Maven's 5 make a cold AWS SDK set ~3x
    // faster (bench/java.sh)
    config.put("aether.dependencyCollector.bf.threads", TRANSFER_THREADS);
    config.put("aether.connector.basic.threads", TRANSFER_THREADS);
    config.put("aether.metadataResolver.threads", TRANSFER_THREADS);
    config.forEach(b::setConfigProperty);
    b.setTransferListener(new Progress(listener));
    if (prefetch != null) {
      b.setRepositoryListener(prefetch);
    }
    return b.build();
  }

  /**
   * Whether {@code MAVEN_ARGS} (the extra arguments Maven 3.9+ reads from the environment) holds
   * {@code -U} / {@code --update-snapshots}: then, as with {@code mvn -U}, the repositories'
   * metadata is checked on every resolution instead of by their update policy (daily).
   */
  static boolean updateAlways(Map<String, String> env) {
    String args = env.get("MAVEN_ARGS");
    if (args == null) {
      return false;
    }
    for (String a : args.strip().split("\\s+")) {
      if (a.equals("-U") || a.equals("--update-snapshots")) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> systemProperties(Target target) {
    Map<String, String> p = new HashMap<>();
    env.forEach((k, v) -> p.put("env." + k, v));
    p.put("user.home", home.toString());
    if (target == null) {
      return p;
    }
    String v = target.runtime().languageVersion();
    p.put("java.version", v.equals("8") ? "1.8" : v);
    p.put("java.specification.version", v.equals("8") ? "1.8" : v);
    p.put("java.home", "/var/lang");
    p.put("os.name", "Linux");
    p.put("os.arch", target.architecture() == Architecture.X86_64 ? "amd64" : "aarch64");
    p.put("os.version", "");
    p.put("file.separator", "/");
    p.put("path.separator", ":");
    p.put("line.separator", "\n");
    return p;
  }

  /**
   * The repositories a listing without a pom resolves from: the {@code repository} option's, the
   * active settings profiles', then Maven Central; mirrors, proxies and credentials applied.
   */
  List<RemoteRepository> defaultRepositories(RepositorySystemSession session) {
    List<RemoteRepository> repos = new ArrayList<>(extraRepositories);
    for (org.apache.maven.settings.Profile p : settings.activeProfilesWithoutProject()) {
      for (org.apache.maven.settings.Repository r : p.getRepositories()) {
        repos.add(SettingsProfiles.remote(SettingsProfiles.toModel(r)));
      }
    }
    repos.add(central());
    return system.newResolutionRepositories(session, dedupe(repos));
  }

  private static RemoteRepository central() {
    return new RemoteRepository.Builder(CENTRAL_ID, "default", CENTRAL_URL)
        .setSnapshotPolicy(new RepositoryPolicy(false, null, null))
        .build();
  }

  private static List<RemoteRepository> dedupe(List<RemoteRepository> repos) {
    Map<String, RemoteRepository> byId = new LinkedHashMap<>();
    for (RemoteRepository r : repos) {
      byId.putIfAbsent(r.getId(), r);
    }
    return new ArrayList<>(byId.values());
  }

  /**
   * The effective model of a pom (parents, properties, profiles, imported BOMs, dependency
   * management), built by Maven's model builder with settings' profiles.
   *
   * @throws AccretionException {@link FailureKind#BAD_INPUT} naming the file, line and problem for
   *     an invalid pom; the resolver's kinds for a parent or BOM that cannot be fetched
   */
  Model effectiveModel(Path pom, CloseableSession session, Target target)
      throws AccretionException {
    DefaultModelBuildingRequest request = new DefaultModelBuildingRequest();
    request.setPomFile(pom.toFile());
    request.setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MAVEN_3_0);
    request.setProcessPlugins(false);
    request.setTwoPhaseBuilding(false);
    request.setLocationTracking(false);
    Properties system = new Properties();
    system.putAll(systemProperties(target));
    request.setSystemProperties(system);
    request.setUserProperties(new Properties());
    request.setProfiles(SettingsProfiles.toModel(settings.profiles()));
    request.setActiveProfileIds(settings.activeProfiles());
    List<RemoteRepository> start = new ArrayList<>(extraRepositories);
    for (org.apache.maven.settings.Profile p : settings.activeProfilesWithoutProject()) {
      for (org.apache.maven.settings.Repository r : p.getRepositories()) {
        start.add(SettingsProfiles.remote(SettingsProfiles.toModel(r)));
      }
    }
    start.add(central());
    request.setModelResolver(new RepositoryModelResolver(this.system, session, start));
    ModelBuildingResult result;
    try {
      result = modelBuilder.build(request);
    } catch (ModelBuildingException e) {
      throw modelFailure(pom, e.getProblems());
    }
    return result.getEffectiveModel();
  }

  private AccretionException modelFailure(Path pom, List<ModelProblem> problems) {
    List<String> lines = new ArrayList<>();
    Throwable resolverCause = null;
    for (ModelProblem p : problems) {
      if (p.getSeverity() == ModelProblem.Severity.WARNING) {
        continue;
      }
      String where =
          p.getSource() == null || p.getSource().isEmpty() ? pom.toString() : p.getSource();
      if (p.getLineNumber() > 0) {
        where += ":" + p.getLineNumber();
      }
      lines.add(where + ": " + p.getMessage());
      if (p.getException() != null && resolverCause == null) {
        for (Throwable t : ResolverFailures.chain(p.getException())) {
          if (t instanceof org.eclipse.aether.RepositoryException) {
            resolverCause = t;
          }
        }
      }
    }
    if (resolverCause != null) {
      return ResolverFailures.of(
          "reading " + pom + ": " + String.join("; ", lines), resolverCause, offline);
    }
    return new AccretionException(
        FailureKind.BAD_INPUT,
        "invalid pom " + String.join("; ", lines),
        "fix the pom (mvn validate reports the same problems)",
        null);
  }

  /**
   * Resolves a listing for one target.
   *
   * @param pom the pom, or null
   * @param coordinates the coordinate list, or null
   */
  JavaResolutionState resolve(Path listing, Path pom, CoordinateList coordinates, Target target)
      throws AccretionException {
    long start = System.nanoTime();
    try (Prefetch prefetch = new Prefetch(system, TRANSFER_THREADS);
        CloseableSession session = session(target, prefetch)) {
      CollectRequest collect = new CollectRequest();
      collect.setRequestContext("project");
      List<String> warnings = new ArrayList<>();
      if (pom != null) {
        Model model = effectiveModel(pom, session, target);
        ArtifactTypeRegistry types = session.getArtifactTypeRegistry();
        collect.setRootArtifact(
            new DefaultArtifact(
                model.getGroupId(), model.getArtifactId(), "", "pom", model.getVersion()));
        for (org.apache.maven.model.Dependency d : model.getDependencies()) {
          collect.addDependency(toDependency(d, types));
        }
        if (model.getDependencyManagement() != null) {
          for (org.apache.maven.model.Dependency d :
              model.getDependencyManagement().getDependencies()) {
            collect.addManagedDependency(toDependency(d, types));
          }
        }
        List<RemoteRepository> repos = new ArrayList<>(extraRepositories);
        for (org.apache.maven.model.Repository r : model.getRepositories()) {
          repos.add(SettingsProfiles.remote(r));
        }
        collect.setRepositories(system.newResolutionRepositories(session, dedupe(repos)));
      } else {
        for (Artifact a : coordinates.artifacts()) {
          collect.addDependency(new Dependency(a, "compile"));
        }
        collect.setRepositories(defaultRepositories(session));
      }
      String what = "resolving " + listing.getFileName() + " for " + target;
      CollectResult collected;
      try {
        collected = system.collectDependencies(session, collect);
      } catch (DependencyCollectionException e) {
        throw ResolverFailures.of(what, e, offline);
      }
      for (Exception e : collected.getExceptions()) {
        warnings.add("while resolving: " + ResolverFailures.messages(ResolverFailures.chain(e)));
      }
      prefetch.finish();
      Graph graph = Graph.of(collected.getRoot());
      listener.onEvent(
          new BuildEvent.Step(
              "collected the dependency graph of " + listing.getFileName() + " for " + target,
              graph.winners.size(),
              graph.winners.size()));
      List<ArtifactRequest> requests = new ArrayList<>();
      for (DependencyNode n : graph.winners) {
        requests.add(new ArtifactRequest(n));
      }
      List<ArtifactResult> results;
      try {
        results = system.resolveArtifacts(session, requests);
      } catch (ArtifactResolutionException e) {
        throw ResolverFailures.of(what, e, offline);
      }
      List<JavaArtifact> artifacts = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        ArtifactResult r = results.get(i);
        DependencyNode node = graph.winners.get(i);
        Artifact a = r.getArtifact();
        RemoteRepository origin = origin(session, r, node);
        Path file = a.getPath();
        String sha256;
        long size;
        try {
          sha256 = FileDigests.sha256Hex(file);
          size = Files.size(file);
        } catch (IOException e) {
          throw new AccretionException(FailureKind.FAILED, "cannot read " + file, e);
        }
        TreeSet<String> deps = new TreeSet<>();
        for (DependencyNode child : node.getChildren()) {
          DependencyNode w = graph.winnerOf(child);
          if (w != null && graph.winnerSet.containsKey(w)) {
            deps.add(MavenCoordinates.of(w.getArtifact()).name());
          }
        }
        artifacts.add(
            new JavaArtifact(
                MavenCoordinates.of(a),
                scope(node),
                origin.getId(),
                origin.getUrl(),
                sha256,
                size,
                license(session, node),
                List.copyOf(deps),
                file,
                graph.direct.containsKey(node)));
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new JavaResolutionState(artifacts, graph.notes, warnings, millis);
    }
  }

  private String license(RepositorySystemSession session, DependencyNode node) {
    try {
      // the descriptor was read while collecting: this is a cache hit
      ArtifactDescriptorResult d =
          system.readArtifactDescriptor(
              session,
              new ArtifactDescriptorRequest(node.getArtifact(), node.getRepositories(), "project"));
      Map<String, Object> props = d.getProperties();
      Object count = props.get("license.count");
      int n = count == null ? 0 : Integer.parseInt(count.toString());
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Object name = props.get("license." + i + ".name");
        if (name != null && !name.toString().isBlank()) {
          names.add(name.toString().strip());
        }
      }
      return names.isEmpty() ? null : String.join("; ", names);
    } catch (ArtifactDescriptorException | RuntimeException e) {
      return null;
    }
  }

  private RemoteRepository origin(
      RepositorySystemSession session, ArtifactResult r, DependencyNode node) {
    ArtifactRepository repo = r.getRepository();
    if (!(repo instanceof RemoteRepository)) {
      LocalArtifactResult local =
          session
              .getLocalRepositoryManager()
              .find(
                  session,
                  new LocalArtifactRequest(r.getArtifact(), node.getRepositories(), "project"));
      repo = local.getRepository();
    }
    RemoteRepository remote =
        repo instanceof RemoteRepository rr
            ? rr
            : node.getRepositories().isEmpty() ? null : node.getRepositories().get(0);
    if (remote == null) {
      return new RemoteRepository.Builder("local", "default", localRepository.toUri().toString())
          .build();
    }
    return unmirrored(remote);
  }

  /** The repository a mirror stands for (Central if it is one of them), for locks and manifests. */
  static RemoteRepository unmirrored(RemoteRepository repo) {
    List<RemoteRepository> mirrored = repo.getMirroredRepositories();
    if (mirrored.isEmpty()) {
      return repo;
    }
    for (RemoteRepository m : mirrored) {
      if (m.getId().equals(CENTRAL_ID)) {
        return m;
      }
    }
    return mirrored.get(0);
  }

  /**
   * Fetches one locked artifact from its repository (settings' mirrors and credentials applied,
   * repository checksums verified) into the local repository, without resolving anything else.
   */
  Path fetch(JavaArtifact locked, Target target) throws AccretionException {
    try (CloseableSession session = session(target)) {
      RemoteRepository declared =
          new RemoteRepository.Builder(locked.repositoryId(), "default", locked.repositoryUrl())
              .build();
      List<RemoteRepository> repos = system.newResolutionRepositories(session, List.of(declared));
      ArtifactRequest request =
          new ArtifactRequest(locked.coordinates().toArtifact(), repos, "project");
      try {
        return system.resolveArtifact(session, request).getArtifact().getPath();
      } catch (ArtifactResolutionException e) {
        throw ResolverFailures.of("fetching " + locked.coordinates(), e, offline);
      }
    }
  }

  /**
   * Fetches every locked artifact at once (in parallel, through mirrors and credentials, repository
   * checksums verified) into the local repository; resolves nothing. Failures are left for {@link
   * #fetch} to report one by one.
   *
   * @return the local file of each artifact that was fetched, by its coordinates
   */
  Map<MavenCoordinates, Path> fetchAll(List<JavaArtifact> locked, Target target)
      throws AccretionException {
    Map<MavenCoordinates, Path> out = new HashMap<>();
    try (CloseableSession session = session(target)) {
      List<ArtifactRequest> requests = new ArrayList<>();
      for (JavaArtifact a : locked) {
        RemoteRepository declared =
            new RemoteRepository.Builder(a.repositoryId(), "default", a.repositoryUrl())
                .setSnapshotPolicy(new RepositoryPolicy(true, null, null))
                .build();
        requests.add(
            new ArtifactRequest(
                a.coordinates().toArtifact(),
                system.newResolutionRepositories(session, List.of(declared)),
                "project"));
      }
      List<ArtifactResult> results;
      try {
        results = system.resolveArtifacts(session, requests);
      } catch (ArtifactResolutionException e) {
        results = e.getResults();
      }
      for (ArtifactResult r : results) {
        if (r.isResolved()) {
          out.put(MavenCoordinates.of(r.getRequest().getArtifact()), r.getArtifact().getPath());
        }
      }
    }
    return out;
  }

  private static String scope(DependencyNode node) {
    String s = node.getDependency().getScope();
    return s == null || s.isEmpty() ? "compile" : s;
  }

  static Dependency toDependency(org.apache.maven.model.Dependency d, ArtifactTypeRegistry types) {
    String type = d.getType() == null ? "jar" : d.getType();
    ArtifactType stereotype = types.get(type);
    if (stereotype == null) {
      stereotype = new DefaultArtifactType(type);
    }
    boolean system = d.getSystemPath() != null && !d.getSystemPath().isEmpty();
    Map<String, String> props =
        system
            ? Map.of(org.eclipse.aether.artifact.ArtifactProperties.LOCAL_PATH, d.getSystemPath())
            : null;
    Artifact artifact =
        new DefaultArtifact(
            d.getGroupId(),
            d.getArtifactId(),
            d.getClassifier() == null || d.getClassifier().isEmpty()
                ? stereotype.getClassifier()
                : d.getClassifier(),
            stereotype.getExtension(),
            d.getVersion(),
            props,
            stereotype);
    List<Exclusion> exclusions = new ArrayList<>();
    for (org.apache.maven.model.Exclusion e : d.getExclusions()) {
      exclusions.add(new Exclusion(e.getGroupId(), e.getArtifactId(), "*", "*"));
    }
    String scope = d.getScope() == null || d.getScope().isEmpty() ? "compile" : d.getScope();
    return new Dependency(
        artifact, scope, d.getOptional() != null ? d.isOptional() : null, exclusions);
  }

  @Override
  public void close() {
    system.shutdown();
  }

  /** The collected graph: winners in the compile/runtime scopes, and what lost. */
  private static final class Graph {
    final List<DependencyNode> winners = new ArrayList<>();
    final IdentityHashMap<DependencyNode, Boolean> winnerSet = new IdentityHashMap<>();
    final IdentityHashMap<DependencyNode, Boolean> direct = new IdentityHashMap<>();
    final List<String> notes = new ArrayList<>();

    static Graph of(DependencyNode root) {
      Graph g = new Graph();
      g.walk(root, new ArrayList<>(), new IdentityHashMap<>());
      g.notes.sort(null);
      return g;
    }

    DependencyNode winnerOf(DependencyNode n) {
      Object w = n.getData().get(ConflictResolver.NODE_DATA_WINNER);
      return w instanceof DependencyNode d ? d : n;
    }

    private void walk(
        DependencyNode node,
        List<DependencyNode> path,
        IdentityHashMap<DependencyNode, Boolean> seen) {
      if (seen.put(node, Boolean.TRUE) != null) {
        return;
      }
      Object winner = node.getData().get(ConflictResolver.NODE_DATA_WINNER);
      if (node.getDependency() != null) {
        String scope = scope(node);
        if (winner instanceof DependencyNode w) {
          String lost = node.getArtifact().getVersion();
          String won = w.getArtifact().getVersion();
          if (!lost.equals(won) && isRuntime(scope(w))) {
            notes.add(
                MavenCoordinates.of(node.getArtifact()).name()
                    + " "
                    + lost
                    + " requested by "
                    + via(path)
                    + " lost to "
                    + won
                    + " (Maven's nearest-wins rule)");
          }
          return;
        }
        String premanaged = DependencyManagerUtils.getPremanagedVersion(node);
        if (premanaged != null
            && !premanaged.equals(node.getArtifact().getVersion())
            && isRuntime(scope)) {
          notes.add(
              MavenCoordinates.of(node.getArtifact()).name()
                  + " "
                  + premanaged
                  + " requested by "
                  + via(path)
                  + " managed to "
                  + node.getArtifact().getVersion()
                  + " (dependencyManagement)");
        }
        if (isRuntime(scope) && !winnerSet.containsKey(node)) {
          winners.add(node);
          winnerSet.put(node, Boolean.TRUE);
          if (path.size() == 1) {
            direct.put(node, Boolean.TRUE);
          }
        }
      }
      path.add(node);
      for (DependencyNode child : node.getChildren()) {
        walk(child, path, seen);
      }
      path.remove(path.size() - 1);
    }

    private static boolean isRuntime(String scope) {
      return scope.equals("compile") || scope.equals("runtime");
    }

    private static String via(List<DependencyNode> path) {
      for (int i = path.size() - 1; i >= 0; i--) {
        DependencyNode p = path.get(i);
        if (p.getArtifact() != null) {
          Artifact a = p.getArtifact();
          return a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion();
        }
      }
      return "the listing";
    }
  }

  /** Reports downloads as progress steps. */
  private static final class Progress extends AbstractTransferListener {
    private final BuildListener listener;

    Progress(BuildListener listener) {
      this.listener = listener;
    }

    @Override
    public void transferSucceeded(TransferEvent event) {
      String name = event.getResource().getResourceName();
      if (!name.endsWith(".sha1") && !name.endsWith(".md5")) {
        long n = event.getTransferredBytes();
        listener.onEvent(new BuildEvent.Step("downloaded " + name, n, n));
      }
    }
  }

  /** For callers that only need the collection type. */
  static <T> List<T> list(Collection<T> c) {
    return new ArrayList<>(c);
  }
}
