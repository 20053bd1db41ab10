package dev.accretion.python.layer;

import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
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
  final List<LayerBuildEvent> events = Collections.synchronizedList(new ArrayList<>());

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

  LayerBuildRequest request(Path listing, String... targets) throws Exception {
    return LayerBuildRequest.of(listing, options(), targets(targets), out);
  }

  static LayerBuildRequest with(
      LayerBuildRequest r,
      Layout layout,
      boolean scripts,
      List<String> excludes,
      Slimming slimming,
      long reserve,
      boolean allowBadRecord,
      boolean refresh) {
    return new LayerBuildRequest(
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

  Cache cache() throws Exception {
    return Cache.open(CacheLocation.of(cacheDir), CacheListener.none());
  }

  LayerBuildResult build(LayerBuildRequest request) throws Exception {
    return new PythonLayerBuilder(cache(), events::add).build(request);
  }

  final List<dev.accretion.pipeline.spi.BuildEvent> pipelineEvents =
      Collections.synchronizedList(new ArrayList<>());

  /** The same request through the layer pipeline and the Python builder, into {@code out}. */
  dev.accretion.pipeline.BuildResult buildWithPipeline(LayerBuildRequest r, Path out)
      throws Exception {
    Locker.Options o = r.locker();
    java.util.Map<String, List<String>> options = new java.util.TreeMap<>();
    if (o.overrides().indexUrl() != null) {
      options.put("index-url", List.of(o.overrides().indexUrl()));
    }
    options.put("layout", List.of(r.layout().cliName()));
    options.put("scripts", List.of(Boolean.toString(r.scripts())));
    options.put("slim", List.of(Boolean.toString(r.slimming().slim())));
    if (!r.slimming().patterns().isEmpty()) {
      options.put("slim-pattern", r.slimming().patterns());
    }
    options.put("allow-bad-record", List.of(Boolean.toString(r.allowBadRecord())));
    dev.accretion.pipeline.spi.BuildContext context =
        new dev.accretion.pipeline.spi.BuildContext(
            o.env(), o.home(), o.workingDirectory(), cacheDir, pipelineEvents::add);
    dev.accretion.pipeline.BuildRequest request =
        dev.accretion.pipeline.BuildRequest.of(r.listing(), r.targets(), out, context)
            .withName(r.name())
            .withOptions(dev.accretion.pipeline.spi.BuilderOptions.of(options))
            .withExcludes(r.excludes())
            .withReserveBytes(r.reserveBytes())
            .withRefresh(r.refresh());
    return new dev.accretion.pipeline.LayerPipeline(dev.accretion.pipeline.BuilderRegistry.load())
        .build(request);
  }
}
