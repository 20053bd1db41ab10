package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FileDigests;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.LockFile;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Drives a {@link BuildSession} the way the pipeline does (resolve, download with digest checks,
 * open, install), writing the laid-out files into a folder: the session-level harness of the Java
 * builder's tests.
 */
final class SessionDriver {

  /** What a drive produced. */
  record Result(
      Resolution resolution,
      List<InstalledPackage> installed,
      Path layer,
      LockFile lock,
      List<BuildEvent> events) {}

  final Path cache;
  final Path home;
  final Map<String, String> env;

  SessionDriver(Path cache, Path home, Map<String, String> env) {
    this.cache = cache;
    this.home = home;
    this.env = env;
  }

  static Target target(String runtime, Architecture arch) throws AccretionException {
    return Target.of(RuntimeMatrix.load().get(runtime), arch);
  }

  BuildSession open(Path listing, BuilderOptions options, List<BuildEvent> events)
      throws AccretionException {
    BuildContext context = new BuildContext(env, home, listing.getParent(), cache, events::add);
    return new JavaBuilder().open(new BuildInput(listing, null, options, context));
  }

  Result build(Path listing, BuilderOptions options, Target target, Path out)
      throws AccretionException, IOException {
    List<BuildEvent> events = new CopyOnWriteArrayList<>();
    try (BuildSession session = open(listing, options, events)) {
      Resolution resolution = session.resolve(target);
      List<InstalledPackage> installed = new ArrayList<>();
      Path blobs = Files.createDirectories(cache.resolve("test-blobs"));
      for (ResolvedPackage pkg : resolution.packages()) {
        Path blob = fetch(session, pkg.source(), blobs);
        OpenedPackage opened = session.open(pkg, blob, ZipLimits.lambda());
        installed.add(session.install(opened, target, Placement.LAYER));
      }
      Files.createDirectories(out);
      for (InstalledPackage p : installed) {
        for (LayerFile f : p.files()) {
          Path dest = out.resolve(f.path());
          Files.createDirectories(dest.getParent());
          if (Files.exists(dest)) {
            throw new IllegalStateException("two packages at " + f.path());
          }
          Files.copy(((LayerFile.WholeFile) f.content()).file(), dest);
          if (!FileDigests.sha256Hex(dest).equals(f.sha256())) {
            throw new IllegalStateException("sha256 of " + f.path());
          }
        }
      }
      FileFacts facts =
          new FileFacts() {
            @Override
            public String sha256(PackageSource source) {
              return source.sha256().orElseThrow().hex();
            }

            @Override
            public long size(PackageSource source) {
              return source.size().orElse(-1);
            }
          };
      LockFile lock = session.lockFile(resolution, "test", facts).orElse(null);
      return new Result(resolution, installed, out, lock, events);
    }
  }

  /** Downloads a source as the pipeline does: to a temp file, digest verified, then moved. */
  static Path fetch(BuildSession session, PackageSource source, Path blobs)
      throws AccretionException, IOException {
    Path tmp = Files.createTempFile(blobs, "dl", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      session.download(source, out, n -> {});
    }
    String sha = FileDigests.sha256Hex(tmp);
    for (Digest d : source.digests()) {
      if (d.algorithm().equals("sha256") && !d.hex().equals(sha)) {
        Files.delete(tmp);
        throw new AccretionException(
            dev.accretion.core.FailureKind.REFUSED, "sha256 mismatch for " + source.url());
      }
    }
    Path blob = blobs.resolve(sha);
    Files.move(tmp, blob, StandardCopyOption.REPLACE_EXISTING);
    return blob;
  }
}
