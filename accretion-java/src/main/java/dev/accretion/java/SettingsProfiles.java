package dev.accretion.java;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Activation;
import org.apache.maven.model.ActivationFile;
import org.apache.maven.model.ActivationOS;
import org.apache.maven.model.ActivationProperty;
import org.apache.maven.model.Profile;
import org.apache.maven.model.Repository;
import org.apache.maven.model.RepositoryPolicy;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * Converts settings.xml profiles and repositories to the model builder's and the resolver's types,
 * as Maven's {@code SettingsUtils} and {@code RepositoryUtils} do.
 */
final class SettingsProfiles {
  private SettingsProfiles() {}

  static List<Profile> toModel(List<org.apache.maven.settings.Profile> profiles) {
    List<Profile> out = new ArrayList<>();
    for (org.apache.maven.settings.Profile s : profiles) {
      Profile p = new Profile();
      p.setId(s.getId());
      p.setSource("settings.xml");
      org.apache.maven.settings.Activation sa = s.getActivation();
      if (sa != null) {
        Activation a = new Activation();
        a.setActiveByDefault(sa.isActiveByDefault());
        a.setJdk(sa.getJdk());
        if (sa.getProperty() != null) {
          ActivationProperty ap = new ActivationProperty();
          ap.setName(sa.getProperty().getName());
          ap.setValue(sa.getProperty().getValue());
          a.setProperty(ap);
        }
        if (sa.getOs() != null) {
          ActivationOS os = new ActivationOS();
          os.setArch(sa.getOs().getArch());
          os.setFamily(sa.getOs().getFamily());
          os.setName(sa.getOs().getName());
          os.setVersion(sa.getOs().getVersion());
          a.setOs(os);
        }
        if (sa.getFile() != null) {
          ActivationFile f = new ActivationFile();
          f.setExists(sa.getFile().getExists());
          f.setMissing(sa.getFile().getMissing());
          a.setFile(f);
        }
        p.setActivation(a);
      }
      p.setProperties(s.getProperties());
      for (org.apache.maven.settings.Repository r : s.getRepositories()) {
        p.addRepository(toModel(r));
      }
      for (org.apache.maven.settings.Repository r : s.getPluginRepositories()) {
        p.addPluginRepository(toModel(r));
      }
      out.add(p);
    }
    return out;
  }

  static Repository toModel(org.apache.maven.settings.Repository s) {
    Repository r = new Repository();
    r.setId(s.getId());
    r.setName(s.getName());
    r.setUrl(s.getUrl());
    r.setLayout(s.getLayout());
    r.setReleases(policy(s.getReleases()));
    r.setSnapshots(policy(s.getSnapshots()));
    return r;
  }

  private static RepositoryPolicy policy(org.apache.maven.settings.RepositoryPolicy s) {
    if (s == null) {
      return null;
    }
    RepositoryPolicy p = new RepositoryPolicy();
    p.setEnabled(s.isEnabled());
    p.setUpdatePolicy(s.getUpdatePolicy());
    p.setChecksumPolicy(s.getChecksumPolicy());
    return p;
  }

  /** A model repository as a resolver repository (before mirrors and credentials). */
  static RemoteRepository remote(Repository r) {
    return new RemoteRepository.Builder(
            r.getId(), r.getLayout() == null ? "default" : r.getLayout(), r.getUrl())
        .setReleasePolicy(policy(r.getReleases()))
        .setSnapshotPolicy(policy(r.getSnapshots()))
        .build();
  }

  private static org.eclipse.aether.repository.RepositoryPolicy policy(RepositoryPolicy p) {
    if (p == null) {
      return new org.eclipse.aether.repository.RepositoryPolicy();
    }
    return new org.eclipse.aether.repository.RepositoryPolicy(
        p.isEnabled(), p.getUpdatePolicy(), p.getChecksumPolicy());
  }
}
