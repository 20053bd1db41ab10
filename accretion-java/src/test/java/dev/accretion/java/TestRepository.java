package dev.accretion.java;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small Maven 2 layout repository on disk that tests write: jars with class files of a chosen
 * version, POMs with dependencies, and the {@code .sha1}/{@code .md5} checksum files repositories
 * publish.
 */
final class TestRepository {
  final Path root;

  TestRepository(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  /** {@code file:} URL of the repository. */
  String url() {
    return root.toUri().toString();
  }

  /** An artifact: a jar with one class of {@code major} and a POM with the dependencies. */
  final class Artifact {
    final String groupId;
    final String artifactId;
    final String version;
    int major = 52;
    final Map<String, byte[]> extra = new LinkedHashMap<>();
    final List<String> dependencies = new ArrayList<>();
    String classifier = "";
    boolean multiRelease;

    Artifact(String groupId, String artifactId, String version) {
      this.groupId = groupId;
      this.artifactId = artifactId;
      this.version = version;
    }

    Artifact major(int m) {
      this.major = m;
      return this;
    }

    Artifact entry(String name, byte[] bytes) {
      extra.put(name, bytes);
      return this;
    }

    Artifact multiRelease() {
      multiRelease = true;
      return this;
    }

    /** A dependency, {@code g:a:v} or {@code g:a:v:scope}. */
    Artifact dependsOn(String coordinate) {
      dependencies.add(coordinate);
      return this;
    }

    Path folder() {
      return root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
    }

    Path jar() {
      return folder()
          .resolve(
              artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
    }

    Artifact publish() throws IOException {
      Files.createDirectories(folder());
      StringBuilder deps = new StringBuilder();
      for (String d : dependencies) {
        String[] p = d.split(":");
        deps.append("<dependency><groupId>")
            .append(p[0])
            .append("</groupId><artifactId>")
            .append(p[1])
            .append("</artifactId><version>")
            .append(p[2])
            .append("</version>")
            .append(p.length > 3 ? "<scope>" + p[3] + "</scope>" : "")
            .append("</dependency>");
      }
      String pom =
          "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
              + "<groupId>"
              + groupId
              + "</groupId><artifactId>"
              + artifactId
              + "</artifactId><version>"
              + version
              + "</version><licenses><license><name>Test License</name></license></licenses>"
              + "<dependencies>"
              + deps
              + "</dependencies></project>";
      write(
          folder().resolve(artifactId + "-" + version + ".pom"),
          pom.getBytes(StandardCharsets.UTF_8));
      write(jar(), jarBytes());
      return this;
    }

    byte[] jarBytes() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
        zip.write(
            ("Manifest-Version: 1.0\r\n" + (multiRelease ? "Multi-Release: true\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String pkg = groupId.replace('.', '/') + "/" + artifactId.replace('-', '_');
        zip.putNextEntry(new ZipEntry(pkg + "/Main.class"));
        zip.write(classHeader(major));
        for (Map.Entry<String, byte[]> e : extra.entrySet()) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
        }
      }
      return bytes.toByteArray();
    }
  }

  Artifact artifact(String groupId, String artifactId, String version) {
    return new Artifact(groupId, artifactId, version);
  }

  /** The first bytes of a class file of the given major version. */
  static byte[] classHeader(int major) {
    return new byte[] {
      (byte) 0xCA,
      (byte) 0xFE,
      (byte) 0xBA,
      (byte) 0xBE,
      0,
      0,
      (byte) (major >> 8),
      (byte) major,
      0,
      0
    };
  }

  /** Writes a file and its {@code .sha1} and {@code .md5}. */
  static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), hex("SHA-1", bytes));
    Files.writeString(file.resolveSibling(file.getFileName() + ".md5"), hex("MD5", bytes));
  }

  static String hex(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
