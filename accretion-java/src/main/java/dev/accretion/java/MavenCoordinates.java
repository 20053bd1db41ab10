package dev.accretion.java;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One exact Maven artifact: {@code groupId:artifactId[:extension[:classifier]]:version}. Immutable.
 *
 * @param groupId the group id
 * @param artifactId the artifact id
 * @param extension the file extension ({@code jar} unless the type says otherwise)
 * @param classifier the classifier, empty when none
 * @param version the exact version (for a snapshot, the timestamped version of the file)
 * @param baseVersion the version as declared ({@code 1.0-SNAPSHOT} for a snapshot), else equal to
 *     {@code version}
 */
record MavenCoordinates(
    String groupId,
    String artifactId,
    String extension,
    String classifier,
    String version,
    String baseVersion) {

  MavenCoordinates {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(baseVersion, "baseVersion");
  }

  static MavenCoordinates of(org.eclipse.aether.artifact.Artifact a) {
    return new MavenCoordinates(
        a.getGroupId(),
        a.getArtifactId(),
        a.getExtension(),
        a.getClassifier(),
        a.getVersion(),
        a.getBaseVersion());
  }

  org.eclipse.aether.artifact.Artifact toArtifact() {
    return new org.eclipse.aether.artifact.DefaultArtifact(
        groupId, artifactId, classifier, extension, version);
  }

  /**
   * The package name in manifests: {@code groupId:artifactId} for a plain jar, else {@code
   * groupId:artifactId:extension:classifier} (Maven's conflict key), so two classifiers of one
   * artifact stay apart.
   */
  String name() {
    if (extension.equals("jar") && classifier.isEmpty()) {
      return groupId + ":" + artifactId;
    }
    return groupId + ":" + artifactId + ":" + extension + ":" + classifier;
  }

  /** The file name in a layer: {@code artifactId-baseVersion[-classifier].extension}. */
  String fileName() {
    return artifactId
        + "-"
        + baseVersion
        + (classifier.isEmpty() ? "" : "-" + classifier)
        + "."
        + extension;
  }

  /** The file name in the repository: {@code artifactId-version[-classifier].extension}. */
  String repositoryFileName() {
    return artifactId
        + "-"
        + version
        + (classifier.isEmpty() ? "" : "-" + classifier)
        + "."
        + extension;
  }

  /** The path in a Maven 2 layout repository. */
  String repositoryPath() {
    return groupId.replace('.', '/')
        + "/"
        + artifactId
        + "/"
        + baseVersion
        + "/"
        + repositoryFileName();
  }

  /** The Package URL: {@code pkg:maven/group/artifact@version?classifier=x&type=zip}. */
  String purl() {
    StringBuilder b =
        new StringBuilder("pkg:maven/")
            .append(enc(groupId))
            .append('/')
            .append(enc(artifactId))
            .append('@')
            .append(enc(version));
    String sep = "?";
    if (!classifier.isEmpty()) {
      b.append(sep).append("classifier=").append(enc(classifier));
      sep = "&";
    }
    if (!extension.equals("jar")) {
      b.append(sep).append("type=").append(enc(extension));
    }
    return b.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code group:artifact:extension[:classifier]:version}, as Maven Resolver writes it. */
  @Override
  public String toString() {
    return groupId
        + ":"
        + artifactId
        + ":"
        + extension
        + (classifier.isEmpty() ? "" : ":" + classifier)
        + ":"
        + version;
  }
}
