package dev.accretion.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes real, well-formed wheels for tests: METADATA, WHEEL and a RECORD with true hashes, plus
 * any files. Fluent; not thread-safe.
 */
public final class WheelBuilder {
  private final String name;
  private final String version;
  private String tag = "py3-none-any";
  private final List<String> metadataLines = new ArrayList<>();
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Integer> modes = new LinkedHashMap<>();

  private WheelBuilder(String name, String version) {
    this.name = name;
    this.version = version;
  }

  public static WheelBuilder wheel(String name, String version) {
    return new WheelBuilder(name, version);
  }

  /** The compressed tag set, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. */
  public WheelBuilder tag(String tag) {
    this.tag = tag;
    return this;
  }

  public WheelBuilder requires(String... requirements) {
    for (String r : requirements) {
      metadataLines.add("Requires-Dist: " + r);
    }
    return this;
  }

  public WheelBuilder requiresPython(String spec) {
    metadataLines.add("Requires-Python: " + spec);
    return this;
  }

  public WheelBuilder extra(String... extras) {
    for (String e : extras) {
      metadataLines.add("Provides-Extra: " + e);
    }
    return this;
  }

  public WheelBuilder metadata(String line) {
    metadataLines.add(line);
    return this;
  }

  public WheelBuilder file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public WheelBuilder file(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  public WheelBuilder executable(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
    modes.put(path, 0755);
    return this;
  }

  /** The wheel's file name: {@code name-version-tag.whl} with the name in wheel form. */
  public String filename() {
    return distName() + "-" + version + "-" + tag + ".whl";
  }

  private String distName() {
    return name.replaceAll("[-_.]+", "_");
  }

  public String distInfo() {
    return distName() + "-" + version + ".dist-info";
  }

  /** Writes the wheel into {@code dir}; returns its path. */
  public Path writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path out = dir.resolve(filename());
    Files.write(out, bytes());
    return out;
  }

  public byte[] bytes() throws IOException {
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    StringBuilder meta = new StringBuilder();
    meta.append("Metadata-Version: 2.1\nName: ")
        .append(name)
        .append("\nVersion: ")
        .append(version)
        .append('\n');
    for (String line : metadataLines) {
      meta.append(line).append('\n');
    }
    all.put(distInfo() + "/METADATA", meta.toString().getBytes(StandardCharsets.UTF_8));
    String wheel =
        "Wheel-Version: 1.0\nGenerator: accretion-testkit\nRoot-Is-Purelib: "
            + (tag.endsWith("-any") ? "true" : "false")
            + "\nTag: "
            + tag
            + "\n";
    all.put(distInfo() + "/WHEEL", wheel.getBytes(StandardCharsets.UTF_8));
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> e : all.entrySet()) {
      record
          .append(e.getKey())
          .append(",sha256=")
          .append(urlsafeSha256(e.getValue()))
          .append(',')
          .append(e.getValue().length)
          .append('\n');
    }
    record.append(distInfo()).append("/RECORD,,\n");
    all.put(distInfo() + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(315532800000L + 86400000L);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    byte[] bytes = buffer.toByteArray();
    return modes.isEmpty() ? bytes : ZipModes.setUnixModes(bytes, modes);
  }

  public static String urlsafeSha256(byte[] content) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(content));
  }

  public static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256Hex(byte[] content) {
    StringBuilder s = new StringBuilder();
    for (byte b : sha256(content)) {
      s.append(String.format("%02x", b));
    }
    return s.toString();
  }

  static void copy(byte[] in, OutputStream out) throws IOException {
    out.write(in);
  }
}
