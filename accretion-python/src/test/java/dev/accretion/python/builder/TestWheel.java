package dev.accretion.python.builder;

import dev.accretion.testkit.WheelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A wheel for tests, written with {@link ZipBytes} (STORED, so byte-identical on every machine),
 * with a true RECORD unless told otherwise, and hooks to break any part of it. Not thread-safe.
 */
final class TestWheel {
  final String name;
  final String version;
  String tag = "py3-none-any";
  String distInfo;
  String metadataName;
  String metadataVersion;
  String wheelVersion = "1.0";
  final List<String> metadataLines = new ArrayList<>();
  final Map<String, byte[]> files = new LinkedHashMap<>();
  final Map<String, Integer> modes = new HashMap<>();
  final Set<String> deflated = new HashSet<>();
  final Set<String> unlisted = new HashSet<>();
  final Map<String, String> recordRows = new LinkedHashMap<>();
  boolean writeRecord = true;
  boolean writeWheelFile = true;
  boolean writeMetadata = true;
  Consumer<ZipBytes> tamper = z -> {};

  TestWheel(String name, String version) {
    this.name = name;
    this.version = version;
    this.distInfo = name.replaceAll("[-_.]+", "_") + "-" + version + ".dist-info";
    this.metadataName = name;
    this.metadataVersion = version;
  }

  static TestWheel of(String name, String version) {
    return new TestWheel(name, version);
  }

  TestWheel tag(String tag) {
    this.tag = tag;
    return this;
  }

  TestWheel file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestWheel file(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  TestWheel executable(String path, String content) {
    file(path, content);
    modes.put(path, 0100755);
    return this;
  }

  TestWheel metadata(String line) {
    metadataLines.add(line);
    return this;
  }

  TestWheel requires(String... requirements) {
    for (String r : requirements) {
      metadataLines.add("Requires-Dist: " + r);
    }
    return this;
  }

  String filename() {
    return name.replaceAll("[-_.]+", "_") + "-" + version + "-" + tag + ".whl";
  }

  byte[] bytes() {
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    if (writeMetadata) {
      StringBuilder meta =
          new StringBuilder("Metadata-Version: 2.1\nName: ")
              .append(metadataName)
              .append("\nVersion: ")
              .append(metadataVersion)
              .append('\n');
      for (String line : metadataLines) {
        meta.append(line).append('\n');
      }
      all.put(distInfo + "/METADATA", meta.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (writeWheelFile) {
      all.put(
          distInfo + "/WHEEL",
          ("Wheel-Version: "
                  + wheelVersion
                  + "\nGenerator: accretion-tests\nRoot-Is-Purelib: true\nTag: "
                  + tag
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    if (writeRecord) {
      StringBuilder record = new StringBuilder();
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        if (unlisted.contains(e.getKey())) {
          continue;
        }
        String row = recordRows.get(e.getKey());
        if (row == null) {
          row =
              e.getKey()
                  + ",sha256="
                  + WheelBuilder.urlsafeSha256(e.getValue())
                  + ","
                  + e.getValue().length;
        }
        record.append(row).append('\n');
      }
      for (Map.Entry<String, String> extra : recordRows.entrySet()) {
        if (!all.containsKey(extra.getKey())) {
          record.append(extra.getValue()).append('\n');
        }
      }
      record.append(distInfo).append("/RECORD,,\n");
      all.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    }
    ZipBytes zip = new ZipBytes();
    for (Map.Entry<String, byte[]> e : all.entrySet()) {
      ZipBytes.Entry entry = zip.add(e.getKey(), e.getValue());
      if (modes.containsKey(e.getKey())) {
        entry.unixMode = modes.get(e.getKey());
      }
      if (deflated.contains(e.getKey())) {
        entry.method = 8;
      }
    }
    tamper.accept(zip);
    return zip.bytes();
  }
}
