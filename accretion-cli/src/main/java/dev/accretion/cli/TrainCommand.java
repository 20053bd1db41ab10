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

/**
 * A representative, offline workload the launcher runs once after each build of the CLI so the JVM
 * can record which classes Accretion uses (JDK 25's ahead-of-time cache): it locks and builds a
 * tiny generated wheel from a generated {@code file://} index, twice (the second is a cache hit),
 * in a temporary folder it removes afterwards. Hidden: users never need it.
 */
@Command(name = "internal-train", hidden = true, description = "Launcher use only.")
final class TrainCommand implements Callable<Integer> {
  private final Context context;

  TrainCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("accretion-train");
    try {
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
      // Node.js and Java: a miss then a hit each. Their failure only leaves their classes out of
      // the cache (reported), so it does not fail the training.
      byte[] tarball = TrainingProjects.tarball();
      String tarballPath = "/accretion-train-demo/-/accretion-train-demo-1.0.0.tgz";
      com.sun.net.httpserver.HttpServer server = TrainingProjects.serve(tarballPath, tarball);
      try {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path node = dir.resolve("node");
        TrainingProjects.writeNodeProject(node, base + tarballPath, tarball);
        String[] nodeBuild = {
          "build",
          node.resolve("package.json").toString(),
          "--runtime",
          "nodejs22.x",
          "--registry",
          base + "/",
          "--cache-dir",
          cache,
          "--output",
          dir.resolve("node-dist").toString()
        };
        run(nodeBuild, env, dir, false);
        run(nodeBuild, env, dir, false);
      } finally {
        server.stop(0);
      }
      Path repo = dir.resolve("m2repo");
      TrainingProjects.writeMavenRepository(repo);
      Path coordinates = dir.resolve("java.txt");
      Files.writeString(coordinates, "org.example.train:accretion-train-demo:1.0\n");
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
      run(javaBuild, env, dir, false);
      run(javaBuild, env, dir, false);
      return failures == 0 ? 0 : 1;
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private int run(String[] args, Map<String, String> env, Path dir, boolean required) {
    StringWriter sink = new StringWriter();
    int code =
        Cli.execute(
            args,
            new PrintWriter(sink),
            new PrintWriter(sink),
            env,
            dir,
            Context.ProgressStyle.OFF);
    if (code == 0) {
      return 0;
    }
    context
        .err()
        .println(
            (required ? "training run failed: " : "optional training run failed: ")
                + String.join(" ", args)
                + "\n"
                + sink);
    return required ? 1 : 0;
  }
}
