package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a {@code main} class of the test classpath in a separate JVM (the current java.home). */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; stdout and stderr go to files in {@code logs}. */
  static Process start(Class<?> main, Path logs, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Files.createDirectories(logs);
    return new ProcessBuilder(command)
        .redirectOutput(logs.resolve(name + ".out").toFile())
        .redirectError(logs.resolve(name + ".err").toFile())
        .start();
  }

  static String stdout(Path logs, String name) throws IOException {
    return Files.readString(logs.resolve(name + ".out"));
  }

  static String stderr(Path logs, String name) throws IOException {
    return Files.readString(logs.resolve(name + ".err"));
  }
}
