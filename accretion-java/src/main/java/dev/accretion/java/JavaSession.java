package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * One Java listing opened for a build. Thread-safe as {@link BuildSession} requires: {@link
 * #download} and {@link #open} may run concurrently.
 */
final class JavaSession implements BuildSession {

  private final Path listing;
  private final ListingFormat format;
  private final byte[] bytes;
  private final String defaultName;
  private final BuildContext context;
  private final MavenSettings settings;
  private final boolean offline;
  private final List<RemoteRepository> extraRepositories;
  private final String selectorText;
  private final CoordinateList coordinates;
  private final JavaLock lock;

  /** Layer file names per target and Package URL (clashes between groups get the group id). */
  private final Map<Target, Map<String, String>> fileNames = new ConcurrentHashMap<>();

  /** The artifact behind each source, to download it. */
  private final Map<PackageSource, JavaArtifact> bySource = new ConcurrentHashMap<>();

  private volatile MavenResolver resolver;
  private volatile Target anyTarget;

  private JavaSession(
      Path listing,
      ListingFormat format,
      byte[] bytes,
      String defaultName,
      BuildContext context,
      MavenSettings settings,
      boolean offline,
      List<RemoteRepository> extraRepositories,
      String selectorText,
      CoordinateList coordinates,
      JavaLock lock) {
    this.listing = listing;
    this.format = format;
    this.bytes = bytes;
    this.defaultName = defaultName;
    this.context = context;
    this.settings = settings;
    this.offline = offline;
    this.extraRepositories = extraRepositories;
    this.selectorText = selectorText;
    this.coordinates = coordinates;
    this.lock = lock;
  }

  static JavaSession open(BuildInput input, ListingFormat format) throws AccretionException {
    Path listing = input.listing();
    BuildContext context = input.context();
    byte[] bytes = read(listing, "listing");
    String name = layerName(folderName(listing));
    CoordinateList coordinates = null;
    JavaLock lock = null;
    StringBuilder selector = new StringBuilder();
    selector.append("java builder ").append(BuilderVersion.get()).append('\n');
    selector.append("format ").append(format.id()).append('\n');
    selector.append("listing ").append(digest(bytes)).append('\n');
    switch (format.id()) {
      case "pom" -> {
        PomHeader header = PomHeader.read(listing, bytes);
        if (header.artifactId() != null && !header.artifactId().contains("$")) {
          name = layerName(header.artifactId());
        }
        // local parents decide the result too
        Path pom = listing;
        PomHeader h = header;
        for (int depth = 0;
            depth < 16 && h.hasParent() && !h.parentRelativePath().isEmpty();
            depth++) {
          Path parent = pom.getParent().resolve(h.parentRelativePath()).normalize();
          if (Files.isDirectory(parent)) {
            parent = parent.resolve("pom.xml");
          }
          if (!Files.isRegularFile(parent)) {
            break;
          }
          byte[] pb = read(parent, "parent pom");
          selector.append("parent ").append(parent).append(' ').append(digest(pb)).append('\n');
          pom = parent;
          h = PomHeader.read(parent, pb);
        }
      }
      case "maven-coordinates" -> coordinates = CoordinateList.parse(listing, bytes);
      case "java-lock" -> lock = JavaLock.parse(listing, bytes);
      default -> throw new IllegalStateException(format.id());
    }
    var options = input.options();
    Path home = context.home();
    Path userSettings =
        options
            .string("settings")
            .map(s -> context.workingDirectory().resolve(s).toAbsolutePath().normalize())
            .orElse(home.resolve(".m2").resolve("settings.xml"));
    Path globalSettings =
        options
            .string("global-settings")
            .map(s -> context.workingDirectory().resolve(s).toAbsolutePath().normalize())
            .orElse(null);
    MavenSettings settings =
        MavenSettings.read(
            userSettings, options.has("settings"), globalSettings, home, context.env());
    boolean offline = options.flag("offline", false) || settings.offline();
    List<RemoteRepository> extra = new ArrayList<>();
    for (String r : options.list("repository")) {
      int sep = r.indexOf("::");
      if (sep <= 0 || sep + 2 >= r.length()) {
        throw new AccretionException(
            FailureKind.USAGE,
            "option repository is id::url, got '" + r + "'",
            "e.g. repository=internal::https://repo.example.com/maven2",
            null);
      }
      String url = r.substring(sep + 2);
      if (!url.contains("://")) {
        url =
            context.workingDirectory().resolve(url).toAbsolutePath().normalize().toUri().toString();
      }
      extra.add(
          new RemoteRepository.Builder(r.substring(0, sep), "default", url)
              .setSnapshotPolicy(
                  new org.eclipse.aether.repository.RepositoryPolicy(true, null, null))
              .build());
    }
    selector.append("settings\n").append(settings.selectorText());
    selector.append("offline ").append(offline).append('\n');
    selector.append("options\n").append(options.selectorText());
    return new JavaSession(
        listing,
        format,
        bytes,
        name,
        context,
        settings,
        offline,
        List.copyOf(extra),
        selector.toString(),
        coordinates,
        lock);
  }

  private static byte[] read(Path file, String what) throws AccretionException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND, "the " + what + " " + file + " does not exist", null, null);
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + file + ": " + e, e);
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String folderName(Path listing) {
    Path parent = listing.toAbsolutePath().getParent();
    return parent == null || parent.getFileName() == null
        ? "java-layer"
        : parent.getFileName().toString();
  }

  /** A valid layer name from any text: other characters become {@code -}. */
  static String layerName(String text) {
    String s = text.replaceAll("[^a-zA-Z0-9_-]", "-");
    if (s.isEmpty()) {
      s = "java-layer";
    }
    return s.length() > 140 ? s.substring(0, 140) : s;
  }

  @Override
  public String builderId() {
    return JavaBuilder.ID;
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
    return bytes.clone();
  }

  @Override
  public String defaultName() {
    return defaultName;
  }

  @Override
  public Optional<String> selectorText() {
    return Optional.of(selectorText);
  }

  @Override
  public List<String> notes() {
    return List.of();
  }

  private MavenResolver resolver() {
    MavenResolver r = resolver;
    if (r == null) {
      synchronized (this) {
        r = resolver;
        if (r == null) {
          r =
              new MavenResolver(
                  settings,
                  context.builderCache(JavaBuilder.ID).resolve("repository"),
                  offline,
                  extraRepositories,
                  context.env(),
                  context.home(),
                  context.listener());
          resolver = r;
        }
      }
    }
    return r;
  }

  @Override
  public Resolution resolve(Target target) throws AccretionException {
    checkRuntime(target);
    anyTarget = target;
    JavaResolutionState state;
    if (lock != null) {
      state = new JavaResolutionState(lock.artifacts(), lock.notes(), List.of(), 0);
    } else {
      state =
          resolver()
              .resolve(listing, format == JavaBuilder.POM ? listing : null, coordinates, target);
    }
    Map<String, String> names = fileNames(state.artifacts());
    Map<String, List<String>> requiredBy = new HashMap<>();
    for (JavaArtifact a : state.artifacts()) {
      for (String d : a.dependencies()) {
        requiredBy.computeIfAbsent(d, k -> new ArrayList<>()).add(a.coordinates().name());
      }
    }
    fileNames.put(target, names);
    List<ResolvedPackage> packages = new ArrayList<>();
    for (JavaArtifact a : state.artifacts()) {
      PackageSource source = source(a, lock != null);
      bySource.putIfAbsent(source, a);
      MavenCoordinates c = a.coordinates();
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("groupId", c.groupId());
      facts.put("artifactId", c.artifactId());
      if (!c.classifier().isEmpty()) {
        facts.put("classifier", c.classifier());
      }
      if (!c.extension().equals("jar")) {
        facts.put("extension", c.extension());
      }
      if (!c.baseVersion().equals(c.version())) {
        facts.put("baseVersion", c.baseVersion());
      }
      facts.put("scope", a.scope());
      facts.put("repository", a.repositoryId());
      List<String> by = new ArrayList<>(requiredBy.getOrDefault(c.name(), List.of()));
      by.sort(null);
      if (a.direct()) {
        by.add(0, "listing");
      }
      packages.add(
          new ResolvedPackage(
              "maven", c.name(), c.version(), c.purl(), source, a.dependencies(), facts, by));
    }
    packages.sort(Comparator.comparing(ResolvedPackage::name).thenComparing(ResolvedPackage::purl));
    return new Resolution(target, packages, state.warnings(), state.notes(), state);
  }

  private void checkRuntime(Target target) throws AccretionException {
    if (target.runtime().language() != dev.accretion.core.runtime.Language.JAVA) {
      throw new AccretionException(
          FailureKind.USAGE,
          "the java builder builds for Java runtimes, not "
              + target.runtime().id()
              + " ("
              + listing.getFileName()
              + " is a Java listing)",
          "give a Java runtime: java11, java17, java21 or java25",
          null);
    }
  }

  private static PackageSource source(JavaArtifact a, boolean fromLock) {
    return new PackageSource(
        URI.create(a.url()),
        a.coordinates().repositoryFileName(),
        List.of(Digest.sha256(a.sha256())),
        a.size() >= 0 ? OptionalLong.of(a.size()) : OptionalLong.empty(),
        fromLock
            ? "the lock"
            : "the repository "
                + a.repositoryId()
                + " ("
                + a.repositoryUrl()
                + "), verified by its"
                + " checksum files,");
  }

  /**
   * Layer file names: {@code artifactId-version[-classifier].ext}; when two artifacts of different
   * groups would get one name, each of them gets {@code groupId.} in front (as {@code mvn
   * dependency:copy-dependencies -Dmdep.prependGroupId} names them), whatever the order.
   */
  static Map<String, String> fileNames(List<JavaArtifact> artifacts) {
    Map<String, Integer> counts = new HashMap<>();
    for (JavaArtifact a : artifacts) {
      counts.merge(a.coordinates().fileName(), 1, Integer::sum);
    }
    Map<String, String> names = new HashMap<>();
    for (JavaArtifact a : artifacts) {
      MavenCoordinates c = a.coordinates();
      String plain = c.fileName();
      names.put(c.purl(), counts.get(plain) > 1 ? c.groupId() + "." + plain : plain);
    }
    return names;
  }

  @Override
  public void download(PackageSource source, OutputStream out, LongConsumer progress)
      throws AccretionException {
    JavaArtifact a = bySource.get(source);
    if (a == null) {
      throw new AccretionException(
          FailureKind.FAILED, "no Java artifact is known for " + source.url(), null, null);
    }
    Path file = a.localFile();
    if (file == null && lock != null) {
      file = lockedFiles().get(a.coordinates());
    }
    if (file == null || !Files.isRegularFile(file)) {
      Target t = anyTarget;
      file = resolver().fetch(a, t);
    }
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        total += n;
        progress.accept(total);
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot copy " + file + " for " + a.coordinates() + ": " + e, e);
    }
  }

  private Map<MavenCoordinates, Path> lockedFiles;

  /** A lock's files, fetched together on the first download (in parallel, not one by one). */
  private synchronized Map<MavenCoordinates, Path> lockedFiles() throws AccretionException {
    if (lockedFiles == null) {
      lockedFiles = resolver().fetchAll(lock.artifacts(), anyTarget);
    }
    return lockedFiles;
  }

  @Override
  public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits)
      throws AccretionException {
    JavaArtifact a = bySource.get(pkg.source());
    String license = a == null ? null : a.license();
    String label = pkg.source().filename() + " (" + pkg.label() + ")";
    JarInspector.JarFacts facts = null;
    if (pkg.source().filename().endsWith(".jar")) {
      facts = JarInspector.inspect(blob, label);
    }
    return new JavaOpenedJar(pkg, blob, facts, license);
  }

  @Override
  public InstalledPackage install(OpenedPackage opened, Target target, Placement placement)
      throws AccretionException {
    JavaOpenedJar jar = (JavaOpenedJar) opened;
    ResolvedPackage pkg = jar.pkg();
    int java = javaVersion(target);
    JarInspector.JarFacts facts = jar.jarFacts();
    String fileName =
        Optional.ofNullable(fileNames.get(target))
            .map(m -> m.get(pkg.purl()))
            .orElse(pkg.source().filename());
    if (facts != null) {
      if (facts.baseMajor() > 44 + java) {
        throw tooNew(fileName, pkg, target, facts.baseMajor(), facts.baseExample());
      }
      for (var e : facts.releaseMajors().entrySet()) {
        if (e.getKey() <= java && e.getValue() > 44 + java) {
          throw tooNew(
              fileName, pkg, target, e.getValue(), "META-INF/versions/" + e.getKey() + "/…");
        }
      }
    }
    String folder = placement == Placement.LAYER ? target.runtime().layerPaths().get(0) : "lib";
    String sha256 =
        pkg.source().sha256().map(Digest::hex).orElseThrow(() -> new IllegalStateException());
    long size;
    try {
      size = Files.size(jar.blob());
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + jar.blob(), e);
    }
    LayerFile file =
        new LayerFile(
            folder + "/" + fileName,
            false,
            sha256,
            size,
            new LayerFile.WholeFile(jar.blob()),
            null);
    return new InstalledPackage(opened, List.of(file), List.of(), List.of());
  }

  static int javaVersion(Target target) {
    String v = target.runtime().languageVersion();
    if (v.startsWith("1.")) {
      v = v.substring(2);
    }
    int dot = v.indexOf('.');
    return Integer.parseInt(dot > 0 ? v.substring(0, dot) : v);
  }

  private static AccretionException tooNew(
      String fileName, ResolvedPackage pkg, Target target, int major, String example) {
    int needs = major - 44;
    return new AccretionException(
        FailureKind.REFUSED,
        fileName
            + " ("
            + pkg.name()
            + " "
            + pkg.version()
            + ") has classes for Java "
            + needs
            + " (class file version "
            + major
            + (example == null ? "" : ", e.g. " + example)
            + "); "
            + target.runtime().id()
            + " runs Java "
            + javaVersion(target),
        "use a version of "
            + pkg.name()
            + " built for Java "
            + javaVersion(target)
            + " or older, or the runtime java"
            + needs
            + " or newer",
        null);
  }

  @Override
  public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts)
      throws AccretionException {
    JavaResolutionState state = (JavaResolutionState) resolution.state();
    Target t = resolution.target();
    JavaLock out =
        new JavaLock(
            lock != null && !lock.listing().isEmpty()
                ? lock.listing()
                : listing.getFileName().toString(),
            t.runtime().id(),
            t.architecture().lambdaName(),
            state.artifacts().stream().map(a -> withoutFile(a)).toList(),
            state.notes());
    String file =
        (layerName == null ? "" : layerName + "-")
            + t.runtime().id().replace(".", "")
            + "-"
            + t.architecture().lambdaName()
            + ".java-lock.json";
    return Optional.of(new LockFile(file, JavaBuilder.LOCK.id(), out.toBytes()));
  }

  private static JavaArtifact withoutFile(JavaArtifact a) {
    return new JavaArtifact(
        a.coordinates(),
        a.scope(),
        a.repositoryId(),
        a.repositoryUrl(),
        a.sha256(),
        a.size(),
        a.license(),
        a.dependencies(),
        null,
        a.direct());
  }

  @Override
  public void close() {
    MavenResolver r = resolver;
    if (r != null) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // closing never fails a build
      }
    }
  }
}
