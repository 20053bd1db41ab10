package dev.accretion.app.service;

import dev.accretion.app.TargetSpec;
import dev.accretion.app.build.Registry;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.spi.Builder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Use case "define a managed layer": checks a {@link LayerDefinition} the way {@code
 * accretion.toml} checks a layer (it is turned into the project file text that says the same and
 * read by {@link ProjectFile}), plus what only a definition given as text needs: a plain listing
 * file name that a builder recognises, a listing under {@value #MAX_LISTING_BYTES} bytes, targets
 * that are every runtime × architecture pair. Writes nothing. Thread-safe.
 */
public final class DefineLayer {
  /** The most bytes a listing given as text may have. */
  public static final int MAX_LISTING_BYTES = 1 << 20;

  /** The builders that ship with Accretion and never run code of the listing. */
  public static final Set<String> BUILT_IN_LANGUAGE_BUILDERS = Set.of("python", "nodejs", "java");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,140}");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern LINE = Pattern.compile("accretion\\.toml:(\\d+):");
  private static final Map<List<Path>, BuilderRegistry> REGISTRIES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Path> plugins;

  /** Checks against the built-in builders. */
  public DefineLayer() {
    this(List.of());
  }

  /**
   * Checks against the built-in builders and those of these plug-in jars (absolute paths; each set
   * loaded once per process).
   */
  public DefineLayer(List<Path> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  private BuilderRegistry registry() throws AccretionException {
    if (plugins.isEmpty()) {
      return Registry.get();
    }
    BuilderRegistry r = REGISTRIES.get(plugins);
    if (r == null) {
      r = Registry.with(plugins);
      BuilderRegistry before = REGISTRIES.putIfAbsent(plugins, r);
      r = before != null ? before : r;
    }
    return r;
  }

  /**
   * A definition that passed.
   *
   * @param builderId the builder that will build it
   * @param runsCode true when that builder is not one of {@link #BUILT_IN_LANGUAGE_BUILDERS}: it
   *     runs code on the machine that builds (a command builder, a plug-in)
   */
  public record Result(LayerDefinition definition, String builderId, boolean runsCode) {}

  /**
   * @throws InvalidDefinition naming the field (a JSON pointer) and what is wrong with it: of kind
   *     {@link FailureKind#USAGE} for bad values, {@link FailureKind#TOO_LARGE} for a listing over
   *     the limit
   */
  public Result check(LayerDefinition d) throws InvalidDefinition {
    if (!NAME.matcher(d.name()).matches()) {
      throw new InvalidDefinition(
          FailureKind.USAGE,
          "/name",
          "invalid layer name '" + printable(d.name()) + "'",
          "use 1 to 140 characters of a-z, A-Z, 0-9, '-' and '_'");
    }
    if (!FILE_NAME.matcher(d.listingFilename()).matches() || d.listingFilename().contains("..")) {
      throw new InvalidDefinition(
          FailureKind.USAGE,
          "/listing/filename",
          "invalid listing file name '" + printable(d.listingFilename()) + "'",
          "give a plain file name such as requirements.txt, package-lock.json or pom.xml");
    }
    if (d.listingContent().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > MAX_LISTING_BYTES) {
      throw new InvalidDefinition(
          FailureKind.TOO_LARGE,
          "/listing/content",
          "the listing is over " + MAX_LISTING_BYTES + " bytes",
          "a dependency listing is small: give the listing, not the packages");
    }
    Builder builder;
    try {
      builder = registry().choose(d.builder(), Path.of(d.listingFilename()), null);
    } catch (AccretionException e) {
      throw new InvalidDefinition(
          FailureKind.USAGE,
          d.builder() != null ? "/builder" : "/listing/filename",
          e.problem(),
          e.advice());
    }
    if (d.targets().isEmpty()) {
      throw new InvalidDefinition(
          FailureKind.USAGE,
          "/targets",
          "no targets",
          "give at least one {\"runtime\": \"python3.12\", \"arch\": \"x86_64\"}");
    }
    List<String> runtimes = d.runtimes();
    List<String> archs = d.architectures();
    if (runtimes.size() * archs.size() != d.targets().stream().distinct().count()
        || d.targets().size() != d.targets().stream().distinct().count()) {
      throw new InvalidDefinition(
          FailureKind.USAGE,
          "/targets",
          "the targets are not every runtime × architecture pair, each once",
          "list each of the runtimes "
              + runtimes
              + " with each of the architectures "
              + archs
              + " (as accretion.toml's runtimes and architectures)");
    }
    try {
      BuilderRegistry.checkTargets(
          builder,
          TargetSpec.product(runtimes, archs).targets(RuntimeMatrix.load()),
          Path.of(d.listingFilename()));
    } catch (AccretionException e) {
      throw new InvalidDefinition(FailureKind.USAGE, "/targets", e.problem(), e.advice());
    }
    if (d.regions().isEmpty()) {
      throw new InvalidDefinition(
          FailureKind.USAGE, "/regions", "no regions", "give the regions to publish to");
    }
    Project project = project(d, plugins);
    try {
      ProjectFile.parse(Path.of("accretion.toml"), project.text(), Map.of());
    } catch (AccretionException e) {
      Matcher m = LINE.matcher(e.problem());
      String pointer = "";
      if (m.find()) {
        int line = Integer.parseInt(m.group(1));
        if (line >= 1 && line <= project.pointers().size()) {
          pointer = project.pointers().get(line - 1);
        }
      }
      throw new InvalidDefinition(
          FailureKind.USAGE,
          pointer,
          e.problem().replaceAll("accretion\\.toml:\\d+: layers\\.[A-Za-z0-9_-]+\\.", ""),
          e.advice());
    }
    return new Result(d, builder.id(), !BUILT_IN_LANGUAGE_BUILDERS.contains(builder.id()));
  }

  /** The project file text of a definition, and per line the JSON pointer it came from. */
  record Project(String text, List<String> pointers) {}

  static Project project(LayerDefinition d) {
    return project(d, List.of());
  }

  /** The same, naming builder plug-in jars ({@code builders = [...]}) when there are any. */
  static Project project(LayerDefinition d, List<Path> plugins) {
    List<String> lines = new ArrayList<>();
    List<String> pointers = new ArrayList<>();
    if (!plugins.isEmpty()) {
      add(
          lines,
          pointers,
          "builders = " + list(plugins.stream().map(Path::toString).toList()),
          "/builder");
    }
    add(lines, pointers, "[layers." + d.name() + "]", "/name");
    add(lines, pointers, "listing = " + str(d.listingFilename()), "/listing/filename");
    add(lines, pointers, "runtimes = " + list(d.runtimes()), "/targets");
    add(lines, pointers, "architectures = " + list(d.architectures()), "/targets");
    add(lines, pointers, "regions = " + list(d.regions()), "/regions");
    if (!d.sharing().isEmpty()) {
      add(lines, pointers, "sharing = " + list(d.sharing()), "/sharing");
    }
    if (d.description() != null) {
      add(lines, pointers, "description = " + str(d.description()), "/description");
    }
    if (d.license() != null) {
      add(lines, pointers, "license = " + str(d.license()), "/license");
    }
    if (d.sns() != null) {
      add(lines, pointers, "sns = " + d.sns(), "/sns");
    }
    if (d.schedule() != null) {
      add(lines, pointers, "schedule = " + str(d.schedule()), "/schedule");
    }
    return new Project(String.join("\n", lines) + "\n", pointers);
  }

  private static void add(List<String> lines, List<String> pointers, String line, String ptr) {
    lines.add(line);
    pointers.add(ptr);
  }

  private static String list(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(str(v));
    }
    return "[" + String.join(", ", out) + "]";
  }

  /** A TOML basic string: quotes, backslashes and control characters escaped. */
  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static String printable(String s) {
    String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
