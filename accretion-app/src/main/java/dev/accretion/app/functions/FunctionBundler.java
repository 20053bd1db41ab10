package dev.accretion.app.functions;

import dev.accretion.app.Environment;
import dev.accretion.app.build.Registry;
import dev.accretion.app.sources.Sources;
import dev.accretion.aws.project.FunctionsFile.FunctionConfig;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.archive.ZipResult;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A function folder → its deployment zip: the folder's source files plus its production
 * dependencies, built by the Python or Node.js builder through the layer pipeline with the function
 * placement (Python packages at the zip root beside the code, Node.js packages in {@code
 * node_modules/} beside the handler), written by the reproducible zip writer: the same folder
 * revision gives the same bytes on every machine.
 *
 * <p>Which source files go in ({@link #included}): every committed file of the folder except what
 * only serves development: folders named {@code tests}, {@code test}, {@code __tests__}, {@code
 * __pycache__}, {@code node_modules}, {@code .venv}, {@code venv}, {@code .pytest_cache}, {@code
 * .mypy_cache}, {@code .git}; files {@code *.pyc}, {@code *.pyo}, {@code test_*.py}, {@code
 * *_test.py}, {@code *.test.js}, {@code *.spec.js} (also {@code .mjs}, {@code .cjs}, {@code .ts});
 * and credentials files {@code .npmrc}, {@code .pypirc}, {@code pip.conf}, {@code .env}.
 *
 * <p>Dependencies: a Python folder's {@code requirements.txt} (else {@code pyproject.toml}); a
 * Node.js folder's {@code package-lock.json} (else {@code package.json}), dev dependencies left out
 * by the builder. A folder without a listing is its source alone.
 */
final class FunctionBundler {
  private static final Set<String> SKIPPED_FOLDERS =
      Set.of(
          "tests",
          "test",
          "__tests__",
          "__pycache__",
          "node_modules",
          ".venv",
          "venv",
          ".pytest_cache",
          ".mypy_cache",
          ".git");
  private static final Set<String> SKIPPED_FILES = Set.of(".npmrc", ".pypirc", "pip.conf", ".env");

  private final Environment environment;
  private final Path cacheDir;

  FunctionBundler(Environment environment, Path cacheDir) {
    this.environment = environment;
    this.cacheDir = cacheDir;
  }

  /** A written bundle. */
  record Bundle(Path zip, String sha256Hex, String codeSha256, long bytes, List<String> paths) {}

  /** Whether a source file (path relative to the folder) goes into the function's zip. */
  static boolean included(String path) {
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (SKIPPED_FOLDERS.contains(parts[i])) {
        return false;
      }
    }
    String name = parts[parts.length - 1];
    String lower = name.toLowerCase(Locale.ROOT);
    if (SKIPPED_FILES.contains(name) || lower.endsWith(".pyc") || lower.endsWith(".pyo")) {
      return false;
    }
    if (lower.endsWith(".py") && (lower.startsWith("test_") || lower.endsWith("_test.py"))) {
      return false;
    }
    return !lower.matches(".*\\.(test|spec)\\.(js|mjs|cjs|ts)$");
  }

  /**
   * Builds the zip of a folder into {@code workDir}.
   *
   * @param folder the folder in the working tree (its listing is read from there)
   * @param sources the folder's files (from HEAD, or the working tree with --allow-dirty)
   * @throws AccretionException the build's failure, or bad input when a source file and a
   *     dependency land on the same path
   */
  Bundle bundle(
      FunctionConfig function,
      String zipName,
      Path folder,
      List<GitRepository.SourceFile> sources,
      Path workDir)
      throws AccretionException {
    Target target = RuntimeMatrix.load().target(function.runtime(), function.architecture());
    Path listing = listing(function.language(), folder, sources);
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    List<String> paths = new ArrayList<>();
    ZipArchive deps = null;
    try {
      if (listing != null) {
        Path depsDir = workDir.resolve("deps");
        BuildRequest request =
            new BuildRequest(
                listing,
                null,
                function.language() == Language.PYTHON ? "python" : "nodejs",
                BuilderOptions.of(Map.of()),
                List.of(target),
                zipName,
                depsDir,
                Placement.FUNCTION,
                List.of(),
                0,
                false,
                true,
                Sources.context(environment, cacheDir, BuildListener.NONE));
        var result = new LayerPipeline(Registry.get()).build(request);
        Path depsZip = result.artifacts().get(0).zip();
        deps = ZipArchive.open(depsZip, ZipLimits.lambda());
        for (ZipEntryInfo e : deps.entries()) {
          if (e.isDirectory()) {
            continue;
          }
          writer.addRaw(e.path(), deps, e, deps.digest(e).sha256Hex(), "dependencies");
          paths.add(e.path());
        }
      }
      for (GitRepository.SourceFile f : sources) {
        if (!included(f.path())) {
          continue;
        }
        if (paths.contains(f.path())) {
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              function.where()
                  + ": the source file "
                  + f.path()
                  + " has the path of a file a dependency installs",
              "rename or remove the source file (dependencies are installed beside the code)",
              null);
        }
        writer.addCompressed(f.path(), f.content(), f.executable(), "source");
        paths.add(f.path());
      }
      if (paths.isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            function.where() + ": the folder holds no file to deploy",
            "commit the function's code in the folder",
            null);
      }
      Path zip = workDir.resolve(zipName + ".zip");
      ZipResult written = writer.write(zip);
      return new Bundle(
          zip,
          written.sha256Hex(),
          written.codeSha256Base64(),
          written.zippedBytes(),
          paths.stream().sorted().toList());
    } finally {
      if (deps != null) {
        deps.close();
      }
    }
  }

  /** The folder's dependency listing, or null when it has none. */
  private static Path listing(
      Language language, Path folder, List<GitRepository.SourceFile> sources) {
    List<String> candidates =
        language == Language.PYTHON
            ? List.of("requirements.txt", "pyproject.toml")
            : List.of("package-lock.json", "package.json");
    for (String name : candidates) {
      boolean inSources = sources.stream().anyMatch(f -> f.path().equals(name));
      if (inSources && Files.isRegularFile(folder.resolve(name))) {
        return folder.resolve(name);
      }
    }
    return null;
  }
}
