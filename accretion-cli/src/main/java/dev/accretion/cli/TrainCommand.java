package dev.accretion.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;

/**
 * A representative, offline workload the launcher runs once after each build of the CLI so the JVM
 * can record which classes Accretion uses (JDK 25's ahead-of-time cache): it locks and builds a
 * tiny generated wheel from a generated {@code file://} index, twice (the second is a cache hit),
 * in a temporary folder it removes afterwards. Hidden: users never need it.
 */
@Command(name = "internal-train", hidden = true, description = "Launcher use only.")
final class TrainCommand implements Callable<Integer> {
  private final Context context;

  TrainCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("accretion-train");
    try {
      Path index = dir.resolve("index");
      byte[] wheel = wheel();
      String filename = "accretion_train_demo-1.0-py3-none-any.whl";
      Files.createDirectories(index.resolve("files"));
      Files.write(index.resolve("files").resolve(filename), wheel);
      Path page = Files.createDirectories(index.resolve("simple/accretion-train-demo"));
      Files.writeString(
          page.resolve("index.html"),
          "<!DOCTYPE html><html><body><a href=\"../../files/"
              + filename
              + "#sha256="
              + HexFormat.of().formatHex(sha256(wheel))
              + "\" data-requires-python=\"&gt;=3.8\">"
              + filename
              + "</a></body></html>\n");
      Files.writeString(dir.resolve("requirements.txt"), "accretion-train-demo>=1.0\n");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("HOME", dir.toString());
      env.put("PIP_CONFIG_FILE", "/dev/null");
      String indexUrl = index.resolve("simple").toUri().toString();
      String cache = dir.resolve("cache").toString();
      String[][] runs = {
        {
          "lock",
          "requirements.txt",
          "--runtime",
          "python3.12",
          "--index-url",
          indexUrl,
          "--cache-dir",
          cache,
          "--json"
        },
        {
          "build",
          "requirements.txt",
          "--runtime",
          "python3.12",
          "--index-url",
          indexUrl,
          "--cache-dir",
          cache,
          "--json"
        },
        {
          "build",
          "requirements.txt",
          "--runtime",
          "python3.12",
          "--index-url",
          indexUrl,
          "--cache-dir",
          cache
        },
        {"runtimes", "python3.11", "--json"},
      };
      int failures = 0;
      for (String[] args : runs) {
        StringWriter sink = new StringWriter();
        int code = Cli.execute(args, new PrintWriter(sink), new PrintWriter(sink), env, dir);
        if (code != 0) {
          failures++;
          context.err().println("training run failed: " + String.join(" ", args) + "\n" + sink);
        }
      }
      return failures == 0 ? 0 : 1;
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] wheel() throws IOException {
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

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
