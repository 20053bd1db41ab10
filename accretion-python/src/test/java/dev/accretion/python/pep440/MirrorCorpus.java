package dev.accretion.python.pep440;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real-world inputs: every wheel of the machine's local package mirror, found the way pip finds it
 * (the {@code file://} indexes and find-links folders of {@code pip config list}), with the version
 * of each wheel's filename and every {@code Requires-Dist} of each wheel's METADATA. Loaded once
 * per JVM.
 */
public final class MirrorCorpus {
  private static final Pattern CONFIG_LINE = Pattern.compile("^[^=]*?([a-z-]+)='(.*)'$");
  private static final Pattern HREF = Pattern.compile("href=\"([^\"#]+)[^\"]*\"");

  private static MirrorCorpus loaded;

  /** Every wheel file, sorted. */
  public final List<Path> wheels;

  /** The version part of every wheel filename, one per wheel, in wheel order. */
  public final List<String> wheelVersions;

  private List<String> requiresDist;

  private MirrorCorpus(List<Path> wheels, List<String> versions) {
    this.wheels = wheels;
    this.wheelVersions = versions;
  }

  /** Every distinct Requires-Dist value of every wheel's METADATA, in a stable order. */
  public synchronized List<String> requiresDist() {
    if (requiresDist == null) {
      Set<String> requires = new LinkedHashSet<>();
      try {
        for (Path wheel : wheels) {
          requires.addAll(requiresDist(wheel));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      requiresDist = List.copyOf(requires);
    }
    return requiresDist;
  }

  public static synchronized MirrorCorpus load() {
    if (loaded == null) {
      try {
        loaded = read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  private static MirrorCorpus read() throws IOException {
    Python.Result config = Python.of("3.11").run(List.of("-m", "pip", "config", "list"), null);
    assertThat(config.code()).as("pip config list: " + config.stderr()).isZero();
    Set<Path> wheels = new TreeSet<>();
    for (String line : config.stdout().split("\n")) {
      Matcher m = CONFIG_LINE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String key = m.group(1);
      for (String value : m.group(2).split("\\s+")) {
        if (value.isEmpty()) {
          continue;
        }
        if (key.endsWith("index-url") && value.startsWith("file:")) {
          wheels.addAll(indexWheels(Path.of(URI.create(value))));
        } else if (key.equals("find-links")) {
          Path dir = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
              files.filter(f -> f.toString().endsWith(".whl")).forEach(wheels::add);
            }
          }
        }
      }
    }
    assertThat(wheels)
        .as("wheels of the local mirror named by pip config list:\n" + config.stdout())
        .hasSizeGreaterThan(100);
    List<String> versions = new ArrayList<>();
    for (Path wheel : wheels) {
      versions.add(wheel.getFileName().toString().split("-")[1]);
    }
    return new MirrorCorpus(List.copyOf(wheels), List.copyOf(versions));
  }

  /** The wheels a PEP 503 {@code file://} index links to from its project pages. */
  private static Set<Path> indexWheels(Path simple) throws IOException {
    Set<Path> out = new TreeSet<>();
    if (!Files.isDirectory(simple)) {
      return out;
    }
    try (Stream<Path> projects = Files.list(simple)) {
      for (Path project : projects.toList()) {
        Path page = project.resolve("index.html");
        if (!Files.isRegularFile(page)) {
          continue;
        }
        Matcher m = HREF.matcher(Files.readString(page));
        while (m.find()) {
          URI target = page.toUri().resolve(m.group(1));
          if (!"file".equals(target.getScheme())) {
            continue;
          }
          Path file = Path.of(target);
          if (file.toString().endsWith(".whl") && Files.isRegularFile(file)) {
            out.add(file.normalize());
          }
        }
      }
    }
    return out;
  }

  private static List<String> requiresDist(Path wheel) throws IOException {
    List<String> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      ZipEntry metadata =
          zip.stream()
              .filter(e -> e.getName().matches("[^/]+\\.dist-info/METADATA"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no METADATA in " + wheel));
      String text;
      try (InputStream in = zip.getInputStream(metadata)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String current = null;
      for (String line : text.split("\r?\n", -1)) {
        if (line.isEmpty()) {
          break;
        }
        if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
          current = current + " " + line.strip();
          continue;
        }
        if (current != null) {
          out.add(current);
          current = null;
        }
        if (line.regionMatches(true, 0, "Requires-Dist:", 0, 14)) {
          current = line.substring(14).strip();
        }
      }
      if (current != null) {
        out.add(current);
      }
    }
    return out;
  }
}
