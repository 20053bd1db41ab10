package dev.accretion.app.service;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.publish.PublishProject;
import dev.accretion.app.publish.PublishProjectRequest;
import dev.accretion.app.publish.PublishReport;
import dev.accretion.app.publish.PublishSettings;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Use case "build and publish a managed layer": a {@link LayerDefinition} (checked by {@link
 * DefineLayer}) is written as a project folder ({@code accretion.toml} and the listing) under a
 * work folder, then published like {@code accretion publish} in that folder ({@link
 * PublishProject}): built (a cache hit when unchanged), published only where the bytes are new, to
 * every region. Thread-safe; two calls must not share a work folder.
 */
public final class PublishDefinition {
  private final Environment environment;
  private final List<Path> plugins;

  public PublishDefinition(Environment environment) {
    this(environment, List.of());
  }

  /** Building with the builders of these plug-in jars too (absolute paths). */
  public PublishDefinition(Environment environment, List<Path> plugins) {
    this.environment = environment;
    this.plugins = List.copyOf(plugins);
  }

  /**
   * @param workDir an empty (or absent) folder that receives the project and its {@code dist/}
   * @param aws how to reach AWS (its project file is ignored: the definition is the project)
   * @param cacheDir the shared build cache, or null for the default
   * @param refresh resolve and build again even when the cache holds the build (a scheduled or
   *     upstream rebuild: an unpinned listing picks up new releases)
   */
  public record Request(
      LayerDefinition definition, Path workDir, AwsAccess aws, Path cacheDir, boolean refresh) {
    /** A request that uses a cached build. */
    public Request(LayerDefinition definition, Path workDir, AwsAccess aws, Path cacheDir) {
      this(definition, workDir, aws, cacheDir, false);
    }

    public Request {
      Objects.requireNonNull(definition, "definition");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** A file the build wrote: its name under {@code dist/}, sha256 (hex) and size. */
  public record Artifact(String file, String sha256, long size) {}

  /** What was published, region by region, and the files built. */
  public record Result(PublishReport report, List<Artifact> artifacts) {
    public Result {
      Objects.requireNonNull(report, "report");
      artifacts = List.copyOf(artifacts);
    }

    /** Whether every region of every Lambda layer succeeded. */
    public boolean ok() {
      return report.layers().stream().allMatch(l -> l.regions().stream().allMatch(r -> r.ok()));
    }

    /**
     * {@code {"artifacts": [{"file", "sha256", "size"}], "layers": [{"name", "digest", "regions":
     * [{"region", "layerVersionArn", "version", "published", "error"}]}]}}.
     */
    public String toJson() {
      return Json.write(tree());
    }

    public Map<String, Object> tree() {
      Map<String, Object> root = new LinkedHashMap<>();
      List<Map<String, Object>> files = new ArrayList<>();
      for (Artifact a : artifacts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", a.file());
        m.put("sha256", a.sha256());
        m.put("size", a.size());
        files.add(m);
      }
      root.put("artifacts", files);
      List<Map<String, Object>> layers = new ArrayList<>();
      for (PublishReport.Layer l : report.layers()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("digest", l.digest());
        List<Map<String, Object>> regions = new ArrayList<>();
        for (PublishReport.Region r : l.regions()) {
          Map<String, Object> rm = new LinkedHashMap<>();
          rm.put("region", r.region());
          rm.put("layerVersionArn", r.layerVersionArn());
          rm.put("version", r.version());
          rm.put("published", r.published());
          rm.put("error", r.error());
          regions.add(rm);
        }
        m.put("regions", regions);
        layers.add(m);
      }
      root.put("layers", layers);
      return root;
    }
  }

  /**
   * @throws InvalidDefinition a definition {@link DefineLayer} refuses
   * @throws AccretionException the build's failure, or a request that cannot be published; a region
   *     that fails is a failed entry of the report
   */
  public Result publish(Request request, ProgressListener listener) throws AccretionException {
    LayerDefinition d = new DefineLayer(plugins).check(request.definition()).definition();
    Path dir = request.workDir().toAbsolutePath().normalize();
    Path project = dir.resolve("accretion.toml");
    try {
      Files.createDirectories(dir);
      Files.writeString(project, DefineLayer.project(d, plugins).text(), StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve(d.listingFilename()), d.listingContent(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot write the layer's project in " + dir + ": " + e, e);
    }
    Environment inDir =
        new Environment(
            request.refresh() ? revalidating(environment.variables()) : environment.variables(),
            environment.home(),
            dir);
    AwsAccess aws = new AwsAccess(request.aws().profile(), request.aws().endpointUrl(), project);
    PublishReport report =
        new PublishProject(inDir)
            .publish(
                new PublishProjectRequest(
                    List.of(d.name()),
                    PublishSettings.none(),
                    aws,
                    request.cacheDir(),
                    request.refresh()),
                listener);
    return new Result(report, artifacts(dir.resolve("dist")));
  }

  /**
   * The variables of a rebuild that must see releases published a moment ago: npm's {@code
   * prefer-online} (the registry's package documents are revalidated instead of trusted for five
   * minutes) and Maven's {@code -U} in {@code MAVEN_ARGS} (a version range's metadata is checked
   * again instead of once a day). Python index pages are read anew by every build.
   */
  static Map<String, String> revalidating(Map<String, String> variables) {
    Map<String, String> out = new LinkedHashMap<>(variables);
    out.put("npm_config_prefer_online", "true");
    String args = out.getOrDefault("MAVEN_ARGS", "").strip();
    out.put("MAVEN_ARGS", args.isEmpty() ? "-U" : args + " -U");
    return out;
  }

  private static List<Artifact> artifacts(Path dist) throws AccretionException {
    List<Artifact> out = new ArrayList<>();
    if (!Files.isDirectory(dist)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dist)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
          byte[] buf = new byte[65536];
          for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
          }
        }
        out.add(
            new Artifact(
                f.getFileName().toString(), HexFormat.of().formatHex(sha.digest()), Files.size(f)));
      }
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + dist + ": " + e, e);
    }
    return out;
  }
}
