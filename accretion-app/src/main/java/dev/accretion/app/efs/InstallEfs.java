package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Target;
import dev.accretion.efs.InstallOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code efs install}: resolves a listing (a lock is used as it is) for one Python target
 * and installs every package version that the store at {@code root} lacks, one folder each, then
 * writes the set's view. Thread-safe; any number of installers may share a root.
 */
public final class InstallEfs {
  private final Environment environment;

  public InstallEfs(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param listing the listing or lock
   * @param format its format when the name doesn't say, or null
   * @param runtime a Python runtime id, or null for python3.12
   * @param architecture x86_64 or arm64, or null for x86_64
   * @param root the store's root (the EFS mount on the installing machine)
   * @param sources where packages come from
   * @param cacheDir the shared cache, or null for the default
   */
  public record Request(
      Path listing,
      String format,
      String runtime,
      String architecture,
      Path root,
      IndexSettings sources,
      Path cacheDir) {
    public Request {
      Objects.requireNonNull(listing, "listing");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(sources, "sources");
    }
  }

  /** One package version and what this install did for it. */
  public record Version(
      String name, String version, String path, boolean installed, int files, long bytes) {}

  /** What the install did; {@link #toJson()} is the {@code efs install --json} document. */
  public record Result(
      String digest,
      String runtime,
      String architecture,
      Path root,
      Path view,
      boolean viewCreated,
      List<Version> packages,
      long bytesWritten,
      long millis) {
    public Result {
      packages = List.copyOf(packages);
    }

    public long installed() {
      return packages.stream().filter(Version::installed).count();
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("digest", digest);
      m.put("runtime", runtime);
      m.put("architecture", architecture);
      m.put("root", root.toString());
      m.put("view", view.toString());
      m.put("viewCreated", viewCreated);
      m.put("bytesWritten", bytesWritten);
      m.put("installed", installed());
      List<Object> ps = new ArrayList<>();
      for (Version v : packages) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", v.name());
        p.put("version", v.version());
        p.put("path", v.path());
        p.put("installed", v.installed());
        p.put("files", v.files());
        p.put("bytes", v.bytes());
        ps.add(p);
      }
      m.put("packages", ps);
      m.put("millis", millis);
      return Json.write(m);
    }
  }

  public Result install(Request request, ProgressListener listener) throws AccretionException {
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    long start = System.nanoTime();
    Target target = EfsSupport.target(request.runtime(), request.architecture());
    Path root = environment.resolve(request.root());
    InstallOutcome out =
        EfsSupport.installer(environment, request.cacheDir(), progress)
            .install(
                EfsSupport.listing(environment, request.listing()),
                request.format(),
                EfsSupport.options(request.sources()),
                target,
                root);
    progress.idle();
    List<Version> versions = new ArrayList<>();
    for (InstallOutcome.Version v : out.packages()) {
      versions.add(
          new Version(
              v.name(),
              v.version(),
              root.relativize(v.folder()).toString(),
              v.installed(),
              v.files(),
              v.bytes()));
    }
    return new Result(
        out.set().digest(),
        target.runtime().id(),
        target.architecture().lambdaName(),
        root,
        out.view(),
        out.viewCreated(),
        versions,
        out.bytesWritten(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
