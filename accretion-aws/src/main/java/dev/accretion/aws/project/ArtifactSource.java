package dev.accretion.aws.project;

import dev.accretion.core.AccretionException;
import dev.accretion.core.artifact.BuiltArtifact;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the built zips of a project layer come from: a builder (listing + targets → zips, plugged
 * in by the CLI or the server, which wire the language builders), or prebuilt zips named by the
 * layer's {@code artifact} key.
 *
 * <p>Contract: for a layer, return artifacts that together serve every target of the layer ({@code
 * runtimes × architectures}) exactly once; an artifact whose contents serve several runtimes or
 * both architectures lists them all (one zip, one layer version listing all of them). {@link
 * LayerNaming} turns the artifacts into Lambda layer names. Implementations must be thread-safe:
 * layers may be asked for concurrently.
 */
@FunctionalInterface
public interface ArtifactSource {
  /**
   * The built artifacts of a layer.
   *
   * @throws AccretionException when the layer cannot be built or its zips cannot be read, saying
   *     what to do
   */
  List<BuiltArtifact> artifacts(ProjectFile.LayerConfig layer) throws AccretionException;

  /**
   * The layer's prebuilt zips ({@code artifact = "dist/x.zip"}), read with {@link
   * BuiltArtifact#read}; layers without {@code artifact} are handed to {@code builder}.
   */
  static ArtifactSource prebuiltOr(ArtifactSource builder) {
    return layer -> {
      if (layer.artifacts().isEmpty()) {
        return builder.artifacts(layer);
      }
      List<BuiltArtifact> out = new ArrayList<>();
      for (var zip : layer.artifacts()) {
        out.add(BuiltArtifact.read(zip));
      }
      return out;
    };
  }

  /**
   * Only prebuilt zips: a layer that names a listing and no {@code artifact} is refused with a
   * message saying how to build it first.
   */
  static ArtifactSource prebuilt() {
    return prebuiltOr(
        layer -> {
          throw new AccretionException(
              layer.where()
                  + ": has no artifact, and building "
                  + (layer.listing() == null ? "it" : layer.listing().getFileName().toString())
                  + " needs a builder, and this publisher was set up with prebuilt zips only: build the zip with"
                  + " 'accretion build' and name it with artifact = \"dist/<name>.zip\"");
        });
  }
}
