package dev.accretion.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small built-layer zips with the manifest beside them ({@code x.zip} + {@code x.json}), as {@code
 * accretion build} writes them: a {@code python/} tree with one module per package.
 */
final class TestZips {
  private TestZips() {}

  /** A layer name unique to this test run (tests share one moto server). */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Path write(
      Path zip, Map<String, String> packages, List<String> runtimes, List<String> architectures)
      throws IOException {
    Map<String, String> sorted = new TreeMap<>(packages);
    StringBuilder manifest = new StringBuilder("{\"packages\":[");
    boolean first = true;
    for (Map.Entry<String, String> p : sorted.entrySet()) {
      manifest.append(first ? "" : ",");
      manifest
          .append("{\"name\":\"")
          .append(p.getKey())
          .append("\",\"version\":\"")
          .append(p.getValue())
          .append("\"}");
      first = false;
    }
    manifest.append("],\"runtimes\":").append(jsonList(runtimes));
    manifest.append(",\"architectures\":").append(jsonList(architectures)).append("}");
    Files.createDirectories(zip.toAbsolutePath().getParent());
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
      put(
          z,
          "python/.accretion/manifest.json",
          manifest.toString().getBytes(StandardCharsets.UTF_8));
    }
    String name = zip.getFileName().toString();
    Files.writeString(
        zip.resolveSibling(name.substring(0, name.length() - 4) + ".json"), manifest.toString());
    return zip;
  }

  private static String jsonList(List<String> values) {
    return values.stream()
        .map(v -> "\"" + v + "\"")
        .collect(java.util.stream.Collectors.joining(",", "[", "]"));
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
}
