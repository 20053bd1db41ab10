package dev.accretion.python.lock;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.python.PackageName;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.resolve.IndexStrategy;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files the lock fixtures refer to: real wheels of the machine's local mirror (found through
 * the pip configuration, as pip would) and wheels generated for the targets the mirror lacks
 * (aarch64, cp312), on a {@code file://} index of their own. Fixture templates name files with
 * {@code {{url:FILE}}}, {@code {{sha256:FILE}}}, {@code {{size:FILE}}}, {@code {{path:FILE}}} and
 * {@code {{index:FILE}}} (the index that lists the file).
 */
final class LockScenario {
  static final Map<String, String> ENV = System.getenv();
  static final Path HOME = Path.of(System.getProperty("user.home"));

  /** Mirror wheels the fixtures use (pure Python, plus one cp311 x86_64-only wheel). */
  static final List<String> MIRROR_FILES =
      List.of(
          "six-1.17.0-py2.py3-none-any.whl",
          "python_dateutil-2.9.0.post0-py2.py3-none-any.whl",
          "typing_extensions-4.16.0-py3-none-any.whl",
          "boto3-1.43.107-py3-none-any.whl",
          "botocore-1.43.107-py3-none-any.whl",
          "jmespath-1.1.0-py3-none-any.whl",
          "s3transfer-0.19.2-py3-none-any.whl",
          "urllib3-2.8.0-py3-none-any.whl",
          "colorama-0.4.6-py2.py3-none-any.whl",
          "requests-2.34.2-py3-none-any.whl",
          "idna-3.20-py3-none-any.whl",
          "certifi-2026.7.22-py3-none-any.whl",
          "charset_normalizer-3.5.2-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl");

  record Facts(URI url, String sha256, long size, URI index) {}

  private static Map<String, Facts> mirror;

  final Path dir;
  final SimpleIndexBuilder generated;
  final Map<String, Facts> facts = new HashMap<>();

  LockScenario(Path dir) throws Exception {
    this.dir = dir;
    this.generated = new SimpleIndexBuilder(dir.resolve("generated-index"));
    facts.putAll(mirror());
    add(
        wheel("fastcodec", "1.5")
            .tag("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64")
            .requiresPython(">=3.11"));
    add(
        wheel("fastcodec", "1.5")
            .tag("cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64")
            .requiresPython(">=3.11"));
    add(
        wheel("fastcodec", "2.0")
            .tag("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
            .requiresPython(">=3.12"));
    add(
        wheel("fastcodec", "2.0")
            .tag("cp312-cp312-manylinux_2_28_aarch64")
            .requiresPython(">=3.12"));
    add(
        wheel("fastcodec", "2.0")
            .tag("cp313-cp313-manylinux_2_28_x86_64")
            .requiresPython(">=3.12"));
    add(wheel("x86-helper", "1.0").metadata("License-Expression: MIT"));
    add(wheel("arm-helper", "1.0").metadata("License-Expression: MIT"));
    generated.addFile(
        "legacy-thing",
        "legacy_thing-0.9.tar.gz",
        "not really a tarball".getBytes(StandardCharsets.UTF_8));
    Path sdist = generated.root().resolve("files").resolve("legacy_thing-0.9.tar.gz");
    facts.put(
        "legacy_thing-0.9.tar.gz",
        new Facts(
            sdist.toUri(),
            WheelBuilder.sha256Hex(Files.readAllBytes(sdist)),
            Files.size(sdist),
            URI.create(generated.url())));
  }

  /** Adds a generated wheel to the scenario's index. */
  void add(WheelBuilder wheel) throws IOException {
    generated.add(wheel);
    Path file = generated.root().resolve("files").resolve(wheel.filename());
    facts.put(
        wheel.filename(),
        new Facts(
            file.toUri(),
            WheelBuilder.sha256Hex(Files.readAllBytes(file)),
            Files.size(file),
            URI.create(generated.url())));
  }

  /** The mirror's facts, read once through the machine's pip configuration. */
  static synchronized Map<String, Facts> mirror() throws Exception {
    if (mirror != null) {
      return mirror;
    }
    List<String> indexes = mirrorIndexes();
    Map<String, Facts> out = new HashMap<>();
    SimpleIndexClient.Builder builder = SimpleIndexClient.builder();
    indexes.forEach(builder::addIndexUrl);
    try (SimpleIndexClient client = builder.build()) {
      for (String filename : MIRROR_FILES) {
        PackageName project = PackageName.of(filename.substring(0, filename.indexOf('-')));
        Facts found = null;
        for (ProjectPage page : client.pages(project)) {
          for (IndexFile f : page.files()) {
            if (f.filename().equals(filename) && found == null) {
              found =
                  new Facts(
                      f.url(), f.sha256().orElseThrow(), Files.size(Path.of(f.url())), f.index());
            }
          }
        }
        assertThat(found).as("the local mirror (%s) must have %s", indexes, filename).isNotNull();
        out.put(filename, found);
      }
    }
    mirror = Map.copyOf(out);
    return mirror;
  }

  /** The mirror's file:// indexes, as the machine's pip configuration names them. */
  static List<String> mirrorIndexes() throws Exception {
    PipConfiguration pip = PipConfiguration.load(ENV, HOME);
    List<String> out = new ArrayList<>();
    if (pip.indexUrl() != null && pip.indexUrl().startsWith("file:")) {
      out.add(pip.indexUrl());
    }
    for (String u : pip.extraIndexUrls()) {
      if (u.startsWith("file:")) {
        out.add(u);
      }
    }
    assertThat(out).as("pip's configuration names the local mirror's file:// indexes").isNotEmpty();
    return out;
  }

  private static final Pattern TOKEN =
      Pattern.compile("\\{\\{(url|sha256|size|path|index|dir)(?::([^}]+))?\\}\\}");

  /** The template with every token replaced; an unknown file fails the test. */
  String render(String template) {
    Matcher m = TOKEN.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      if (kind.equals("dir")) {
        m.appendReplacement(out, Matcher.quoteReplacement(dir.toString()));
        continue;
      }
      Facts f = facts.get(m.group(2));
      assertThat(f).as("fixture file %s", m.group(2)).isNotNull();
      String value =
          switch (kind) {
            case "url" -> f.url().toString();
            case "sha256" -> f.sha256();
            case "size" -> Long.toString(f.size());
            case "path" -> Path.of(f.url()).toString();
            default -> stripSlash(f.index().toString());
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = LockScenario.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Renders a fixture resource into {@code <dir>/<project>/<filename>}. */
  Path fixture(String resource, String project, String filename) throws IOException {
    return write(render(resource(resource)), project, filename);
  }

  Path write(String text, String project, String filename) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(project));
    Path file = folder.resolve(filename);
    Files.writeString(file, text);
    return file;
  }

  static PythonTarget target(String runtime, String arch) throws Exception {
    return PythonTarget.of(RuntimeMatrix.load().target(runtime, arch));
  }

  /** Locker options: the generated index first, then the mirror (no PyPI). */
  Locker.Options options(Set<String> extras, Set<String> groups) throws Exception {
    return new Locker.Options(
        (ListingFormat) null,
        extras,
        groups,
        new Locker.IndexOverrides(generated.url(), mirrorIndexes(), List.of(), false),
        IndexStrategy.FIRST_INDEX,
        false,
        null,
        ENV,
        HOME,
        dir,
        null);
  }

  Resolution lock(Path file, String runtime, String arch, Set<String> extras, Set<String> groups)
      throws Exception {
    try (Locker locker = Locker.open(file, options(extras, groups))) {
      return locker.resolve(target(runtime, arch));
    }
  }

  Resolution lock(Path file, String runtime, String arch) throws Exception {
    return lock(file, runtime, arch, Set.of(), Set.of());
  }

  /** name → version of a resolution. */
  static Map<String, String> versions(Resolution r) {
    Map<String, String> out = new TreeMap<>();
    for (ResolvedPackage p : r.packages()) {
      out.put(p.name().normalized(), p.version().toString());
    }
    return out;
  }

  /** name → chosen wheel file name. */
  static Map<String, String> wheels(Resolution r) {
    Map<String, String> out = new TreeMap<>();
    for (ResolvedPackage p : r.packages()) {
      out.put(p.name().normalized(), p.distribution().file().filename());
    }
    return out;
  }

  static Optional<ResolvedPackage> find(Resolution r, String name) {
    return r.packages().stream().filter(p -> p.name().normalized().equals(name)).findFirst();
  }

  static Set<String> names(Resolution r) {
    return new LinkedHashSet<>(versions(r).keySet());
  }
}
