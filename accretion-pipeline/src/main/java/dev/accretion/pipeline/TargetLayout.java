package dev.accretion.pipeline;

import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.util.List;
import java.util.Map;

/**
 * The files of one target, after collisions were resolved: what the target's zip holds, and a
 * fingerprint that is equal exactly when two targets can share one zip.
 *
 * @param packages the installed packages, by name
 * @param files every file, by path, each path once
 * @param sources path to the name of the package that owns it (the first, for merged files)
 * @param notes what the manifest says (left out, excluded, merged)
 * @param warnings what the user should look at
 * @param fingerprint the sha256 over the files (path, mode, content), the packages (name, version,
 *     file digest), the notes and the warnings
 */
record TargetLayout(
    Target target,
    Resolution resolution,
    List<Installed> packages,
    List<LayerFile> files,
    Map<String, String> sources,
    List<String> notes,
    List<String> warnings,
    String fingerprint) {

  /**
   * One package laid out for the target.
   *
   * @param fetched its file in the cache, or null for a package without a source
   */
  record Installed(
      ResolvedPackage resolved,
      OpenedPackage opened,
      FetchedFile fetched,
      InstalledPackage installed) {}

  long unzippedBytes() {
    long sum = 0;
    for (LayerFile f : files) {
      sum += f.size();
    }
    return sum;
  }
}
