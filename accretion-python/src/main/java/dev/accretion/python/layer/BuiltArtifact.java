package dev.accretion.python.layer;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One layer zip a build wrote (or copied from the cache), with its side files and what is inside.
 * Immutable.
 *
 * @param zip the layer zip
 * @param manifest the manifest beside it ({@code .json})
 * @param sbom the CycloneDX SBOM beside it ({@code .cdx.json})
 * @param locks the pylock.toml of each target it serves
 * @param runtimes the Lambda runtimes it serves, in runtime-matrix order
 * @param architectures the architectures it serves ({@code x86_64}, {@code arm64})
 * @param sha256 lowercase hex SHA-256 of the zip
 * @param codeSha256 the same digest as Lambda reports it ({@code CodeSha256}: base64)
 * @param contentDigest the compression-independent content digest (see {@code
 *     ReproducibleZipWriter})
 * @param zippedBytes size of the zip
 * @param unzippedBytes total size of the files in the zip
 * @param budgetBytes the unzipped budget it was checked against (262,144,000 minus the reserve)
 * @param packages what is installed, by name
 * @param notes what was left out or merged
 * @param warnings what the user should look at (bad RECORDs allowed, excluded packages...)
 */
public record BuiltArtifact(
    Path zip,
    Path manifest,
    Path sbom,
    List<Path> locks,
    List<String> runtimes,
    List<String> architectures,
    String sha256,
    String codeSha256,
    String contentDigest,
    long zippedBytes,
    long unzippedBytes,
    long budgetBytes,
    List<PackageSize> packages,
    List<String> notes,
    List<String> warnings) {

  /** The zip size above which Lambda needs the layer uploaded through S3 (50 MiB). */
  public static final long DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;

  public BuiltArtifact {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(sbom, "sbom");
    locks = List.copyOf(locks);
    runtimes = List.copyOf(runtimes);
    architectures = List.copyOf(architectures);
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(codeSha256, "codeSha256");
    Objects.requireNonNull(contentDigest, "contentDigest");
    packages = List.copyOf(packages);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }

  /**
   * One installed package and its share of the layer.
   *
   * @param name the PEP 503 normalized name
   * @param version the version
   * @param unzippedBytes the size of its installed files (its RECORD and INSTALLER included)
   * @param files how many files it installed
   */
  public record PackageSize(String name, String version, long unzippedBytes, int files) {
    public PackageSize {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
    }
  }

  /** Whether the zip is over Lambda's 50 MiB direct-upload limit (publish through S3). */
  public boolean needsS3Upload() {
    return zippedBytes > DIRECT_UPLOAD_BYTES;
  }
}
