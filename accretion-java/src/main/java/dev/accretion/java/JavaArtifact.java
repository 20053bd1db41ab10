package dev.accretion.java;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One artifact of a Java resolution or lock: its coordinates, where it came from, its digest.
 * Immutable.
 *
 * @param coordinates the exact coordinates
 * @param scope {@code compile} or {@code runtime}
 * @param repositoryId the id of the repository it came from ({@code central}), the id settings'
 *     mirrors and servers match
 * @param repositoryUrl that repository's URL as declared (before mirrors)
 * @param sha256 lowercase hex SHA-256 of the file
 * @param size the file's size in bytes
 * @param license the licenses its POM declares (names, joined with {@code ; }), or null
 * @param dependencies the names ({@link MavenCoordinates#name()}) of the artifacts of the same
 *     resolution it depends on, sorted
 * @param localFile the file in the resolver's local repository, or null when not fetched yet (from
 *     a lock)
 * @param direct whether the listing names it itself (else a dependency brought it)
 */
record JavaArtifact(
    MavenCoordinates coordinates,
    String scope,
    String repositoryId,
    String repositoryUrl,
    String sha256,
    long size,
    String license,
    List<String> dependencies,
    Path localFile,
    boolean direct) {

  JavaArtifact {
    Objects.requireNonNull(coordinates, "coordinates");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(repositoryUrl, "repositoryUrl");
    Objects.requireNonNull(sha256, "sha256");
    dependencies = List.copyOf(dependencies);
  }

  /** The file's URL in its repository (before mirrors). */
  String url() {
    return (repositoryUrl.endsWith("/") ? repositoryUrl : repositoryUrl + "/")
        + coordinates.repositoryPath();
  }
}
