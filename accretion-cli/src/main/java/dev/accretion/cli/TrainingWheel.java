package dev.accretion.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The tiny pure wheel {@link TrainCommand}'s offline workload locks and builds. */
final class TrainingWheel {
  private TrainingWheel() {}

  static byte[] bytes() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("accretion_train_demo/__init__.py", "VALUE = 1\n".getBytes(StandardCharsets.UTF_8));
    String info = "accretion_train_demo-1.0.dist-info/";
    files.put(
        info + "METADATA",
        "Metadata-Version: 2.1\nName: accretion-train-demo\nVersion: 1.0\nLicense: MIT\n"
            .getBytes(StandardCharsets.UTF_8));
    files.put(
        info + "WHEEL",
        "Wheel-Version: 1.0\nGenerator: accretion\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            .getBytes(StandardCharsets.UTF_8));
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      record
          .append(e.getKey())
          .append(",sha256=")
          .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(e.getValue())))
          .append(',')
          .append(e.getValue().length)
          .append('\n');
    }
    record.append(info).append("RECORD,,\n");
    files.put(info + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
