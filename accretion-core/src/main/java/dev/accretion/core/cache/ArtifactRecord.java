package dev.accretion.core.cache;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a selector points to: the artifact blob (the layer zip), the manifest blob, every file of
 * the artifact (zip, manifest, SBOM, lock...) with its blob digest and size, free-form attributes
 * (for example the content digest or the runtimes), and when it was built. All digests are blobs of
 * the same {@link ContentStore}; gc keeps every blob a remaining selector references. Immutable;
 * attributes are kept sorted by name.
 */
public record ArtifactRecord(
    String artifactSha256,
    String manifestSha256,
    List<ArtifactFile> files,
    SortedMap<String, String> attributes,
    Instant created) {

  public ArtifactRecord {
    artifactSha256 = Sha256.requireHex(artifactSha256, "artifact sha256");
    manifestSha256 = Sha256.requireHex(manifestSha256, "manifest sha256");
    files = List.copyOf(files);
    Objects.requireNonNull(attributes, "attributes");
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "attribute name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("artifact attribute names must not be empty");
      }
      sorted.put(name, Objects.requireNonNull(e.getValue(), "value of attribute " + name));
    }
    attributes = Collections.unmodifiableSortedMap(sorted);
    Objects.requireNonNull(created, "created");
  }

  /** A record with the given parts; {@code attributes} in any map (copied, sorted). */
  public static ArtifactRecord of(
      String artifactSha256,
      String manifestSha256,
      List<ArtifactFile> files,
      Map<String, String> attributes,
      Instant created) {
    return new ArtifactRecord(
        artifactSha256, manifestSha256, files, new TreeMap<>(attributes), created);
  }

  /** Every blob digest this record needs: artifact, manifest, then each file's, without repeats. */
  public Set<String> referencedDigests() {
    Set<String> digests = new LinkedHashSet<>();
    digests.add(artifactSha256);
    digests.add(manifestSha256);
    for (ArtifactFile file : files) {
      digests.add(file.sha256());
    }
    return Collections.unmodifiableSet(digests);
  }
}
