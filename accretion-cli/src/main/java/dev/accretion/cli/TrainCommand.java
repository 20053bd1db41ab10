package dev.accretion.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A representative, offline workload the launcher runs once after each build of the CLI so the JVM
 * can record which classes Accretion uses (JDK 25's ahead-of-time cache): it locks and builds a
 * tiny generated wheel from a generated {@code file://} index, twice (the second is a cache hit),
 * in a temporary folder it removes afterwards; then the unchanged rebuild of a tiny Node.js and
 * Java layer that {@code --prepare DIR} built beforehand in another, unrecorded JVM ({@code --hits
 * DIR}), and the Node.js layer built again from its cached tarball ({@code --refresh}: inflating
 * and recompressing, the bulk of a first build's work, without the download). The cache loads every
 * class it holds at each start, so what only a first build of those languages needs (Maven
 * Resolver, the npm registry client) is kept out of it. Hidden: users never need it.
 */
@Command(name = "internal-train", hidden = true, description = "Launcher use only.")
final class TrainCommand implements Callable<Integer> {
  private final Context context;

  TrainCommand(Context context) {
    this.context = context;
  }

  @Option(
      names = "--prepare",
      paramLabel = "DIR",
      description = "Build the Node.js and Java training layers into DIR's cache (not recorded).")
  Path prepare;

  @Option(
      names = "--hits",
      paramLabel = "DIR",
      description = "The recorded run: Python lock and builds, then cache hits of DIR's layers.")
  Path hits;

  @Override
  public Integer call() throws IOException {
    if (prepare != null) {
      Files.createDirectories(prepare);
      otherLanguages(prepare, true);
      return 0;
    }
    Path dir = Files.createTempDirectory("accretion-train");
    try {
      int failures = python(dir);
      if (hits != null) {
        otherLanguages(hits, false);
      } else {
        // both steps in one process (what TrainCommandTest checks the launcher's pair does)
        Path other = Files.createDirectories(dir.resolve("other"));
        otherLanguages(other, true);
        otherLanguages(other, false);
      }
      return failures == 0 ? 0 : 1;
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Python: lock, a build (a miss) and the same build again (a hit). */
  private int python(Path dir) throws IOException {
    Path index = dir.resolve("index");
    byte[] wheel = TrainingWheel.bytes();
    String filename = "accretion_train_demo-1.0-py3-none-any.whl";
    Files.createDirectories(index.resolve("files"));
    Files.write(index.resolve("files").resolve(filename), wheel);
    Path page = Files.createDirectories(index.resolve("simple/accretion-train-demo"));
    Files.writeString(
        page.resolve("index.html"),
        "<!DOCTYPE html><html><body><a href=\"../../files/"
            + filename
            + "#sha256="
            + HexFormat.of().formatHex(TrainingWheel.sha256(wheel))
            + "\" data-requires-python=\"&gt;=3.8\">"
            + filename
            + "</a></body></html>\n");
    Files.writeString(dir.resolve("requirements.txt"), "accretion-train-demo>=1.0\n");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", dir.toString());
    env.put("PIP_CONFIG_FILE", "/dev/null");
    String indexUrl = index.resolve("simple").toUri().toString();
    String cache = dir.resolve("cache").toString();
    String[][] runs = {
      {
        "lock",
        "requirements.txt",
        "--runtime",
        "python3.12",
        "--index-url",
        indexUrl,
        "--cache-dir",
        cache,
        "--json"
      },
      {
        "build",
        "requirements.txt",
        "--runtime",
        "python3.12",
        "--index-url",
        indexUrl,
        "--cache-dir",
        cache,
        "--json"
      },
      {
        "build",
        "requirements.txt",
        "--runtime",
        "python3.12",
        "--index-url",
        indexUrl,
        "--cache-dir",
        cache
      },
      {"runtimes", "python3.11", "--json"},
    };
    int failures = 0;
    for (String[] args : runs) {
      failures += run(args, env, dir, true);
    }
    return failures;
  }

  /**
   * Node.js and Java: with {@code build}, a layer of each built into {@code dir}'s cache (a miss:
   * their download and resolution classes are left out of the cache, which loads every class it
   * holds at each start); without, the same builds again, which the cache answers (an unchanged
   * rebuild, the path worth having in the cache). A failure here only leaves those classes out of
   * the cache (reported), so it does not fail the training.
   */
  private void otherLanguages(Path dir, boolean build) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", dir.toString());
    String cache = dir.resolve("cache").toString();
    String tarballPath = "/accretion-train-demo/-/accretion-train-demo-1.0.0.tgz";
    Path node = dir.resolve("node");
    Path registryFile = dir.resolve("registry.txt");
    com.sun.net.httpserver.HttpServer server = null;
    try {
      if (build) {
        byte[] tarball = TrainingProjects.tarball();
        server = TrainingProjects.serve(tarballPath, tarball);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        TrainingProjects.writeNodeProject(node, base + tarballPath, tarball);
        Files.writeString(registryFile, base + "/");
      }
      if (Files.isRegularFile(registryFile)) {
        String[] nodeBuild = {
          "build",
          node.resolve("package.json").toString(),
          "--runtime",
          "nodejs22.x",
          "--registry",
          Files.readString(registryFile).strip(),
          "--cache-dir",
          cache,
          "--output",
          dir.resolve("node-dist").toString()
        };
        runOther(nodeBuild, env, dir, build);
        if (!build) {
          // and built again from the cached tarball (no download): what a first build spends
          // most of its time on, inflating and recompressing the packages' files
          String[] refresh = java.util.Arrays.copyOf(nodeBuild, nodeBuild.length + 1);
          refresh[nodeBuild.length] = "--refresh";
          run(refresh, env, dir, false);
        }
      }
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
    Path repo = dir.resolve("m2repo");
    // a pom.xml, the usual Java listing (its XML reader is part of every unchanged rebuild)
    Path coordinates = dir.resolve("java").resolve("pom.xml");
    if (build) {
      TrainingProjects.writeMavenRepository(repo);
      Files.createDirectories(coordinates.getParent());
      Files.writeString(
          coordinates,
          "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
              + "<groupId>org.example.train</groupId><artifactId>train</artifactId>"
              + "<version>1.0</version><dependencies><dependency>"
              + "<groupId>org.example.train</groupId><artifactId>accretion-train-demo</artifactId>"
              + "<version>1.0</version></dependency></dependencies></project>\n");
    }
    if (Files.isRegularFile(coordinates)) {
      String[] javaBuild = {
        "build",
        coordinates.toString(),
        "--runtime",
        "java21",
        "--repository",
        "train::" + repo.toUri(),
        "--cache-dir",
        cache,
        "--output",
        dir.resolve("java-dist").toString()
      };
      runOther(javaBuild, env, dir, build);
    }
  }

  /** A Node.js or Java training build (optional); without {@code build} it must be a cache hit. */
  private void runOther(String[] args, Map<String, String> env, Path dir, boolean build) {
    run(args, env, dir, false, !build);
  }

  private int run(String[] args, Map<String, String> env, Path dir, boolean required) {
    return run(args, env, dir, required, false);
  }

  /**
   * Runs one training command; a failure (or, with {@code mustHit}, a build the cache did not
   * answer) is reported, and counts as 1 only when the run is {@code required}.
   */
  private int run(
      String[] args, Map<String, String> env, Path dir, boolean required, boolean mustHit) {
    StringWriter sink = new StringWriter();
    int code =
        Cli.execute(
            args,
            new PrintWriter(sink),
            new PrintWriter(sink),
            env,
            dir,
            Context.ProgressStyle.OFF);
    String problem =
        code != 0
            ? "run failed: "
            : mustHit && !sink.toString().contains("Unchanged")
                ? "run was not a cache hit: "
                : null;
    if (problem == null) {
      // what was trained, one line per run (the launcher discards it; tests read it)
      context
          .out()
          .println(
              "trained: "
                  + String.join(" ", args)
                  + (sink.toString().contains("Unchanged") ? " (cache hit)" : " (built)"));
      return 0;
    }
    context
        .err()
        .println(
            (required ? "training " : "optional training ")
                + problem
                + String.join(" ", args)
                + "\n"
                + sink);
    return required ? 1 : 0;
  }
}
