package dev.accretion.python.resolve;

import dev.accretion.python.index.IndexFile;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.tags.WheelFilename;

/**
 * One installable release of a project for the target: its version and the wheel file chosen for it
 * (the best-ranked tag among that version's wheels that fit).
 *
 * @param rank the position of the wheel's best tag in the target's tag list (0 = best)
 */
public record Distribution(Version version, IndexFile file, WheelFilename wheel, int rank) {
  @Override
  public String toString() {
    return wheel.name().normalized() + " " + version + " (" + file.filename() + ")";
  }
}
