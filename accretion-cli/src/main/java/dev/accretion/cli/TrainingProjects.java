package dev.accretion.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The tiny Node.js and Java projects {@link TrainCommand}'s offline workload builds, so the
 * ahead-of-time cache also holds the classes of those builders (most of what an unchanged rebuild
 * of a Node.js or Java layer loads): an npm lock whose one tarball a loopback server serves, and a
 * coordinate list whose one jar sits in a {@code file:} Maven repository.
 */
final class TrainingProjects {
  private TrainingProjects() {}

  /** A loopback HTTP server answering {@code path} with {@code body}, 404 for anything else. */
  static HttpServer serve(String path, byte[] body) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (exchange.getRequestURI().getPath().equals(path)) {
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            } else {
              exchange.sendResponseHeaders(404, -1);
            }
          }
        });
    server.start();
    return server;
  }

  /** Writes package.json and its lock (version 3) naming one package at {@code tarballUrl}. */
  static void writeNodeProject(Path dir, String tarballUrl, byte[] tarball) throws IOException {
    Files.createDirectories(dir);
    String deps = "{\"accretion-train-demo\": \"^1.0.0\"}";
    Files.writeString(
        dir.resolve("package.json"),
        "{\"name\": \"train\", \"version\": \"1.0.0\", \"dependencies\": " + deps + "}\n");
    String integrity = "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tarball));
    Files.writeString(
        dir.resolve("package-lock.json"),
        "{\"name\": \"train\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true,"
            + " \"packages\": {\"\": {\"name\": \"train\", \"version\": \"1.0.0\", \"dependencies\": "
            + deps
            + "}, \"node_modules/accretion-train-demo\": {\"version\": \"1.0.0\", \"resolved\": \""
            + tarballUrl
            + "\", \"integrity\": \""
            + integrity
            + "\", \"license\": \"MIT\"}}}\n");
  }

  /**
   * An npm tarball (gzipped ustar) holding package/package.json, package/index.js and generated
   * modules the size of a real package's (a few hundred small ones and a large bundle), so the
   * training rebuild from it exercises inflating and recompressing as real builds do.
   */
  static byte[] tarball() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entry(
        tar,
        "package/package.json",
        "{\"name\": \"accretion-train-demo\", \"version\": \"1.0.0\", \"main\": \"index.js\","
            + " \"license\": \"MIT\"}\n");
    entry(tar, "package/index.js", "module.exports = 1;\n");
    java.util.Random random = new java.util.Random(42);
    String[] words = {
      "const",
      "function",
      "return",
      "exports",
      "require",
      "value",
      "options",
      "this",
      "=>",
      "if (",
      ") {",
      "}",
      "await",
      "client",
      "command",
      "input",
      "output",
      ";\n",
      "  ",
      "null"
    };
    StringBuilder bundle = new StringBuilder();
    for (int m = 0; m < 300; m++) {
      StringBuilder module = new StringBuilder("\"use strict\";\n");
      int size = 200 + random.nextInt(3000);
      while (module.length() < size) {
        module.append(words[random.nextInt(words.length)]).append(' ');
        if (random.nextInt(8) == 0) {
          module.append("name").append(random.nextInt(500)).append(' ');
        }
      }
      entry(tar, "package/dist/m" + m + ".js", module.toString());
      bundle.append(module);
    }
    entry(tar, "package/dist/bundle.js", bundle.toString().repeat(2));
    tar.write(new byte[1024]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar.toByteArray());
    }
    return out.toByteArray();
  }

  private static void entry(ByteArrayOutputStream tar, String name, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", body.length));
    put(h, 136, String.format("%011o", 0));
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[155] = ' ';
    tar.writeBytes(h);
    tar.writeBytes(body);
    tar.writeBytes(new byte[(512 - body.length % 512) % 512]);
  }

  private static void put(byte[] header, int at, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }

  /**
   * Writes a Maven 2 layout repository under {@code repo} with {@code
   * org.example.train:accretion-train-demo:1.0} (an empty jar and its POM, each with its .sha1).
   */
  static void writeMavenRepository(Path repo) throws IOException {
    Path folder =
        Files.createDirectories(repo.resolve("org/example/train/accretion-train-demo/1.0"));
    String pom =
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
            + "<groupId>org.example.train</groupId><artifactId>accretion-train-demo</artifactId>"
            + "<version>1.0</version></project>\n";
    writeWithSha1(
        folder.resolve("accretion-train-demo-1.0.pom"), pom.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream jar = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(jar)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    writeWithSha1(folder.resolve("accretion-train-demo-1.0.jar"), jar.toByteArray());
  }

  private static void writeWithSha1(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    Files.writeString(
        file.resolveSibling(file.getFileName() + ".sha1"),
        HexFormat.of().formatHex(digest("SHA-1", bytes)));
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
