package dev.accretion.python.layer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a manifest written beside a zip back into a {@link BuiltArtifact} (for cache hits). */
final class ManifestReader {
  private ManifestReader() {}

  /**
   * @param manifest the {@code <base>.json} file
   * @param dir the folder the artifact's files are in
   * @throws IOException if the file cannot be read or is not such a manifest
   */
  static BuiltArtifact read(Path manifest, Path dir) throws IOException {
    JsonNode root = LayerDocuments.parse(Files.readAllBytes(manifest));
    if (!LayerDocuments.SCHEMA.equals(root.path("schema").asText())) {
      throw new IOException(manifest + " is not a " + LayerDocuments.SCHEMA + " manifest");
    }
    JsonNode artifact = required(root, "artifact");
    List<BuiltArtifact.PackageSize> packages = new ArrayList<>();
    for (JsonNode p : required(root, "packages")) {
      packages.add(
          new BuiltArtifact.PackageSize(
              text(p, "name"),
              text(p, "version"),
              p.path("unzippedBytes").asLong(),
              p.path("files").asInt()));
    }
    List<Path> locks = new ArrayList<>();
    for (JsonNode l : required(required(root, "files"), "locks")) {
      locks.add(dir.resolve(l.asText()));
    }
    return new BuiltArtifact(
        dir.resolve(text(artifact, "file")),
        manifest,
        dir.resolve(text(required(root, "files"), "sbom")),
        locks,
        strings(required(required(root, "targets"), "runtimes")),
        strings(required(required(root, "targets"), "architectures")),
        text(artifact, "sha256"),
        text(artifact, "codeSha256"),
        text(artifact, "contentDigest"),
        artifact.path("zippedBytes").asLong(),
        artifact.path("unzippedBytes").asLong(),
        required(root, "budget").path("budgetBytes").asLong(),
        packages,
        strings(required(root, "notes")),
        strings(required(root, "warnings")));
  }

  private static JsonNode required(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IOException("the manifest has no \"" + field + "\"");
    }
    return value;
  }

  private static String text(JsonNode node, String field) throws IOException {
    JsonNode value = required(node, field);
    if (!value.isTextual()) {
      throw new IOException("\"" + field + "\" is not a string in the manifest");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
