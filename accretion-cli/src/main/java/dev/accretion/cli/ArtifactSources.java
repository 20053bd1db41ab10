package dev.accretion.cli;

import dev.accretion.aws.project.ArtifactSource;

/**
 * Where {@code accretion publish} gets a project layer's zips. For now only prebuilt zips ({@code
 * artifact = "dist/x.zip"} in accretion.toml); the layer builder plugs in here as {@code
 * ArtifactSource.prebuiltOr(builder)} once it exists.
 */
final class ArtifactSources {
  private ArtifactSources() {}

  static ArtifactSource forProject(Context context) {
    return ArtifactSource.prebuilt();
  }
}
