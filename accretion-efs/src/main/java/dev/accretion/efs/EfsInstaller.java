package dev.accretion.efs;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.ByteBudget;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheException;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.ElfCheck;
import dev.accretion.pipeline.FetchedFile;
import dev.accretion.pipeline.SourceFetcher;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import dev.accretion.python.builder.PythonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Installs a Python dependency set into a side-loading store ({@link EfsStore}) with the python
 * builder's resolver, fetcher and wheel installer: the files of each package version exactly as a
 * layer would hold them under {@code python/} (dist-info with a true RECORD, scripts left out), the
 * same checks (digests, RECORD, hostile archives, ELF machine and glibc), one folder per version,
 * written once.
 *
 * <p>A version is written under a hidden temporary name in its package's folder (same file system),
 * then renamed: readers see it complete or not at all. Installers of one version serialize on its
 * {@link StoreLock}; the second finds the folder and writes nothing. A killed installer leaves a
 * stale lock and a temporary folder; the next installer of that version breaks the lock and removes
 * the folder. Each install announces the versions it needs in {@code .installs/} for as long as it
 * runs, so {@code gc} never removes them. Thread-safe; never prints.
 */
public final class EfsInstaller {
  /** Most bytes one wheel may inflate to (zip-bomb guard; torch's CPU wheel is ~0.9 GB). */
  public static final long MAX_PACKAGE_BYTES = 8L << 30;

  private static final Duration VERSION_LOCK_WAIT = Duration.ofMinutes(30);
  private final BuildContext context;

  /**
   * Called with each file just written into a version's temporary folder: a seam for tests that
   * must stop an installer at a known point (a killed installer's leftovers), never set otherwise.
   */
  private volatile Consumer<Path> afterFileWritten = p -> {};

  public EfsInstaller(BuildContext context) {
    this.context = context;
  }

  /** Test seam: see {@link #afterFileWritten}. */
  EfsInstaller afterFileWritten(Consumer<Path> hook) {
    this.afterFileWritten = hook;
    return this;
  }

  /** The options the python builder gets: layout {@code python}, no scripts. */
  static BuilderOptions builderOptions(BuilderOptions options) {
    return options.with("scripts", "false").with("layout", "python");
  }

  /** Resolves (or reads) {@code listing} for {@code target} without installing anything. */
  public EfsSet resolve(Path listing, String format, BuilderOptions options, Target target)
      throws AccretionException {
    try (BuildSession session = open(listing, format, options)) {
      Cache cache = openCache();
      Resolution r = resolution(session, target);
      return set(session, r, fetcher(cache, session), target);
    }
  }

  /** Resolves and installs the set into {@code root}, then writes its view. */
  public InstallOutcome install(
      Path listing, String format, BuilderOptions options, Target target, Path root)
      throws AccretionException {
    EfsStore store = new EfsStore(root);
    try (BuildSession session = open(listing, format, options)) {
      Cache cache = openCache();
      Resolution resolution = resolution(session, target);
      SourceFetcher fetcher = fetcher(cache, session);
      EfsSet set = set(session, resolution, fetcher, target);
      try (StoreLock intent = announce(store, set)) {
        List<InstallOutcome.Version> done = new ArrayList<>();
        long bytes = 0;
        int i = 0;
        for (ResolvedPackage pkg : resolution.packages()) {
          context
              .listener()
              .onEvent(
                  new BuildEvent.Step(
                      "installing " + pkg.label(), i++, resolution.packages().size()));
          InstallOutcome.Version v = installVersion(store, session, fetcher, pkg, target);
          bytes += v.bytes();
          done.add(v);
        }
        Path view = store.view(set.digest());
        boolean created = writeView(store, set);
        return new InstallOutcome(set, view, created, done, bytes);
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot write to the store " + root + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccretionException(FailureKind.FAILED, "the install was interrupted", e);
    }
  }

  private BuildSession open(Path listing, String format, BuilderOptions options)
      throws AccretionException {
    return new PythonBuilder()
        .open(new BuildInput(listing, format, builderOptions(options), context));
  }

  private Cache openCache() throws AccretionException {
    try {
      return Cache.open(CacheLocation.of(context.cacheRoot()), event -> {});
    } catch (CacheException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "cannot open the cache " + context.cacheRoot() + ": " + e.getMessage(),
          e);
    }
  }

  private SourceFetcher fetcher(Cache cache, BuildSession session) {
    return new SourceFetcher(
        cache,
        session,
        context.listener(),
        "wheel",
        w -> context.listener().onEvent(new BuildEvent.Warning(w)));
  }

  private Resolution resolution(BuildSession session, Target target) throws AccretionException {
    context.listener().onEvent(new BuildEvent.Resolving(target));
    long start = System.nanoTime();
    Resolution r = session.resolve(target);
    context
        .listener()
        .onEvent(
            new BuildEvent.Resolved(
                target, r.packages().size(), (System.nanoTime() - start) / 1_000_000));
    for (String w : r.warnings()) {
      context.listener().onEvent(new BuildEvent.Warning(w));
    }
    for (ResolvedPackage p : r.packages()) {
      if (p.source() == null) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, "package " + p.label() + " has no file to install");
      }
    }
    return r;
  }

  private static EfsSet set(
      BuildSession session, Resolution r, SourceFetcher fetcher, Target target)
      throws AccretionException {
    List<EfsPackage> packages = new ArrayList<>();
    String base = EfsSet.targetPath(target);
    for (ResolvedPackage p : r.packages()) {
      checkName(p.name(), p);
      checkName(p.version(), p);
      packages.add(
          new EfsPackage(
              p.name(),
              p.version(),
              p.source().filename(),
              p.source().sha256().map(d -> d.hex()).orElse(null),
              base + "/" + p.name() + "/" + p.version()));
    }
    FileFacts facts =
        new FileFacts() {
          @Override
          public String sha256(PackageSource source) throws AccretionException {
            return fetcher.fetch(source).sha256();
          }

          @Override
          public long size(PackageSource source) throws AccretionException {
            return fetcher.fetch(source).size();
          }
        };
    Optional<LockFile> lock = session.lockFile(r, null, facts);
    return new EfsSet(
        target.runtime().id(),
        target.architecture().lambdaName(),
        packages,
        lock.map(l -> new String(l.content(), StandardCharsets.UTF_8)).orElse(null));
  }

  private static void checkName(String s, ResolvedPackage p) throws AccretionException {
    if (!s.matches("[A-Za-z0-9][A-Za-z0-9._+!-]*") || s.contains("..")) {
      throw new AccretionException(
          FailureKind.REFUSED,
          "package " + p.label() + " has a name or version that is not a safe folder name: " + s);
    }
  }

  /**
   * Registers this install's versions in {@code .installs/} and waits while a gc runs: the
   * announcement is written before the gc lock is looked at, and gc takes its lock before it reads
   * the announcements, so either gc sees this install's versions or this install sees the gc.
   */
  private static StoreLock announce(EfsStore store, EfsSet set)
      throws IOException, InterruptedException {
    Files.createDirectories(store.installs());
    // announcements of killed installers
    try (Stream<Path> s = Files.list(store.installs())) {
      for (Path f : s.toList()) {
        if (!StoreLock.isLive(f)) {
          Files.deleteIfExists(f);
        }
      }
    }
    StringBuilder body = new StringBuilder("view " + set.digest() + "\n");
    for (EfsPackage p : set.packages()) {
      body.append("version ").append(p.path()).append('\n');
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (true) {
      Path file =
          store
              .installs()
              .resolve(Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".lock");
      StoreLock intent =
          StoreLock.tryAcquire(file, body.toString())
              .orElseThrow(() -> new IOException("cannot create " + file));
      if (!StoreLock.isLive(store.gcLock())) {
        return intent;
      }
      intent.close();
      if (System.nanoTime() > deadline) {
        throw new IOException("a gc of the store holds " + store.gcLock() + " for too long");
      }
      Thread.sleep(200);
    }
  }

  private InstallOutcome.Version installVersion(
      EfsStore store,
      BuildSession session,
      SourceFetcher fetcher,
      ResolvedPackage pkg,
      Target target)
      throws AccretionException, IOException, InterruptedException {
    Path nameDir = store.targetDir(target).resolve(pkg.name());
    Path versionDir = nameDir.resolve(pkg.version());
    if (Files.isDirectory(versionDir)) {
      return new InstallOutcome.Version(pkg.name(), pkg.version(), versionDir, false, 0, 0);
    }
    Files.createDirectories(nameDir);
    try (StoreLock lock =
        StoreLock.acquire(
            nameDir.resolve("." + pkg.version() + ".lock"), pkg.label(), VERSION_LOCK_WAIT)) {
      if (Files.isDirectory(versionDir)) {
        return new InstallOutcome.Version(pkg.name(), pkg.version(), versionDir, false, 0, 0);
      }
      // only the lock's holder writes this version: any temporary folder of it is a killed
      // installer's
      String tmpPrefix = "." + pkg.version() + ".tmp-";
      for (Path p : EfsStore.hidden(nameDir)) {
        if (p.getFileName().toString().startsWith(tmpPrefix)) {
          EfsStore.deleteTree(p);
        }
      }
      FetchedFile fetched = fetcher.fetch(pkg.source());
      ZipLimits limits =
          ZipLimits.lambda()
              .withMaxArchiveBytes(MAX_PACKAGE_BYTES)
              .withBudget(new ByteBudget(MAX_PACKAGE_BYTES));
      Path tmp =
          nameDir.resolve(
              tmpPrefix
                  + ProcessHandle.current().pid()
                  + "-"
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try (OpenedPackage opened = session.open(pkg, fetched.blob(), limits)) {
        InstalledPackage installed = session.install(opened, target, Placement.LAYER);
        for (LayerFile f : installed.files()) {
          ElfCheck.check(f, target, opened, "wheel");
        }
        Files.createDirectory(tmp);
        long bytes = 0;
        int files = 0;
        for (LayerFile f : installed.files()) {
          if (!f.path().startsWith("python/")) {
            continue; // scripts are off, so nothing else is laid out
          }
          Path out = tmp.resolve(f.path().substring("python/".length())).normalize();
          if (!out.startsWith(tmp)) {
            throw new AccretionException(
                FailureKind.REFUSED,
                "wheel " + fetched.source().filename() + ": bad path " + f.path());
          }
          Files.createDirectories(out.getParent());
          write(f, out);
          if (f.executable()) {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
          afterFileWritten.accept(out);
          bytes += f.size();
          files++;
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("name", pkg.name());
        marker.put("version", pkg.version());
        marker.put("file", fetched.source().filename());
        marker.put("sha256", fetched.sha256());
        marker.put("files", files);
        marker.put("bytes", bytes);
        marker.put("notes", installed.notes());
        Files.writeString(tmp.resolve(EfsStore.VERSION_MARKER), JsonText.write(marker));
        rename(tmp, versionDir);
        return new InstallOutcome.Version(
            pkg.name(), pkg.version(), versionDir, true, files, bytes);
      } finally {
        EfsStore.deleteTree(tmp);
      }
    }
  }

  private static void write(LayerFile f, Path out) throws IOException, AccretionException {
    switch (f.content()) {
      case LayerFile.Raw raw -> {
        try (InputStream in = raw.archive().open(raw.entry());
            OutputStream o = Files.newOutputStream(out)) {
          in.transferTo(o);
        } catch (ArchiveException e) {
          throw new AccretionException(
              FailureKind.REFUSED,
              raw.archive().file().getFileName()
                  + ": "
                  + raw.entry().name()
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
      case LayerFile.Stored s -> Files.write(out, s.bytes());
      case LayerFile.Compressed c -> Files.write(out, c.uncompressed());
      case LayerFile.WholeFile w -> Files.copy(w.file(), out);
    }
  }

  /** Renames a finished folder into place; a folder already there wins (and {@code tmp} goes). */
  static boolean rename(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      EfsStore.deleteTree(tmp);
      return false;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the file system of " + target + " cannot rename atomically: " + e.getMessage(), e);
    } catch (FileSystemException e) {
      // rename(2) onto a folder another installer just finished fails with ENOTEMPTY, which the
      // JDK reports as a plain FileSystemException ("Directory not empty") on an atomic move
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        EfsStore.deleteTree(tmp);
        return false;
      }
      throw e;
    }
  }

  /**
   * Writes {@code views/<digest>/}: every package's top-level entries as relative symbolic links to
   * the version folders (a folder several packages share, a namespace package, becomes a real
   * folder of links, recursively), plus the view marker; then renames it into place and writes
   * {@code views/<digest>.json}. Relative links keep the view valid wherever the root is mounted.
   */
  private static boolean writeView(EfsStore store, EfsSet set)
      throws IOException, AccretionException {
    String digest = set.digest();
    Path view = store.view(digest);
    Files.createDirectories(store.views());
    boolean created = false;
    if (!Files.isDirectory(view)) {
      Path tmp =
          store
              .views()
              .resolve(
                  "."
                      + digest
                      + ".tmp-"
                      + ProcessHandle.current().pid()
                      + "-"
                      + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        Files.createDirectory(tmp);
        List<Path> sources = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (EfsPackage p : set.packages()) {
          sources.add(store.root().resolve(p.path()));
          owners.add(p.name() + " " + p.version());
        }
        link(tmp, "../../", sources, owners);
        Files.writeString(tmp.resolve(EfsStore.VIEW_MARKER), set.toJson());
        created = rename(tmp, view);
      } finally {
        EfsStore.deleteTree(tmp);
      }
    }
    AtomicFiles.write(store.viewRecord(digest), set.toJson().getBytes(StandardCharsets.UTF_8));
    return created;
  }

  /**
   * Links the entries of {@code dirs} into {@code into}; {@code up} climbs from {@code into}'s
   * final place to the store root.
   */
  private static void link(Path into, String up, List<Path> dirs, List<String> owners)
      throws IOException, AccretionException {
    TreeMap<String, List<Integer>> byName = new TreeMap<>();
    for (int i = 0; i < dirs.size(); i++) {
      try (Stream<Path> s = Files.list(dirs.get(i))) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (n.startsWith(".accretion-")) {
            continue;
          }
          byName.computeIfAbsent(n, k -> new ArrayList<>()).add(i);
        }
      }
    }
    for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
      String n = e.getKey();
      List<Integer> who = e.getValue();
      Path first = dirs.get(who.get(0)).resolve(n);
      if (who.size() == 1 || !Files.isDirectory(first, LinkOption.NOFOLLOW_LINKS)) {
        if (who.size() > 1 && !sameFiles(dirs, who, n)) {
          throw new AccretionException(
              FailureKind.CONFLICT,
              "packages "
                  + owners.get(who.get(0))
                  + " and "
                  + owners.get(who.get(1))
                  + " both install '"
                  + n
                  + "' with different content, so one view cannot hold both",
              "leave one of them out of the listing",
              null);
        }
        Files.createSymbolicLink(
            into.resolve(n), Path.of(up + rootRelative(dirs.get(who.get(0)), n)));
        continue;
      }
      Path sub = Files.createDirectory(into.resolve(n));
      List<Path> subDirs = new ArrayList<>();
      List<String> subOwners = new ArrayList<>();
      for (int i : who) {
        Path d = dirs.get(i).resolve(n);
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
          throw new AccretionException(
              FailureKind.CONFLICT,
              "package "
                  + owners.get(i)
                  + " installs a file '"
                  + n
                  + "' where another has a folder");
        }
        subDirs.add(d);
        subOwners.add(owners.get(i));
      }
      link(sub, up + "../", subDirs, subOwners);
    }
  }

  private static boolean sameFiles(List<Path> dirs, List<Integer> who, String n)
      throws IOException {
    Path a = dirs.get(who.get(0)).resolve(n);
    for (int k = 1; k < who.size(); k++) {
      Path b = dirs.get(who.get(k)).resolve(n);
      if (Files.isDirectory(b) || Files.mismatch(a, b) != -1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The path of {@code dir/name} relative to the store root: a version folder is 4 levels below the
   * root ({@code runtime/arch/name/version}), and sub-folders keep their names.
   */
  private static String rootRelative(Path dir, String name) {
    // dir is ROOT/runtime/arch/pkg/version[/sub…]; find the version folder's depth by its marker
    Path d = dir;
    List<String> parts = new ArrayList<>();
    while (!Files.isRegularFile(d.resolve(EfsStore.VERSION_MARKER))) {
      parts.add(0, d.getFileName().toString());
      d = d.getParent();
    }
    Path version = d;
    String prefix =
        version.getParent().getParent().getParent().getFileName()
            + "/"
            + version.getParent().getParent().getFileName()
            + "/"
            + version.getParent().getFileName()
            + "/"
            + version.getFileName();
    StringBuilder b = new StringBuilder(prefix);
    for (String p : parts) {
      b.append('/').append(p);
    }
    return b.append('/').append(name).toString();
  }
}
