package dev.accretion.java;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Parent;
import org.apache.maven.model.Repository;
import org.apache.maven.model.building.FileModelSource;
import org.apache.maven.model.building.ModelSource;
import org.apache.maven.model.resolution.ModelResolver;
import org.apache.maven.model.resolution.UnresolvableModelException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.VersionRangeRequest;
import org.eclipse.aether.resolution.VersionRangeResolutionException;
import org.eclipse.aether.resolution.VersionRangeResult;

/**
 * Finds parent POMs and imported BOMs in the project's repositories for Maven's model builder, as
 * Maven's own (package-private) {@code DefaultModelResolver} does: repositories the POMs declare
 * are added as the model builder meets them, with settings' mirrors and credentials applied;
 * version ranges of parents and imports resolve to the highest version. Not thread-safe (the model
 * builder makes copies).
 */
final class RepositoryModelResolver implements ModelResolver {
  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;
  private final java.util.Set<String> ids;

  RepositoryModelResolver(
      RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> start) {
    this.system = system;
    this.session = session;
    this.ids = new java.util.HashSet<>();
    start.forEach(r -> ids.add(r.getId()));
    this.repositories = new ArrayList<>(system.newResolutionRepositories(session, start));
  }

  private RepositoryModelResolver(RepositoryModelResolver other) {
    this.system = other.system;
    this.session = other.session;
    this.ids = new java.util.HashSet<>(other.ids);
    this.repositories = new ArrayList<>(other.repositories);
  }

  @Override
  public ModelSource resolveModel(String groupId, String artifactId, String version)
      throws UnresolvableModelException {
    Artifact pom = new DefaultArtifact(groupId, artifactId, "", "pom", version);
    try {
      Artifact resolved =
          system
              .resolveArtifact(session, new ArtifactRequest(pom, repositories, "project"))
              .getArtifact();
      return new FileModelSource(resolved.getPath().toFile());
    } catch (ArtifactResolutionException e) {
      throw new UnresolvableModelException(e.getMessage(), groupId, artifactId, version, e);
    }
  }

  @Override
  public ModelSource resolveModel(Parent parent) throws UnresolvableModelException {
    String version =
        highest(parent.getGroupId(), parent.getArtifactId(), parent.getVersion(), "parent");
    parent.setVersion(version);
    return resolveModel(parent.getGroupId(), parent.getArtifactId(), version);
  }

  @Override
  public ModelSource resolveModel(Dependency dependency) throws UnresolvableModelException {
    String version =
        highest(
            dependency.getGroupId(),
            dependency.getArtifactId(),
            dependency.getVersion(),
            "dependency");
    dependency.setVersion(version);
    return resolveModel(dependency.getGroupId(), dependency.getArtifactId(), version);
  }

  private String highest(String groupId, String artifactId, String version, String what)
      throws UnresolvableModelException {
    if (version == null || !(version.startsWith("[") || version.startsWith("("))) {
      return version;
    }
    try {
      VersionRangeResult r =
          system.resolveVersionRange(
              session,
              new VersionRangeRequest(
                  new DefaultArtifact(groupId, artifactId, "", "pom", version),
                  repositories,
                  "project"));
      if (r.getHighestVersion() == null) {
        throw new UnresolvableModelException(
            "no version of the " + what + " matches " + version, groupId, artifactId, version);
      }
      return r.getHighestVersion().toString();
    } catch (VersionRangeResolutionException e) {
      throw new UnresolvableModelException(e.getMessage(), groupId, artifactId, version, e);
    }
  }

  @Override
  public void addRepository(Repository repository) {
    addRepository(repository, false);
  }

  @Override
  public void addRepository(Repository repository, boolean replace) {
    if (ids.contains(repository.getId())) {
      if (!replace) {
        return;
      }
      repositories.removeIf(
          r ->
              r.getId().equals(repository.getId())
                  || r.getMirroredRepositories().stream()
                      .anyMatch(m -> m.getId().equals(repository.getId())));
    }
    ids.add(repository.getId());
    repositories.addAll(
        system.newResolutionRepositories(session, List.of(SettingsProfiles.remote(repository))));
  }

  @Override
  public ModelResolver newCopy() {
    return new RepositoryModelResolver(this);
  }
}
