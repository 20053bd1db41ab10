package dev.accretion.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfInspector;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildSession;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * One command build: runs the command once per target (in {@link #resolve}) and hands its output to
 * the pipeline as {@link #extraFiles}. Thread-safe.
 */
final class CommandSession implements BuildSession {

  /** The packages file a command may write, read and removed before the layer is assembled. */
  static final String PACKAGES_FILE = ".accretion-packages.json";

  /** Lines of output kept for the failure message. */
  static final int TAIL_LINES = 40;

  /** 1980-01-01T00:00:00Z, the zip's own epoch: what the pipeline writes as every file's time. */
  static final String SOURCE_DATE_EPOCH = "315532800";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path source;
  private final List<String> command;
  private final Duration timeout;
  private final List<String> passEnv;
  private final BuildContext context;
  private final Map<Target, List<LayerFile>> files = new ConcurrentHashMap<>();
  private final List<Path> runs = new ArrayList<>();

  CommandSession(
      Path source,
      List<String> command,
      Duration timeout,
      List<String> passEnv,
      BuildContext context) {
    this.source = source;
    this.command = List.copyOf(command);
    this.timeout = timeout;
    this.passEnv = List.copyOf(passEnv);
    this.context = context;
  }

  @Override
  public String builderId() {
    return CommandBuilder.ID;
  }

  @Override
  public Path listing() {
    return source;
  }

  @Override
  public ListingFormat format() {
    return CommandBuilder.SOURCE;
  }

  @Override
  public byte[] listingBytes() {
    return ("command: " + String.join(" ", command) + "\nsource: " + source + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String defaultName() {
    String name = source.getFileName() == null ? "layer" : source.getFileName().toString();
    name = name.replaceAll("[^a-zA-Z0-9_-]", "-");
    return name.isEmpty() ? "layer" : name.length() > 140 ? name.substring(0, 140) : name;
  }

  /** Empty: what a command produces cannot be known from its inputs. */
  @Override
  public Optional<String> selectorText() {
    return Optional.empty();
  }

  @Override
  public List<String> notes() {
    return List.of();
  }

  @Override
  public Resolution resolve(Target target) throws AccretionException {
    Path run;
    try {
      Path root = Files.createDirectories(context.builderCache(CommandBuilder.ID));
      run = Files.createTempDirectory(root, "run-");
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot create a work folder for the command: " + e, e);
    }
    synchronized (runs) {
      runs.add(run);
    }
    Path work = run.resolve("src");
    Path artifacts = run.resolve("artifacts");
    Path home = run.resolve("home");
    Path tmp = run.resolve("tmp");
    try {
      copyTree(source, work);
      Files.createDirectories(artifacts);
      Files.createDirectories(home);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot copy the source folder " + source + ": " + e, e);
    }
    runCommand(target, work, artifacts, home, tmp);
    List<ResolvedPackage> packages = readPackages(artifacts);
    files.put(target, collect(artifacts));
    return new Resolution(target, packages, List.of(), List.of(), null);
  }

  private Map<String, String> environment(Target target, Path artifacts, Path home, Path tmp) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", context.env().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    for (String name : passEnv) {
      String value = context.env().get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("TZ", "UTC");
    env.put("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH);
    env.put("ARTIFACTS_DIR", artifacts.toString());
    env.put("ACCRETION_RUNTIME", target.runtime().id());
    env.put("ACCRETION_ARCH", target.architecture().lambdaName());
    env.put("ACCRETION_LANGUAGE", target.runtime().language().id());
    env.put("ACCRETION_LAYER_PATH", target.runtime().layerPaths().get(0));
    return env;
  }

  private void runCommand(Target target, Path work, Path artifacts, Path home, Path tmp)
      throws AccretionException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    pb.environment().clear();
    pb.environment().putAll(environment(target, artifacts, home, tmp));
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    String shown = String.join(" ", command);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "the command `" + shown + "` could not be started: " + e.getMessage(),
          "check that " + command.get(0) + " exists and is executable (it is found on PATH)",
          null);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .name("accretion-command-output")
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      context.listener().onEvent(new BuildEvent.Output(line));
                      synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                          tail.removeFirst();
                        }
                      }
                    }
                  } catch (IOException e) {
                    // the process ended or was killed; what was read is kept
                  }
                });
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "the command was interrupted", e);
    }
    if (!finished) {
      kill(process);
    }
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String lastLines;
    synchronized (tail) {
      lastLines = String.join("\n", tail);
    }
    String on = " (for " + target + ")";
    if (!finished) {
      throw new AccretionException(
          FailureKind.FAILED,
          "the command `"
              + shown
              + "` ran longer than "
              + timeout.toSeconds()
              + " s and was stopped"
              + on,
          "raise the timeout option or make the command faster; its last output:\n" + lastLines,
          null);
    }
    if (process.exitValue() != 0) {
      throw new AccretionException(
          FailureKind.FAILED,
          "the command `" + shown + "` failed with exit code " + process.exitValue() + on,
          "its last output:\n" + lastLines,
          null);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads, validates and removes {@code ARTIFACTS_DIR/.accretion-packages.json}. */
  private List<ResolvedPackage> readPackages(Path artifacts) throws AccretionException {
    Path file = artifacts.resolve(PACKAGES_FILE);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    String where = "ARTIFACTS_DIR/" + PACKAGES_FILE;
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw bad(where, "is not a regular file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
      Files.delete(file);
    } catch (IOException e) {
      throw bad(where, "is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !root.path("packages").isArray()) {
      throw bad(where, "must be an object with a \"packages\" list");
    }
    Iterator<String> keys = root.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (!k.equals("packages")) {
        throw bad(where, "has an unknown key \"" + k + "\" (it takes \"packages\")");
      }
    }
    List<ResolvedPackage> out = new ArrayList<>();
    Set<String> known = Set.of("name", "version", "ecosystem", "purl");
    int i = 0;
    for (JsonNode p : root.get("packages")) {
      String at = where + " packages[" + i++ + "]";
      if (!p.isObject()) {
        throw bad(at, "is not an object");
      }
      Iterator<String> pk = p.fieldNames();
      while (pk.hasNext()) {
        String k = pk.next();
        if (!known.contains(k)) {
          throw bad(
              at, "has an unknown key \"" + k + "\" (it takes name, version, ecosystem, purl)");
        }
      }
      String name = text(p, "name", at, true);
      String version = text(p, "version", at, true);
      String ecosystem = Optional.ofNullable(text(p, "ecosystem", at, false)).orElse("generic");
      if (!ecosystem.matches("[a-z][a-z0-9.+-]*")) {
        throw bad(at, "ecosystem must be a Package URL type such as generic, pypi, npm, maven");
      }
      String purl = text(p, "purl", at, false);
      if (purl == null) {
        purl =
            "pkg:"
                + ecosystem
                + "/"
                + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + "@"
                + java.net.URLEncoder.encode(version, StandardCharsets.UTF_8).replace("+", "%20");
      } else if (!purl.startsWith("pkg:")) {
        throw bad(at, "purl must be a Package URL (pkg:type/name@version)");
      }
      out.add(new ResolvedPackage(ecosystem, name, version, purl, null, List.of(), Map.of()));
    }
    out.sort(Comparator.comparing(ResolvedPackage::name).thenComparing(ResolvedPackage::version));
    return out;
  }

  private static String text(JsonNode p, String key, String at, boolean required)
      throws AccretionException {
    JsonNode v = p.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw bad(at, "has no \"" + key + "\"");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw bad(at, "\"" + key + "\" must be a non-empty string");
    }
    return v.asText();
  }

  private static AccretionException bad(String where, String what) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        where + " " + what,
        "write {\"packages\": [{\"name\": \"...\", \"version\": \"...\"}]} (optional: ecosystem,"
            + " purl), or no file",
        null);
  }

  /** The regular files under {@code artifacts}, as layer files; symbolic links are refused. */
  private List<LayerFile> collect(Path artifacts) throws AccretionException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(artifacts)) {
      for (Path p : walk.toList()) {
        if (p.equals(artifacts)) {
          continue;
        }
        String rel = artifacts.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          throw new AccretionException(
              FailureKind.REFUSED,
              "the command left a symbolic link in ARTIFACTS_DIR: "
                  + rel
                  + " -> "
                  + Files.readSymbolicLink(p),
              "copy the file itself into ARTIFACTS_DIR; links could point outside it",
              null);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new AccretionException(
              FailureKind.REFUSED,
              "the command left a special file in ARTIFACTS_DIR: " + rel,
              "only regular files go into a layer",
              null);
        }
        found.add(p);
      }
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read ARTIFACTS_DIR: " + e, e);
    }
    List<LayerFile> out = new ArrayList<>();
    for (Path p : found) {
      String rel = artifacts.relativize(p).toString().replace('\\', '/');
      try {
        byte[] bytes = Files.readAllBytes(p);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        ElfInfo elf = null;
        try {
          elf = ElfInspector.inspect(bytes, rel).orElse(null);
        } catch (ElfException e) {
          throw new AccretionException(
              FailureKind.REFUSED, "ARTIFACTS_DIR/" + rel + ": " + e.getMessage(), null, null);
        }
        out.add(
            new LayerFile(
                rel, executable(p), sha, bytes.length, new LayerFile.Compressed(bytes), elf));
      } catch (IOException e) {
        throw new AccretionException(FailureKind.FAILED, "cannot read " + p + ": " + e, e);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    out.sort(Comparator.comparing(LayerFile::path));
    return out;
  }

  private static boolean executable(Path p) throws IOException {
    try {
      return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return Files.isExecutable(p);
    }
  }

  /** Copies a folder (files and folders; links as links, never followed). */
  static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public List<LayerFile> extraFiles(Target target, Placement placement) {
    return files.getOrDefault(target, List.of());
  }

  @Override
  public void download(PackageSource source, OutputStream out, LongConsumer progress)
      throws AccretionException {
    throw new AccretionException(
        FailureKind.FAILED, "the command builder has nothing to download", null, null);
  }

  /** A package the command declared: nothing to open (the pipeline passes no file). */
  @Override
  public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits) {
    return new Declared(pkg);
  }

  /** A declared package: no file, no license of its own. */
  record Declared(ResolvedPackage pkg) implements OpenedPackage {
    @Override
    public String license() {
      return null;
    }

    @Override
    public boolean licenseIsExpression() {
      return false;
    }

    @Override
    public void close() {}
  }

  /** Declared packages bring no files of their own: the command's output is in extraFiles. */
  @Override
  public InstalledPackage install(OpenedPackage pkg, Target target, Placement placement) {
    return new InstalledPackage(pkg, List.of(), List.of(), List.of());
  }

  @Override
  public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts) {
    return Optional.empty();
  }

  @Override
  public void close() {
    List<Path> copy;
    synchronized (runs) {
      copy = new ArrayList<>(runs);
      runs.clear();
    }
    for (Path run : copy) {
      deleteTree(run);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          p.toFile().setWritable(true);
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: a left-over temp folder never fails a build
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }
}
