package dev.accretion.app.functions;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.AwsSettings;
import dev.accretion.aws.FunctionDeployer;
import dev.accretion.aws.FunctionDeployer.DeployedFunction;
import dev.accretion.aws.FunctionDeployer.FunctionSpec;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.PublishValidation;
import dev.accretion.aws.project.FunctionsFile;
import dev.accretion.aws.project.FunctionsFile.FunctionConfig;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Use case {@code functions sync}: every function folder a git repository's {@code accretion.toml}
 * declares ({@code [functions."<path>"]}) becomes a Lambda function named {@code <prefix>-<hash>}
 * ({@link FunctionNames}) in each region, updated only when the folder's revision changed.
 *
 * <p>Per folder and region: GetFunction; if the function exists, its Description is {@code
 * <path>@<revision>} for the folder's git tree id at HEAD and its settings are the folder's, it is
 * skipped with no further call. Otherwise the folder is bundled ({@link FunctionBundler}, once for
 * every region) and the function is created, or updated: UpdateFunctionCode only when the zip's
 * CodeSha256 differs, then UpdateFunctionConfiguration, each waiting until {@code LastUpdateStatus}
 * is no longer InProgress. Regions and functions run in parallel (at most {@code parallelism}
 * functions at once); a failure of one function in one region does not stop the others and is in
 * the result; a rerun finishes what is missing. Functions the sync created carry the tags {@value
 * #REPOSITORY_TAG} and {@value #PATH_TAG}: a function of this repository under the prefix whose
 * folder is no longer declared is reported as gone, and deleted only with {@code prune}.
 *
 * <p>Uncommitted changes in a folder make the sync refuse (before any AWS call) unless {@code
 * allowDirty}: then the working tree's files are deployed with revision {@code <tree id>-dirty}.
 * Thread-safe; nothing is written but a temporary folder, removed at the end.
 */
public final class SyncFunctions {
  /** Tag holding the repository's identity on every function the sync creates. */
  public static final String REPOSITORY_TAG = "accretion:repository";

  /** Tag holding the folder's path. */
  public static final String PATH_TAG = "accretion:path";

  private final Environment environment;

  public SyncFunctions(Environment environment) {
    this.environment = environment;
  }

  /**
   * What to sync.
   *
   * @param repository the repository's folder (or one inside it), relative to the working
   *     directory; null for the working directory
   * @param prefix the function name prefix; null for {@value FunctionNames#DEFAULT_PREFIX}
   * @param regions where; empty for the environment's region
   * @param plan only say what would be done
   * @param allowDirty deploy folders with uncommitted changes
   * @param prune delete functions of this repository whose folder is gone
   * @param parallelism how many functions are worked on at once (1 to 64)
   * @param cacheDir the build cache, or null for the default
   */
  public record Request(
      Path repository,
      String prefix,
      List<String> regions,
      boolean plan,
      boolean allowDirty,
      boolean prune,
      int parallelism,
      Path cacheDir,
      AwsAccess aws) {
    public Request {
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }

    /** Defaults: the working directory, default prefix, the environment's region, 8 at once. */
    public static Request of(Path repository, List<String> regions, AwsAccess aws) {
      return new Request(repository, null, regions, false, false, false, 8, null, aws);
    }
  }

  /** What happened (or, with plan, would happen) to one function in one region. */
  public enum Action {
    CREATE,
    UPDATE,
    SKIP,
    FAILED;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One function in one region.
   *
   * @param codeUploaded whether a zip was sent (false when Lambda had the same CodeSha256)
   * @param configurationUpdated whether UpdateFunctionConfiguration was called
   * @param codeSha256 the deployed zip's base64 SHA-256, or null when not bundled
   * @param error what failed, or null
   */
  public record FunctionResult(
      String path,
      String name,
      String region,
      String revision,
      Action action,
      boolean codeUploaded,
      boolean configurationUpdated,
      String codeSha256,
      String error) {}

  /** A function of this repository under the prefix whose folder is no longer declared. */
  public record GoneFunction(String name, String region, String path, boolean removed) {}

  /** The sync's outcome; {@link #failed()} when any function or region failed. */
  public record Result(
      boolean plan,
      String repository,
      String prefix,
      List<String> regions,
      List<FunctionResult> functions,
      List<GoneFunction> gone,
      List<String> failures) {
    public Result {
      regions = List.copyOf(regions);
      functions = List.copyOf(functions);
      gone = List.copyOf(gone);
      failures = List.copyOf(failures);
    }

    public boolean failed() {
      return !failures.isEmpty();
    }

    /** How many functions got each action. */
    public Map<String, Integer> counts() {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (Action a : Action.values()) {
        counts.put(a.word(), 0);
      }
      for (FunctionResult f : functions) {
        counts.merge(f.action().word(), 1, Integer::sum);
      }
      return counts;
    }

    /** The {@code functions sync --json} document. */
    public String toJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("plan", plan);
      root.put("repository", repository);
      root.put("prefix", prefix);
      root.put("regions", regions);
      root.put("counts", counts());
      List<Object> list = new ArrayList<>();
      for (FunctionResult f : functions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("name", f.name());
        m.put("region", f.region());
        m.put("revision", f.revision());
        m.put("action", f.action().word());
        m.put("codeUploaded", f.codeUploaded());
        m.put("configurationUpdated", f.configurationUpdated());
        m.put("codeSha256", f.codeSha256());
        m.put("error", f.error());
        list.add(m);
      }
      root.put("functions", list);
      List<Object> goneList = new ArrayList<>();
      for (GoneFunction g : gone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("region", g.region());
        m.put("path", g.path());
        m.put("removed", g.removed());
        goneList.add(m);
      }
      root.put("gone", goneList);
      root.put("failures", failures);
      return Json.write(root) + "\n";
    }
  }

  /** A folder ready to sync: its settings, name, revision and files. */
  private record Folder(
      FunctionConfig config,
      String name,
      String revision,
      List<GitRepository.SourceFile> files,
      Path directory) {}

  /**
   * @throws AccretionException before any AWS call: bad input for a missing or invalid project
   *     file, a folder that is not there, no repository identity; refused for uncommitted changes
   *     without {@code allowDirty}; usage for a bad prefix, region or parallelism. Failures of
   *     single functions are in the result instead.
   */
  public Result sync(Request request) throws AccretionException {
    if (request.parallelism() < 1 || request.parallelism() > 64) {
      throw Usage.error("--parallel must be 1 to 64, got " + request.parallelism());
    }
    for (String region : request.regions()) {
      try {
        PublishValidation.checkRegion(region);
      } catch (AccretionException e) {
        throw AccretionException.as(FailureKind.USAGE, e);
      }
    }
    Path start =
        request.repository() == null
            ? environment.workingDirectory()
            : environment.resolve(request.repository());
    try (GitRepository git = GitRepository.open(start)) {
      Path projectFile =
          request.aws().project() != null
              ? environment.resolve(request.aws().project())
              : git.root().resolve(ProjectFile.FILE_NAME);
      if (!Files.isRegularFile(projectFile)) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "no " + ProjectFile.FILE_NAME + " at the root of the repository " + git.root(),
            "declare the function folders there: [functions.\"<folder>\"] with runtime, handler"
                + " and role",
            null);
      }
      FunctionsFile file = FunctionsFile.read(projectFile);
      String identity = identity(file, git);
      String prefix =
          FunctionNames.checkPrefix(
              request.prefix() != null ? request.prefix() : FunctionNames.DEFAULT_PREFIX);
      List<Folder> folders = folders(file, git, identity, prefix, request.allowDirty());
      AwsSettings settings = request.aws().settings(environment);
      try (FunctionDeployer deployer = new FunctionDeployer(settings, null);
          LayerCatalog catalog = new LayerCatalog(settings, null)) {
        List<String> regions =
            request.regions().isEmpty() ? List.of(deployer.defaultRegion()) : request.regions();
        deployer.checkCredentials();
        Path work = Files.createTempDirectory("accretion-functions-");
        try {
          return run(request, identity, prefix, folders, regions, deployer, catalog, work);
        } finally {
          deleteRecursively(work);
        }
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.FAILED, "cannot create a temporary folder: " + e.getMessage(), e);
      }
    }
  }

  private static String identity(FunctionsFile file, GitRepository git) throws AccretionException {
    if (file.repositoryName() != null) {
      return file.repositoryName();
    }
    Optional<String> remote = git.remoteUrl();
    if (remote.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "the repository "
              + git.root()
              + " has no remote and "
              + file.path().getFileName()
              + " no [repository] name: function names need an identity that is the same in"
              + " every clone",
          "add a remote (git remote add origin <url>) or set [repository] name = \"<team>/<repo>\""
              + " in "
              + file.path().getFileName(),
          null);
    }
    return GitRepository.normalizeRemote(remote.get());
  }

  private List<Folder> folders(
      FunctionsFile file, GitRepository git, String identity, String prefix, boolean allowDirty)
      throws AccretionException {
    List<Folder> out = new ArrayList<>();
    List<String> dirty = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (FunctionConfig f : file.functions()) {
      Path directory = git.root().resolve(f.path());
      if (!Files.isDirectory(directory)) {
        problems.add(f.where() + ": no folder " + f.path() + " in " + git.root());
        continue;
      }
      Optional<String> tree = git.treeId(f.path());
      List<String> changes = git.uncommitted(f.path());
      if (tree.isEmpty() && changes.isEmpty()) {
        problems.add(f.where() + ": the folder " + f.path() + " holds no committed file");
        continue;
      }
      boolean isDirty = !changes.isEmpty() || tree.isEmpty();
      if (isDirty && !allowDirty) {
        dirty.add(
            f.path()
                + " ("
                + String.join(", ", changes.subList(0, Math.min(3, changes.size())))
                + (changes.size() > 3 ? ", ..." : "")
                + ")");
        continue;
      }
      String revision = isDirty ? tree.orElse("0".repeat(40)) + "-dirty" : tree.orElseThrow();
      String name = f.name() != null ? f.name() : FunctionNames.name(prefix, identity, f.path());
      String earlier = names.putIfAbsent(name, f.path());
      if (earlier != null) {
        problems.add(f.where() + ": function name " + name + " is also that of " + earlier);
      }
      List<GitRepository.SourceFile> files =
          isDirty ? git.filesInWorkingTree(f.path()) : git.filesAtHead(f.path());
      out.add(new Folder(f, name, revision, files, directory));
    }
    if (!problems.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          String.join("; ", problems),
          "fix the folders or their [functions] tables",
          null);
    }
    if (!dirty.isEmpty()) {
      throw new AccretionException(
          FailureKind.REFUSED,
          "uncommitted changes in "
              + String.join("; ", dirty)
              + ": a function's revision is its folder's commit",
          "commit (or stash) the changes, or pass --allow-dirty to deploy the working tree",
          null);
    }
    return out;
  }

  private Result run(
      Request request,
      String identity,
      String prefix,
      List<Folder> folders,
      List<String> regions,
      FunctionDeployer deployer,
      LayerCatalog catalog,
      Path work)
      throws AccretionException {
    FunctionBundler bundler = new FunctionBundler(environment, request.cacheDir());
    Map<String, Bundling> bundles = new ConcurrentHashMap<>();
    Map<String, String> layerArns = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(request.parallelism());
    try {
      // folder by folder, each in every region: the first tasks the pool takes cover every
      // region, so regions run side by side even when --parallel is below the folder count
      List<Future<FunctionResult>> futures = new ArrayList<>();
      for (Folder folder : folders) {
        for (String region : regions) {
          futures.add(
              pool.submit(
                  () ->
                      syncOne(
                          request,
                          identity,
                          folder,
                          region,
                          deployer,
                          catalog,
                          layerArns,
                          bundles.computeIfAbsent(
                              folder.config().path(),
                              p -> new Bundling(bundler, folder, work.resolve(folder.name()))))));
        }
      }
      List<FunctionResult> results = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (Future<FunctionResult> f : futures) {
        FunctionResult r = join(f);
        results.add(r);
        if (r.action() == Action.FAILED) {
          failures.add(r.path() + " (" + r.name() + ") in " + r.region() + ": " + r.error());
        }
      }
      List<GoneFunction> gone = new ArrayList<>();
      Set<String> managed = new LinkedHashSet<>();
      folders.forEach(f -> managed.add(f.name()));
      List<Future<List<GoneFunction>>> goneFutures = new ArrayList<>();
      for (String region : regions) {
        goneFutures.add(
            pool.submit(() -> gone(request, identity, prefix, managed, region, deployer)));
      }
      for (int i = 0; i < regions.size(); i++) {
        try {
          gone.addAll(goneFutures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          failures.add(
              "listing the functions under "
                  + prefix
                  + "- in "
                  + regions.get(i)
                  + ": "
                  + message(cause));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AccretionException(FailureKind.FAILED, "interrupted", e);
        }
      }
      results.sort(
          Comparator.comparing(FunctionResult::path).thenComparing(FunctionResult::region));
      gone.sort(Comparator.comparing(GoneFunction::region).thenComparing(GoneFunction::name));
      return new Result(request.plan(), identity, prefix, regions, results, gone, failures);
    } finally {
      pool.shutdownNow();
    }
  }

  private static FunctionResult join(Future<FunctionResult> f) throws AccretionException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("syncOne catches every failure", e.getCause());
    }
  }

  private static String message(Throwable t) {
    return t instanceof AccretionException a ? a.getMessage() : String.valueOf(t);
  }

  /** One folder's bundle, built at most once for every region. */
  private static final class Bundling {
    private final FunctionBundler bundler;
    private final Folder folder;
    private final Path dir;
    private FunctionBundler.Bundle bundle;
    private AccretionException failure;

    Bundling(FunctionBundler bundler, Folder folder, Path dir) {
      this.bundler = bundler;
      this.folder = folder;
      this.dir = dir;
    }

    synchronized FunctionBundler.Bundle get() throws AccretionException {
      if (bundle == null && failure == null) {
        try {
          Files.createDirectories(dir);
          bundle =
              bundler.bundle(
                  folder.config(), folder.name(), folder.directory(), folder.files(), dir);
        } catch (AccretionException e) {
          failure = e;
        } catch (IOException e) {
          failure = new AccretionException(FailureKind.FAILED, "cannot create " + dir, e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return bundle;
    }
  }

  private FunctionResult syncOne(
      Request request,
      String identity,
      Folder folder,
      String region,
      FunctionDeployer deployer,
      LayerCatalog catalog,
      Map<String, String> layerArns,
      Bundling bundling) {
    FunctionConfig c = folder.config();
    try {
      FunctionSpec spec =
          new FunctionSpec(
              folder.name(),
              FunctionNames.description(c.path(), folder.revision()),
              c.runtime(),
              c.handler(),
              c.role(),
              c.architecture(),
              c.memory(),
              c.timeout(),
              c.environment(),
              layers(c, region, catalog, layerArns));
      Optional<DeployedFunction> existing = deployer.get(region, folder.name());
      if (existing.isEmpty()) {
        if (request.plan()) {
          return result(folder, region, Action.CREATE, false, false, null, null);
        }
        FunctionBundler.Bundle bundle = bundling.get();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(REPOSITORY_TAG, cut(identity, 256));
        tags.put(PATH_TAG, cut(c.path(), 256));
        DeployedFunction created =
            deployer.create(region, spec, bundle.zip(), bundle.sha256Hex(), tags);
        return result(folder, region, Action.CREATE, true, false, created.codeSha256(), null);
      }
      DeployedFunction d = existing.get();
      boolean codeStale =
          !d.description().equals(spec.description())
              || !d.architecture().equals(spec.architecture());
      boolean configStale =
          !d.description().equals(spec.description()) || !d.configurationMatches(spec);
      if (!codeStale && !configStale) {
        return result(folder, region, Action.SKIP, false, false, d.codeSha256(), null);
      }
      if (request.plan()) {
        return result(folder, region, Action.UPDATE, false, false, null, null);
      }
      boolean uploaded = false;
      String sha = d.codeSha256();
      if (codeStale) {
        FunctionBundler.Bundle bundle = bundling.get();
        if (!bundle.codeSha256().equals(d.codeSha256())
            || !d.architecture().equals(spec.architecture())) {
          sha =
              deployer
                  .updateCode(
                      region, d.name(), spec.architecture(), bundle.zip(), bundle.sha256Hex())
                  .codeSha256();
          uploaded = true;
        }
      }
      deployer.updateConfiguration(region, spec);
      return result(folder, region, Action.UPDATE, uploaded, true, sha, null);
    } catch (AccretionException | RuntimeException e) {
      return result(folder, region, Action.FAILED, false, false, null, message(e));
    }
  }

  private static FunctionResult result(
      Folder folder,
      String region,
      Action action,
      boolean uploaded,
      boolean configured,
      String sha,
      String error) {
    return new FunctionResult(
        folder.config().path(),
        folder.name(),
        region,
        folder.revision(),
        action,
        uploaded,
        configured,
        sha,
        error);
  }

  /** The folder's layers as version ARNs in the region: managed names → their latest version. */
  private static List<String> layers(
      FunctionConfig c, String region, LayerCatalog catalog, Map<String, String> cache)
      throws AccretionException {
    List<String> out = new ArrayList<>();
    for (String layer : c.layers()) {
      if (layer.startsWith("arn:")) {
        out.add(layer);
        continue;
      }
      String key = region + "\n" + layer + "\n" + c.runtime() + "\n" + c.architecture();
      String arn = cache.get(key);
      if (arn == null) {
        try {
          arn = catalog.arn(LayerQuery.of(layer, c.runtime(), c.architecture()), region);
        } catch (AccretionException e) {
          throw new AccretionException(
              e.kind(), c.where() + ": layer " + layer + ": " + e.problem(), e.advice(), e);
        }
        cache.put(key, arn);
      }
      out.add(arn);
    }
    return out;
  }

  private List<GoneFunction> gone(
      Request request,
      String identity,
      String prefix,
      Set<String> managed,
      String region,
      FunctionDeployer deployer)
      throws AccretionException {
    List<GoneFunction> out = new ArrayList<>();
    for (DeployedFunction d : deployer.listByPrefix(region, prefix + "-")) {
      if (managed.contains(d.name())) {
        continue;
      }
      Map<String, String> tags = deployer.tags(region, d.arn());
      if (!cut(identity, 256).equals(tags.get(REPOSITORY_TAG))) {
        continue; // another repository's function, or not made by a sync
      }
      boolean remove = request.prune() && !request.plan();
      if (remove) {
        deployer.delete(region, d.name());
      }
      out.add(new GoneFunction(d.name(), region, tags.getOrDefault(PATH_TAG, ""), remove));
    }
    return out;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
