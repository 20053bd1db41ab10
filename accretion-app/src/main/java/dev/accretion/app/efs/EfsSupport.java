package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.sources.IndexSettings;
import dev.accretion.app.sources.Sources;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.efs.EfsInstaller;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the efs use cases share: the target, the installer, the listing. */
final class EfsSupport {
  private EfsSupport() {}

  static Target target(String runtime, String architecture) throws AccretionException {
    Target t =
        RuntimeMatrix.load()
            .target(
                runtime == null ? "python3.12" : runtime,
                architecture == null ? "x86_64" : architecture);
    if (t.runtime().language() != Language.PYTHON) {
      throw new AccretionException(
          FailureKind.USAGE,
          "EFS side-loading installs Python packages, but "
              + t.runtime().id()
              + " is not a Python runtime",
          "give a Python runtime: --runtime python3.12",
          null);
    }
    return t;
  }

  static EfsInstaller installer(Environment environment, Path cacheDir, ProgressListener progress) {
    return new EfsInstaller(
        Sources.context(
            environment,
            cacheDir,
            event -> {
              switch (event) {
                case BuildEvent.Warning w -> progress.warning(w.message());
                case BuildEvent.Resolving r -> progress.activity("resolving " + r.target());
                case BuildEvent.Resolved r ->
                    progress.stage(
                        "Resolved "
                            + r.packages()
                            + " packages for "
                            + r.target()
                            + " in "
                            + r.millis()
                            + " ms");
                case BuildEvent.Step s ->
                    progress.activity(s.what() + " " + (s.done() + 1) + "/" + s.total());
                default -> {}
              }
            }));
  }

  static BuilderOptions options(IndexSettings sources) {
    return BuilderOptions.of(Sources.builderOptions(sources, List.of(), List.of()));
  }

  static Path listing(Environment environment, Path listing) throws AccretionException {
    Path p = environment.resolve(listing);
    if (!Files.isRegularFile(p)) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "the listing " + listing + " does not exist",
          "give a requirements.txt, pyproject.toml or a lock (pylock.toml, uv.lock, poetry.lock, Pipfile.lock)",
          null);
    }
    return p;
  }
}
