package dev.accretion.java;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real tools the Java tests compare with and run on: the Maven that runs this build (the
 * oracle: {@code dependency:copy-dependencies}) and a JDK 21+ to compile and run handlers. A
 * missing one fails the test; nothing is skipped.
 */
final class JavaTools {
  private JavaTools() {}

  /** The Maven running this build (failsafe passes {@code maven.home}). */
  static Path mvn() {
    String home = System.getProperty("accretion.test.mavenHome");
    if (home == null || home.isBlank() || home.contains("${")) {
      throw new IllegalStateException(
          "accretion.test.mavenHome is not set: run the tests through ./mvnw (the pom passes"
              + " ${maven.home})");
    }
    Path mvn = Path.of(home, "bin", "mvn");
    if (!Files.isExecutable(mvn)) {
      throw new IllegalStateException("no Maven at " + mvn);
    }
    return mvn;
  }

  /** A JDK 21 or newer: Temurin 25 where it is installed, else the JDK running the tests. */
  static Path jdk() {
    Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    if (Files.isExecutable(temurin.resolve("bin/javac"))) {
      return temurin;
    }
    Path self = Path.of(System.getProperty("java.home"));
    if (Runtime.version().feature() >= 21 && Files.isExecutable(self.resolve("bin/javac"))) {
      return self;
    }
    throw new IllegalStateException("no JDK 21+ with javac found (Temurin 25 or java.home)");
  }

  /** Runs a command, returning its output; fails with the output when the exit code is not 0. */
  static String run(Path dir, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("accretion-tool", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "exit " + p.exitValue() + " from " + String.join(" ", command) + "\n" + out);
    }
    return out;
  }

  /**
   * What {@code mvn dependency:copy-dependencies -DincludeScope=runtime} copies for {@code pom}:
   * file name to sha256.
   */
  static Map<String, String> copyDependencies(Path pom, Path settings, Path out)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(mvn().toString());
    cmd.addAll(
        List.of(
            "-B",
            "-q",
            "-s",
            settings.toString(),
            "-f",
            pom.toString(),
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
            "-DincludeScope=runtime",
            "-DoutputDirectory=" + out));
    run(pom.getParent(), Map.of("JAVA_HOME", jdk().toString()), cmd);
    return digests(out);
  }

  /** File name to sha256 of every file directly in {@code dir}. */
  static Map<String, String> digests(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return m;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        m.put(f.getFileName().toString(), dev.accretion.core.FileDigests.sha256Hex(f));
      }
    }
    return m;
  }

  /**
   * Compiles {@code source} with {@code --release 21} against the layer's jars and runs it on the
   * class path {@code layer/java/lib/*:classes}, as Lambda's Java runtime puts a layer's jars.
   */
  static String compileAndRun(Path layer, Path source, Path work, String... args)
      throws IOException, InterruptedException {
    Path jdk = jdk();
    Path classes = Files.createDirectories(work.resolve("classes"));
    String libs = layer.resolve("java/lib").toString() + "/*";
    run(
        work,
        Map.of(),
        List.of(
            jdk.resolve("bin/javac").toString(),
            "--release",
            "21",
            "-cp",
            libs,
            "-d",
            classes.toString(),
            source.toString()));
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.resolve("bin/java").toString());
    cmd.add("-cp");
    cmd.add(libs + ":" + classes);
    cmd.add("Handler");
    cmd.addAll(List.of(args));
    return run(work, Map.of(), cmd);
  }
}
