package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Inputs for the builder wiring tests: a file-based Maven repository holding an artifact that no
 * other repository has, a Maven settings file mirroring everything to it, and the example builder
 * plug-in compiled into a jar of its own.
 */
final class BuilderFixtures {
  private BuilderFixtures() {}

  /** The coordinate that only {@link #mavenRepository} has. */
  static final String ONLY_LOCAL = "org.example.integ:only-local:1.0";

  /**
   * A file-based Maven repository with {@link #ONLY_LOCAL} and {@link #ALSO_LOCAL} (jar and pom,
   * with the SHA-1 and MD5 checksum files the resolver verifies).
   */
  static Path mavenRepository(Path root) throws Exception {
    artifact(root, "only-local", "1.0");
    artifact(root, "also-local", "2.0");
    return root;
  }

  /** The second artifact of {@link #mavenRepository}. */
  static final String ALSO_LOCAL = "org.example.integ:also-local:2.0";

  private static void artifact(Path root, String artifactId, String version) throws Exception {
    Path dir =
        Files.createDirectories(root.resolve("org/example/integ/" + artifactId + "/" + version));
    byte[] jar;
    try (var bytes = new java.io.ByteArrayOutputStream();
        JarOutputStream j = new JarOutputStream(bytes)) {
      j.putNextEntry(new JarEntry("org/example/integ/" + artifactId + ".txt"));
      j.write("only in the test's repository\n".getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
      j.finish();
      jar = bytes.toByteArray();
    }
    String pom =
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>org.example.integ</groupId>
          <artifactId>%s</artifactId>
          <version>%s</version>
        </project>
        """
            .formatted(artifactId, version);
    String base = artifactId + "-" + version;
    write(dir.resolve(base + ".jar"), jar);
    write(dir.resolve(base + ".pom"), pom.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] content) throws Exception {
    Files.write(file, content);
    for (String[] alg : new String[][] {{"SHA-1", ".sha1"}, {"MD5", ".md5"}}) {
      String hex = HexFormat.of().formatHex(MessageDigest.getInstance(alg[0]).digest(content));
      Files.writeString(file.resolveSibling(file.getFileName() + alg[1]), hex);
    }
  }

  /** Maven settings whose one mirror sends every repository to {@code repository}. */
  static Path mirrorSettings(Path file, Path repository) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        """
        <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
          <mirrors>
            <mirror>
              <id>test-local</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """
            .formatted(repository.toUri()));
    return file;
  }

  /**
   * The example plug-in of accretion-command's tests (a builder of static data files, {@code
   * *.static} listings of {@code layer/path = file} lines) compiled into a jar of its own.
   */
  static Path pluginJar(Path work) throws Exception {
    Path src =
        Path.of("../accretion-command/src/test/resources/plugin/example/StaticFilesBuilder.java");
    assertThat(src).as("the example plug-in's source").isRegularFile();
    Path classes = Files.createDirectories(work.resolve("plugin-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "21",
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            src.toString());
    assertThat(rc).as("javac of the plug-in").isZero();
    Path jar = work.resolve("plugins/static-files.jar");
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("META-INF/services/dev.accretion.pipeline.spi.Builder"));
      j.write("example.StaticFilesBuilder\n".getBytes(StandardCharsets.UTF_8));
      List<Path> files = new ArrayList<>();
      try (var walk = Files.walk(classes)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
      for (Path f : files) {
        j.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        j.write(Files.readAllBytes(f));
      }
    }
    return jar;
  }

  /** The file entries of a zip (folders left out). */
  static Set<String> files(Path zip) throws IOException {
    Set<String> out = new TreeSet<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      z.stream().filter(e -> !e.isDirectory()).forEach(e -> out.add(e.getName()));
    }
    return out;
  }

  /** The zips of a folder, by file name. */
  static List<Path> zips(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    }
  }
}
