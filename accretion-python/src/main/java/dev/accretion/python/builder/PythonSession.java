package dev.accretion.python.builder;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.BuilderOptions;
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
import dev.accretion.python.PackageName;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.IndexListener;
import dev.accretion.python.install.InspectedWheel;
import dev.accretion.python.install.InvalidWheelException;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.install.WheelInspector;
import dev.accretion.python.install.WheelInstaller;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.lock.PylockWriter;
import dev.accretion.python.resolve.IndexStrategy;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.WheelFilename;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * One Python listing opened for a build: the {@link Locker} (listing, pip configuration, index
 * client), the layout options, and what the build learned so far (the index files behind each
 * source, the wheels opened for their declared sizes). Wraps the resolver, {@link WheelInspector}
 * and {@link WheelInstaller}; everything language-neutral is the pipeline's.
 *
 * <p>Thread-safe where the pipeline calls it concurrently ({@link #download}, {@link
 * #declaredSize}, {@link #open}); resolution and installation run one at a time.
 */
final class PythonSession implements BuildSession {
  /** The options the Python builder takes; see {@link PythonBuilder}. */
  static final Set<String> KEYS =
      Set.of(
          "index-url",
          "extra-index-url",
          "find-links",
          "no-index",
          "cert",
          "index-strategy",
          "pre",
          "extra",
          "group",
          "layout",
          "scripts",
          "slim",
          "slim-pattern",
          "allow-bad-record");

  /** Packages every Lambda Python runtime ships (the AWS SDK for Python and what it needs). */
  static final Set<String> RUNTIME_PROVIDED =
      Set.of("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3");

  private final BuildInput input;
  private final Locker locker;
  private final Layout layout;
  private final boolean scripts;
  private final Slimming slimming;
  private final boolean allowBadRecord;
  private final WheelInstaller.Options installOptions;
  private final Set<String> pythonVersions = ConcurrentHashMap.newKeySet();
  private final Map<String, IndexFile> files = new ConcurrentHashMap<>();
  private final Map<Path, ZipArchive> preOpened = new ConcurrentHashMap<>();
  private final Map<InstalledPackage, long[]> slimmed =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private PythonSession(
      BuildInput input,
      Locker locker,
      Layout layout,
      boolean scripts,
      Slimming slimming,
      boolean allowBadRecord) {
    this.input = input;
    this.locker = locker;
    this.layout = layout;
    this.scripts = scripts;
    this.slimming = slimming;
    this.allowBadRecord = allowBadRecord;
    this.installOptions = new WheelInstaller.Options(layout, scripts, slimming.matcher());
  }

  static PythonSession open(BuildInput input) throws AccretionException {
    BuilderOptions options = input.options();
    options.checkKeys(PythonBuilder.ID, KEYS);
    Layout layout;
    Slimming slimming;
    IndexStrategy strategy;
    dev.accretion.python.listing.ListingFormat format = null;
    try {
      layout = Layout.parse(options.string("layout").orElse("python"));
      slimming = new Slimming(options.flag("slim", false), options.list("slim-pattern"));
      strategy = IndexStrategy.parse(options.string("index-strategy").orElse("first-index"));
      if (input.format() != null) {
        format = dev.accretion.python.listing.ListingFormat.parse(input.format());
      }
    } catch (IllegalArgumentException | ListingException e) {
      throw new AccretionException(FailureKind.USAGE, e.getMessage(), e);
    }
    BuildListener listener = input.context().listener();
    IndexListener indexListener =
        new IndexListener() {
          @Override
          public void warning(String message) {
            listener.onEvent(new BuildEvent.Warning(message));
          }

          @Override
          public void progress(long done, long requested) {
            listener.onEvent(new BuildEvent.Step("index pages", done, requested));
          }
        };
    Locker.Options lockerOptions =
        new Locker.Options(
            format,
            new LinkedHashSet<>(options.list("extra")),
            new LinkedHashSet<>(options.list("group")),
            new Locker.IndexOverrides(
                options.string("index-url").orElse(null),
                options.list("extra-index-url"),
                options.list("find-links"),
                options.flag("no-index", false),
                options.string("cert").orElse(null)),
            strategy,
            options.flag("pre", false),
            input.context().cacheRoot().resolve("http"),
            input.context().env(),
            input.context().home(),
            input.context().workingDirectory(),
            indexListener);
    Locker locker = Locker.open(input.listing(), lockerOptions);
    return new PythonSession(
        input,
        locker,
        layout,
        options.flag("scripts", true),
        slimming,
        options.flag("allow-bad-record", false));
  }

  @Override
  public String builderId() {
    return PythonBuilder.ID;
  }

  @Override
  public Path listing() {
    return locker.listing();
  }

  @Override
  public ListingFormat format() {
    return PythonBuilder.format(locker.format());
  }

  @Override
  public byte[] listingBytes() {
    return locker.listingBytes();
  }

  @Override
  public String defaultName() {
    return PythonNames.defaultName(locker.listing(), locker.format());
  }

  @Override
  public Optional<String> selectorText() {
    return Optional.of(PythonSelector.text(locker, input));
  }

  @Override
  public List<String> notes() {
    return locker.notes();
  }

  @Override
  public Optional<String> emptyReason() {
    switch (locker.format()) {
      case REQUIREMENTS -> {
        if (locker.requirements().isEmpty()) {
          return Optional.of(
              "it names no requirement (only comments, blank lines, options or constraints)");
        }
      }
      case PYPROJECT -> {
        if (locker.requirements().isEmpty()) {
          return Optional.of(
              PythonNames.dynamicDependencies(locker.listing())
                  ? "its [project] dependencies are dynamic (computed by its build backend, which"
                      + " Accretion never runs): list them in [project].dependencies, or build"
                      + " from a lock or requirements file"
                  : "its [project] lists no dependencies (and no chosen extra or group adds any)");
        }
      }
      default -> {
        if (locker.lock() != null && locker.lock().packages().isEmpty()) {
          return Optional.of("the lock holds no packages");
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String normalizeName(String name) {
    return PackageName.normalize(name);
  }

  @Override
  public String excludedWhy(ResolvedPackage pkg) {
    return RUNTIME_PROVIDED.contains(pkg.name())
        ? "the Lambda Python runtime provides its own "
            + pkg.name()
            + ", which code in this layer then uses (whatever version the runtime ships)"
        : "nothing in the Lambda runtime provides it: imports of it fail unless the function or"
            + " another layer ships it";
  }

  @Override
  public List<String> sizeAdvice(List<ResolvedPackage> resolved) {
    List<String> present = new ArrayList<>();
    for (ResolvedPackage p : resolved) {
      String n = p.name();
      if ((n.equals("boto3") || n.equals("botocore")) && !present.contains(n)) {
        present.add(n);
      }
    }
    Collections.sort(present);
    List<String> ways = new ArrayList<>();
    if (!present.isEmpty()) {
      StringBuilder b =
          new StringBuilder("leave out what the Lambda Python runtime already provides (");
      for (String p : present) {
        b.append("--exclude ").append(p).append(' ');
      }
      b.setLength(b.length() - 1);
      b.append("; the runtime's own version is then used, whatever it is)");
      ways.add(b.toString());
    } else {
      ways.add(
          "leave out packages the function does not need (--exclude NAME; an excluded package"
              + " the runtime provides, such as boto3, is then used in the runtime's version)");
    }
    ways.add(
        "--slim drops __pycache__ and *.pyc, and --slim-pattern GLOB drops more (for example"
            + " --slim-pattern '*/tests'; .dist-info is always kept)");
    return ways;
  }

  @Override
  public Map<String, Object> manifestFacts() {
    return Map.of("layout", layout.cliName());
  }

  // --- resolving ------------------------------------------------------------------------------

  @Override
  public Resolution resolve(Target target) throws AccretionException {
    PythonTarget python = PythonTarget.of(target);
    pythonVersions.add(python.pythonVersion());
    dev.accretion.python.resolve.Resolution resolution = locker.resolve(python);
    List<ResolvedPackage> packages = new ArrayList<>();
    for (dev.accretion.python.resolve.ResolvedPackage p : resolution.packages()) {
      IndexFile file = p.distribution().file();
      files.putIfAbsent(file.url().toString(), file);
      packages.add(
          new ResolvedPackage(
              "pypi",
              p.name().normalized(),
              p.version().toString(),
              purl(p.name().normalized(), p.version().toString()),
              source(file),
              p.dependencies(),
              Map.of(),
              p.requiredBy()));
    }
    return new Resolution(
        target,
        packages,
        resolution.warnings(),
        List.of(),
        resolution,
        Map.of("rounds", resolution.rounds(), "backtracks", resolution.backtracks()));
  }

  /** The pipeline's view of an index file: its URL, name, promised digests and origin. */
  PackageSource source(IndexFile file) {
    List<Digest> digests = new ArrayList<>();
    for (Map.Entry<String, String> h : file.hashes().entrySet()) {
      if (Set.of("sha256", "sha384", "sha512", "sha1").contains(h.getKey())) {
        try {
          digests.add(new Digest(h.getKey(), h.getValue()));
        } catch (IllegalArgumentException e) {
          // a malformed digest promises nothing checkable; the sha256 (if any) still holds
        }
      }
    }
    return new PackageSource(
        file.url(),
        file.filename(),
        digests,
        file.size(),
        locker.format().isLock() ? "the lock" : "the index " + file.index());
  }

  /** {@code pkg:pypi/<name>@<version>}, percent-encoding what the purl spec requires. */
  static String purl(String name, String version) {
    return "pkg:pypi/" + encode(name) + "@" + encode(version);
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  // --- fetching and opening -------------------------------------------------------------------

  @Override
  public void download(PackageSource source, OutputStream out, LongConsumer progress)
      throws AccretionException {
    locker.client().download(indexFile(source), out, progress);
  }

  private IndexFile indexFile(PackageSource source) {
    IndexFile file = files.get(source.url().toString());
    if (file == null) {
      throw new IllegalArgumentException("not a source of this session: " + source.url());
    }
    return file;
  }

  @Override
  public OptionalLong declaredSize(
      ResolvedPackage pkg, Path blob, ZipLimits limits, Target target, Placement placement)
      throws AccretionException {
    ZipArchive archive = preOpen(pkg, blob, limits);
    long bytes = 0;
    for (ZipEntryInfo e : archive.entries()) {
      if (e.isDirectory() || WheelInstaller.inPycache(e.path()) || !declaredInstalled(e.path())) {
        continue;
      }
      long sum = bytes + e.uncompressedSize();
      bytes = sum < 0 ? Long.MAX_VALUE : sum;
    }
    return OptionalLong.of(bytes);
  }

  /** The wheel's archive, opened once for its declared sizes and kept for {@link #open}. */
  private ZipArchive preOpen(ResolvedPackage pkg, Path blob, ZipLimits limits)
      throws AccretionException {
    ZipArchive archive = preOpened.get(blob);
    if (archive != null) {
      return archive;
    }
    synchronized (preOpened) {
      archive = preOpened.get(blob);
      if (archive == null) {
        try {
          archive = ZipArchive.open(blob, limits);
        } catch (ArchiveException e) {
          throw wrap(pkg.source().filename(), e);
        }
        preOpened.put(blob, archive);
      }
      return archive;
    }
  }

  private static InvalidWheelException wrap(String filename, ArchiveException e) {
    String problem = e.problem();
    String message = e.getMessage();
    int at = message.indexOf(problem);
    String advice =
        at >= 0 && message.length() > at + problem.length() + 2
            ? message.substring(at + problem.length() + 2)
            : "";
    return new InvalidWheelException(filename, e.entry(), problem, advice, e);
  }

  /** Whether a wheel entry would be installed, as far as its path tells. */
  private boolean declaredInstalled(String path) {
    String first = firstSegment(path);
    Slimming.Matcher slim = installOptions.slim();
    if (first.endsWith(".data") && !first.endsWith(".dist-info")) {
      String rest = path.length() > first.length() ? path.substring(first.length() + 1) : "";
      String scheme = firstSegment(rest);
      if (scheme.equals("headers") || scheme.equals("data")) {
        return false;
      }
      if (scheme.equals("scripts")) {
        return scripts;
      }
      String inner = rest.length() > scheme.length() ? rest.substring(scheme.length() + 1) : "";
      return !slim.drops(inner);
    }
    return !slim.drops(path);
  }

  private static String firstSegment(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  @Override
  public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits)
      throws AccretionException {
    String filename = pkg.source().filename();
    WheelFilename wheel;
    try {
      wheel = WheelFilename.parse(filename);
    } catch (dev.accretion.python.ParseException e) {
      throw new InvalidWheelException(
          filename, null, "is not a valid wheel file name: " + e.getMessage(), "");
    }
    ZipArchive archive = preOpened.remove(blob);
    InspectedWheel inspected;
    if (archive == null) {
      inspected = WheelInspector.inspect(blob, wheel, limits, allowBadRecord);
    } else {
      try {
        inspected = WheelInspector.inspect(archive, wheel, allowBadRecord);
      } catch (InvalidWheelException | RuntimeException e) {
        archive.close();
        throw e;
      }
    }
    return new PythonPackage(pkg, inspected);
  }

  // --- installing -----------------------------------------------------------------------------

  @Override
  public InstalledPackage install(OpenedPackage pkg, Target target, Placement placement)
      throws AccretionException {
    PythonPackage wheel = (PythonPackage) pkg;
    boolean function = placement == Placement.FUNCTION;
    // a layer for several Python versions gets scripts that run on each (the pipeline resolves
    // every target before it installs anything)
    WheelInstaller.Options options =
        new WheelInstaller.Options(
            function ? Layout.PYTHON : installOptions.layout(),
            installOptions.scripts(),
            installOptions.slim(),
            pythonVersions.size() > 1);
    dev.accretion.python.install.InstalledPackage installed =
        WheelInstaller.install(wheel.wheel(), PythonTarget.of(target), options);
    List<LayerFile> files = installed.files();
    if (function) {
      // A function package is extracted to /var/task, the first entry of sys.path: packages sit
      // at the zip root beside the handler (the "python/" layout minus its folder). Scripts keep
      // bin/.
      files = new ArrayList<>(files.size());
      for (LayerFile f : installed.files()) {
        String path = f.path().startsWith("python/") ? f.path().substring(7) : f.path();
        files.add(new LayerFile(path, f.executable(), f.sha256(), f.size(), f.content(), f.elf()));
      }
    }
    InstalledPackage out = new InstalledPackage(pkg, files, installed.notes(), List.of());
    if (installed.slimmedFiles() > 0) {
      slimmed.put(out, new long[] {installed.slimmedFiles(), installed.slimmedBytes()});
    }
    return out;
  }

  @Override
  public List<String> targetNotes(
      Target target, Placement placement, List<InstalledPackage> installed) {
    long files = 0;
    long bytes = 0;
    for (InstalledPackage p : installed) {
      long[] s = slimmed.get(p);
      if (s != null) {
        files += s[0];
        bytes += s[1];
      }
    }
    if (files == 0) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    if (slimming.slim()) {
      parts.add("--slim: __pycache__, *.pyc, *.pyo");
    }
    for (String p : slimming.patterns()) {
      parts.add("--slim-pattern " + p);
    }
    return List.of(
        "slimmed: left out "
            + files
            + " file(s), "
            + bytes
            + " bytes ("
            + String.join(", ", parts)
            + ")");
  }

  // --- locks ----------------------------------------------------------------------------------

  @Override
  public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts)
      throws AccretionException {
    dev.accretion.python.resolve.Resolution state =
        (dev.accretion.python.resolve.Resolution) resolution.state();
    String text =
        PylockWriter.write(
            state,
            new PylockWriter.FileFacts() {
              @Override
              public String sha256(IndexFile file) throws AccretionException {
                return facts.sha256(source(file));
              }

              @Override
              public long size(IndexFile file) throws AccretionException {
                return facts.size(source(file));
              }
            });
    Target target = resolution.target();
    String perTarget =
        target.runtime().id().replace(".", "") + "-" + target.architecture().lambdaName();
    // PEP 751: pylock.<name>.toml, where the name has no dots
    String fileName =
        layerName == null
            ? "pylock." + perTarget + ".toml"
            : "pylock." + layerName + "-" + perTarget + ".toml";
    return Optional.of(new LockFile(fileName, "pylock", text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    for (ZipArchive a : preOpened.values()) {
      try {
        a.close();
      } catch (RuntimeException e) {
        // read-only
      }
    }
    preOpened.clear();
    locker.close();
  }
}
