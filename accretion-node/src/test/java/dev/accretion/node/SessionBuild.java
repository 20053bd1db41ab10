package dev.accretion.node;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Drives a builder session the way the pipeline does, for tests before (and besides) the pipeline:
 * resolve, download every distinct source once into a cache folder (verifying every digest the
 * source promises), open, install, and write the layer's files into a folder.
 */
public final class SessionBuild {
  /** What a build produced. */
  public record Result(
      Resolution resolution,
      Map<String, LayerFile> files,
      List<InstalledPackage> installed,
      List<String> notes,
      List<String> warnings,
      List<BuildEvent> events,
      BuildSession session) {}

  private SessionBuild() {}

  public static Target target(String runtime, Architecture arch) {
    try {
      return RuntimeMatrix.load().target(runtime, arch.lambdaName());
    } catch (AccretionException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A context with the given environment, home and cache. */
  public static BuildContext context(
      Map<String, String> env, Path home, Path cache, BuildListener l) {
    return new BuildContext(env, home, home, cache, l);
  }

  /**
   * The environment tests use: PATH kept (so the global npmrc is found as npm finds it), no
   * npm_config_*.
   */
  public static Map<String, String> cleanEnv() {
    Map<String, String> env = new HashMap<>();
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
    return env;
  }

  public static Result build(
      Path listing,
      Target target,
      Placement placement,
      BuilderOptions options,
      BuildContext context,
      Path blobs,
      Path out)
      throws AccretionException, IOException {
    List<BuildEvent> events = new CopyOnWriteArrayList<>();
    BuildContext ctx =
        new BuildContext(
            context.env(),
            context.home(),
            context.workingDirectory(),
            context.cacheRoot(),
            e -> {
              events.add(e);
              context.listener().onEvent(e);
            });
    BuildSession session = new NodeBuilder().open(new BuildInput(listing, null, options, ctx));
    Resolution res = session.resolve(target);
    ZipLimits limits = ZipLimits.lambda();
    Map<PackageSource, OpenedPackage> opened = new HashMap<>();
    List<InstalledPackage> installed = new ArrayList<>();
    Map<String, LayerFile> files = new TreeMap<>();
    List<String> notes = new ArrayList<>(res.notes());
    List<String> warnings = new ArrayList<>(res.warnings());
    for (ResolvedPackage p : res.packages()) {
      if (p.source() == null) {
        continue;
      }
      OpenedPackage o = opened.get(p.source());
      if (o == null) {
        Path blob = fetch(session, p.source(), blobs);
        o = session.open(p, blob, limits);
        opened.put(p.source(), o);
      }
      InstalledPackage ip = session.install(o, target, placement);
      installed.add(ip);
      notes.addAll(ip.notes());
      warnings.addAll(ip.warnings());
      for (LayerFile f : ip.files()) {
        LayerFile before = files.put(f.path(), f);
        if (before != null && !before.sha256().equals(f.sha256())) {
          throw new AccretionException(FailureKind.CONFLICT, "two packages write " + f.path());
        }
      }
    }
    for (LayerFile f : session.extraFiles(target, placement)) {
      files.put(f.path(), f);
    }
    if (out != null) {
      for (LayerFile f : files.values()) {
        Path p = out.resolve(f.path());
        Files.createDirectories(p.getParent());
        byte[] bytes =
            switch (f.content()) {
              case LayerFile.Compressed c -> c.uncompressed();
              case LayerFile.Stored s -> s.bytes();
              default -> throw new IllegalStateException(f.content().toString());
            };
        Files.write(p, bytes);
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(f.executable() ? "rwxr-xr-x" : "rw-r--r--"));
      }
      // as unzip leaves them: every file and folder at the zip's one fixed time
      java.nio.file.attribute.FileTime fixed =
          java.nio.file.attribute.FileTime.from(java.time.Instant.parse("1980-01-01T00:00:00Z"));
      try (var walk = Files.walk(out)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.setLastModifiedTime(p, fixed);
        }
      }
    }
    return new Result(res, files, installed, notes, warnings, events, session);
  }

  /** Downloads a source once per digest into {@code blobs}, verifying what it promises. */
  static Path fetch(BuildSession session, PackageSource source, Path blobs)
      throws AccretionException, IOException {
    // keyed like the pipeline's content-addressed cache: by what the source promises
    String key =
        sha256Hex(
            (source.digests().isEmpty() ? source.url().toString() : source.digests().toString())
                .getBytes());
    Path blob = blobs.resolve(key + ".tgz");
    if (Files.isRegularFile(blob)) {
      return blob;
    }
    Files.createDirectories(blobs);
    Path tmp = Files.createTempFile(blobs, "dl", ".part");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      session.download(source, o, n -> {});
    }
    byte[] bytes = Files.readAllBytes(tmp);
    for (Digest d : source.digests()) {
      try {
        String got = HexFormat.of().formatHex(MessageDigest.getInstance(d.jdkName()).digest(bytes));
        if (!got.equals(d.hex())) {
          Files.delete(tmp);
          throw new AccretionException(
              FailureKind.REFUSED,
              source.filename()
                  + " does not match its "
                  + d.algorithm()
                  + " (expected "
                  + d.hex()
                  + ", got "
                  + got
                  + ")");
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE);
    return blob;
  }

  static String sha256Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
