package dev.accretion.efs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one install did. Immutable.
 *
 * @param set the resolved set
 * @param view the view folder ({@code ROOT/views/<digest>})
 * @param viewCreated whether this install wrote the view (false: it existed)
 * @param packages every package of the set, in name order, and what this install did for it
 * @param bytesWritten the bytes of package files this install wrote (0 when every version existed)
 */
public record InstallOutcome(
    EfsSet set, Path view, boolean viewCreated, List<Version> packages, long bytesWritten) {
  public InstallOutcome {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(view, "view");
    packages = List.copyOf(packages);
  }

  /**
   * One package version.
   *
   * @param installed whether this install wrote it (false: it was in the store)
   * @param files the files written (0 when not installed)
   * @param bytes the bytes written (0 when not installed)
   */
  public record Version(
      String name, String version, Path folder, boolean installed, int files, long bytes) {}

  /** How many versions this install wrote. */
  public long installedCount() {
    return packages.stream().filter(Version::installed).count();
  }
}
