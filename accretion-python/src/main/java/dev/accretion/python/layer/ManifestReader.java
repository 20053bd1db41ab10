package dev.accretion.python.layer;

import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a manifest written beside a zip back into a {@link BuiltArtifact} (for cache hits). */
final class ManifestReader {
  private ManifestReader() {}

  /**
   * @param manifest the {@code <base>.json} file
   * @param dir the folder the artifact's files are in
   * @throws IOException if the file cannot be read or is not such a manifest
   */
  static BuiltArtifact read(Path manifest, Path dir) throws IOException, AccretionException {
    byte[] bytes = Files.readAllBytes(manifest);
    if (!new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
        .contains("\"schema\" : \"" + LayerDocuments.SCHEMA + "\"")) {
      throw new IOException(manifest + " is not a " + LayerDocuments.SCHEMA + " manifest");
    }
    String name = manifest.getFileName().toString();
    Path zip = dir.resolve(name.substring(0, name.length() - ".json".length()) + ".zip");
    return BuiltArtifact.read(zip, manifest, bytes);
  }
}
