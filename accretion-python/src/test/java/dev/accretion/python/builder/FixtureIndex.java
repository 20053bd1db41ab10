package dev.accretion.python.builder;

import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.resolve.IndexStrategy;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code file://} index of test wheels plus everything a build request needs, isolated from the
 * machine's pip configuration ({@code PIP_CONFIG_FILE=/dev/null}). Not thread-safe.
 */
final class FixtureIndex {
  final Path root;
  final SimpleIndexBuilder index;
  final Path out;
  final Path cacheDir;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  FixtureIndex(Path root) throws IOException {
    this.root = root;
    this.index = new SimpleIndexBuilder(root.resolve("index"));
    this.out = root.resolve("out");
    this.cacheDir = root.resolve("cache");
    Files.createDirectories(root.resolve("index").resolve("simple"));
  }

  private final Map<String, List<String>> anchors = new java.util.TreeMap<>();

  /**
   * Publishes {@code wheel} with a PEP 658 metadata file holding the metadata its filename promises
   * (Name and Version of the filename), as PyPI serves it: resolution reads that file and never
   * opens the wheel, so whatever is broken inside reaches the build's own checks.
   */
  FixtureIndex add(TestWheel wheel) throws IOException {
    String project = wheel.name.replaceAll("[-_.]+", "-").toLowerCase(java.util.Locale.ROOT);
    Path files = Files.createDirectories(root.resolve("index/files"));
    byte[] bytes = wheel.bytes();
    Files.write(files.resolve(wheel.filename()), bytes);
    StringBuilder meta =
        new StringBuilder("Metadata-Version: 2.1\nName: ")
            .append(wheel.name)
            .append("\nVersion: ")
            .append(wheel.version)
            .append('\n');
    for (String line : wheel.metadataLines) {
      meta.append(line).append('\n');
    }
    byte[] metadata = meta.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(files.resolve(wheel.filename() + ".metadata"), metadata);
    anchors
        .computeIfAbsent(project, k -> new ArrayList<>())
        .add(
            "<a href=\"../../files/"
                + wheel.filename()
                + "#sha256="
                + WheelBuilder.sha256Hex(bytes)
                + "\" data-dist-info-metadata=\"sha256="
                + WheelBuilder.sha256Hex(metadata)
                + "\">"
                + wheel.filename()
                + "</a>");
    for (Map.Entry<String, List<String>> e : anchors.entrySet()) {
      Path dir = Files.createDirectories(root.resolve("index/simple").resolve(e.getKey()));
      Files.writeString(
          dir.resolve("index.html"),
          "<!DOCTYPE html><html><body>\n" + String.join("\n", e.getValue()) + "\n</body></html>\n");
    }
    return this;
  }

  Path listing(String text) throws IOException {
    Path dir = Files.createDirectories(root.resolve("proj"));
    Path file = dir.resolve("requirements.txt");
    Files.writeString(file, text);
    return file;
  }

  Locker.Options options() {
    return new Locker.Options(
        null,
        Set.of(),
        Set.of(),
        new Locker.IndexOverrides(index.url(), List.of(), List.of(), false),
        IndexStrategy.FIRST_INDEX,
        false,
        null,
        Map.of("PIP_CONFIG_FILE", "/dev/null"),
        root.resolve("home"),
        root,
        null);
  }

  static List<Target> targets(String... specs) throws Exception {
    List<Target> list = new ArrayList<>();
    for (String s : specs) {
      String[] p = s.split("/");
      list.add(RuntimeMatrix.load().target(p[0], p[1]));
    }
    return list;
  }

  TestRequest request(Path listing, String... targets) throws Exception {
    return TestRequest.of(listing, options(), targets(targets), out);
  }

  static TestRequest with(
      TestRequest r,
      Layout layout,
      boolean scripts,
      List<String> excludes,
      Slimming slimming,
      long reserve,
      boolean allowBadRecord,
      boolean refresh) {
    return new TestRequest(
        r.listing(),
        r.locker(),
        r.targets(),
        r.name(),
        r.outputDir(),
        layout,
        scripts,
        excludes,
        slimming,
        reserve,
        allowBadRecord,
        refresh);
  }

  /** Builds {@code r} through the layer pipeline and the Python builder. */
  BuildResult build(TestRequest r) throws Exception {
    return new LayerPipeline(BuilderRegistry.load()).build(r.toPipeline(cacheDir, events::add));
  }
}
