package dev.accretion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Finds and reads Accretion's manifests ({@code accretion/<name>/manifest.json}) in a zip. */
final class ManifestReader {
  static final String V1 = "accretion/layer-manifest/v1";
  static final String V2 = "accretion/layer-manifest/v2";
  private static final Pattern PATH = Pattern.compile("accretion/[^/]+/manifest\\.json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestReader() {}

  /** The manifests found, and problems with ones that could not be read. */
  record Found(List<LayerManifest> manifests, List<ContentProblem> problems) {}

  static Found read(LayerContent content) throws AccretionException {
    List<ContentEntry> candidates =
        content.entries().stream()
            .filter(e -> e.isFile() && PATH.matcher(e.path()).matches())
            .toList();
    List<LayerManifest> manifests = new ArrayList<>();
    List<ContentProblem> problems = new ArrayList<>();
    if (candidates.isEmpty()) {
      return new Found(manifests, problems);
    }
    content.read(
        candidates,
        16 << 20,
        new LayerContent.Reader() {
          @Override
          public void read(ContentEntry entry, java.io.InputStream in) throws IOException {
            try {
              manifests.add(parse(entry.path(), MAPPER.readTree(in)));
            } catch (IOException | IllegalArgumentException e) {
              problems.add(
                  ContentProblem.warning(
                      "manifest-unreadable",
                      entry.path(),
                      null,
                      "Accretion's manifest " + entry.path() + " cannot be read: " + e.getMessage(),
                      "the packages below come from the content alone"));
            }
          }

          @Override
          public void skipped(ContentEntry entry, String why) {
            problems.add(
                ContentProblem.warning(
                    "manifest-unreadable",
                    entry.path(),
                    null,
                    "Accretion's manifest " + entry.path() + " was not read: " + why,
                    null));
          }
        });
    manifests.sort(java.util.Comparator.comparing(LayerManifest::path));
    return new Found(manifests, problems);
  }

  static LayerManifest parse(String path, JsonNode root) {
    String schema = root.path("schema").asText("");
    if (!schema.equals(V1) && !schema.equals(V2)) {
      throw new IllegalArgumentException("its schema is '" + schema + "', not " + V1 + " or " + V2);
    }
    boolean v1 = schema.equals(V1);
    JsonNode builder = root.path("builder");
    String builderId = v1 ? "python" : builder.path("id").asText("");
    String builderVersion =
        builder.path("version").isTextual() ? builder.path("version").asText() : null;
    List<LayerManifest.Package> packages = new ArrayList<>();
    for (JsonNode p : root.path("packages")) {
      String name = p.path("name").asText("");
      String version = p.path("version").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a package entry has no name");
      }
      String ecosystem = v1 ? "pypi" : p.path("ecosystem").asText("generic");
      String purl =
          p.path("purl").isTextual() ? p.path("purl").asText() : Purls.of(ecosystem, name, version);
      packages.add(new LayerManifest.Package(ecosystem, name, version, purl));
    }
    return new LayerManifest(
        path,
        schema,
        root.path("layer").asText(""),
        builderId,
        builderVersion,
        strings(root.path("targets").path("runtimes")),
        strings(root.path("targets").path("architectures")),
        packages);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
