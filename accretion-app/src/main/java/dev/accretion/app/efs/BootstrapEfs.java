package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.core.runtime.Target;
import dev.accretion.efs.Bootstrap;
import dev.accretion.efs.EfsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code efs bootstrap}: the dependency-free module a function imports first, putting its
 * set's view (or each version folder) under the mount at the front of {@code sys.path}. Resolves
 * the lock exactly as {@code efs install} does (same set, same digest); installs nothing.
 * Thread-safe.
 */
public final class BootstrapEfs {
  /** The module's file name when no output is given. */
  public static final String DEFAULT_OUTPUT = "accretion_efs.py";

  private final Environment environment;

  public BootstrapEfs(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param mount where the function mounts the store's root ({@code /mnt/deps})
   * @param output the module file to write, or null for {@value #DEFAULT_OUTPUT}
   * @param view false for one path entry per version folder instead of the view
   */
  public record Request(
      Path lock,
      String format,
      String runtime,
      String architecture,
      String mount,
      Path output,
      boolean view,
      IndexSettings sources,
      Path cacheDir) {
    public Request {
      Objects.requireNonNull(lock, "lock");
      Objects.requireNonNull(mount, "mount");
      Objects.requireNonNull(sources, "sources");
    }
  }

  /** The module written; {@link #toJson()} is the {@code efs bootstrap --json} document. */
  public record Result(Path output, String digest, String mount, boolean view, int packages) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", output.toString());
      m.put("digest", digest);
      m.put("mount", mount);
      m.put("view", view);
      m.put("packages", packages);
      return Json.write(m);
    }
  }

  public Result bootstrap(Request request, ProgressListener listener) throws AccretionException {
    if (!request.mount().startsWith("/")) {
      throw new AccretionException(
          FailureKind.USAGE,
          "--mount " + request.mount() + " is not an absolute path",
          "give the function's mount path of the file system: --mount /mnt/deps",
          null);
    }
    Target target = EfsSupport.target(request.runtime(), request.architecture());
    EfsSet set =
        EfsSupport.installer(
                environment, request.cacheDir(), ProgressListener.warningsOnce(listener))
            .resolve(
                EfsSupport.listing(environment, request.lock()),
                request.format(),
                EfsSupport.options(request.sources()),
                target);
    Path output =
        environment.resolve(request.output() == null ? Path.of(DEFAULT_OUTPUT) : request.output());
    try {
      AtomicFiles.write(
          output,
          Bootstrap.render(set, request.mount(), request.view()).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot write " + output + ": " + e.getMessage(), e);
    }
    return new Result(output, set.digest(), request.mount(), request.view(), set.packages().size());
  }
}
