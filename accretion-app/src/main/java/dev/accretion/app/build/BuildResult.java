package dev.accretion.app.build;

import dev.accretion.app.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a build produced. Immutable.
 *
 * @param layerName the layer name used
 * @param artifacts one per distinct content; targets whose files came out identical share one
 * @param fromCache true when the files came from the cache (nothing resolved or assembled)
 * @param warnings everything the user should look at, across artifacts
 * @param elapsedMillis the whole build
 */
public record BuildResult(
    String layerName,
    List<Artifact> artifacts,
    boolean fromCache,
    List<String> warnings,
    long elapsedMillis) {
  public BuildResult {
    Objects.requireNonNull(layerName, "layerName");
    artifacts = List.copyOf(artifacts);
    warnings = List.copyOf(warnings);
  }

  /** Lambda's unzipped limit for a function and its layers: 250 MiB. */
  public static final long LAMBDA_UNZIPPED_BYTES = 262_144_000L;

  /**
   * One layer zip and what is inside.
   *
   * @param zip the zip; beside it the manifest ({@code .json}), SBOM ({@code .cdx.json}) and locks
   * @param runtimes the runtimes it serves
   * @param architectures the architectures it serves
   * @param sha256 hex SHA-256 of the zip
   * @param codeSha256 the same digest as Lambda reports it (base64)
   * @param contentDigest the compression-independent content digest
   * @param budgetBytes the unzipped budget it was checked against (250 MiB minus the reserve)
   * @param needsS3Upload over Lambda's 50 MiB direct-upload limit
   * @param packages what is installed, by name
   * @param notes what was left out or merged
   */
  public record Artifact(
      Path zip,
      List<String> runtimes,
      List<String> architectures,
      String sha256,
      String codeSha256,
      String contentDigest,
      long zippedBytes,
      long unzippedBytes,
      long budgetBytes,
      boolean needsS3Upload,
      List<PackageSize> packages,
      List<String> notes) {
    public Artifact {
      Objects.requireNonNull(zip, "zip");
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
      packages = List.copyOf(packages);
      notes = List.copyOf(notes);
    }
  }

  /** One installed package and the unzipped bytes and files it takes. */
  public record PackageSize(String name, String version, long unzippedBytes, int files) {}

  /**
   * The documented {@code build --json} document, exactly: {@code {"artifacts": [{"path",
   * "runtimes", "architectures", "sha256", "codeSha256", "contentDigest", "zippedBytes",
   * "unzippedBytes", "packages": [{"name", "version"}]}]}}.
   */
  public String toJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Artifact a : artifacts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", a.zip().toString());
      m.put("runtimes", a.runtimes());
      m.put("architectures", a.architectures());
      m.put("sha256", a.sha256());
      m.put("codeSha256", a.codeSha256());
      m.put("contentDigest", a.contentDigest());
      m.put("zippedBytes", a.zippedBytes());
      m.put("unzippedBytes", a.unzippedBytes());
      List<Map<String, Object>> packages = new ArrayList<>();
      for (PackageSize p : a.packages()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("name", p.name());
        pm.put("version", p.version());
        packages.add(pm);
      }
      m.put("packages", packages);
      list.add(m);
    }
    return Json.write(Map.of("artifacts", list));
  }
}
