package dev.accretion.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real layer zips (a {@code python/} tree and a manifest) for the tests. */
final class TestLayers {
  private TestLayers() {}

  /** A built artifact: the zip, its digests and the manifest. */
  record Artifact(Path zip, String sha256Hex, String codeSha256, byte[] manifestJson) {}

  /** A unique layer name for one test, so tests sharing a moto server never collide. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Builds a layer with the given packages ({@code name -> version}) under {@code dir}. */
  static Artifact build(Path dir, String layerName, Map<String, String> packages)
      throws IOException {
    Map<String, String> sorted = new TreeMap<>(packages);
    StringBuilder manifest = new StringBuilder("{\"layer\":\"" + layerName + "\",\"packages\":[");
    boolean first = true;
    for (Map.Entry<String, String> p : sorted.entrySet()) {
      manifest.append(first ? "" : ",");
      manifest
          .append("{\"name\":\"")
          .append(p.getKey())
          .append("\",\"version\":\"")
          .append(p.getValue())
          .append("\",\"sha256\":\"00\"}");
      first = false;
    }
    manifest.append("],\"target\":{\"runtime\":\"python3.12\",\"architecture\":\"x86_64\"}}");
    byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);

    Path zip = dir.resolve(layerName + "-" + sorted.hashCode() + ".zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      put(z, "python/", null);
      for (Map.Entry<String, String> p : sorted.entrySet()) {
        String pkg = p.getKey().replace('-', '_');
        put(z, "python/" + pkg + "/", null);
        put(
            z,
            "python/" + pkg + "/__init__.py",
            ("__version__ = \"" + p.getValue() + "\"\n").getBytes(StandardCharsets.UTF_8));
      }
      put(z, "python/.accretion/" + layerName + ".json", manifestBytes);
    }
    byte[] digest = sha256(Files.readAllBytes(zip));
    return new Artifact(
        zip,
        HexFormat.of().formatHex(digest),
        Base64.getEncoder().encodeToString(digest),
        manifestBytes);
  }

  private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(315532800000L); // fixed: 1980-01-01
    z.putNextEntry(e);
    if (data != null) {
      z.write(data);
    }
    z.closeEntry();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A request with sensible defaults for tests. */
  static PublishRequest request(String layerName, Artifact a, List<String> regions) {
    return new PublishRequest(
        layerName,
        a.zip(),
        a.sha256Hex(),
        "content:" + a.sha256Hex().substring(0, 16),
        List.of("python3.12", "python3.13"),
        List.of("x86_64"),
        "test layer",
        "MIT",
        regions,
        Sharing.privateOnly(),
        null,
        a.manifestJson(),
        null,
        Notifications.none());
  }
}
