package dev.accretion.python.install;

import dev.accretion.pipeline.spi.LayerFile;
import java.util.List;
import java.util.Objects;

/**
 * A wheel laid out for one target: the layer files it contributes (its {@code .dist-info} with a
 * true RECORD and INSTALLER included) and what was left out. Immutable.
 *
 * @param wheel the inspected wheel
 * @param files the files, sorted by path
 * @param notes what was left out and why (one line each), for the manifest
 * @param unzippedBytes the total content size of {@code files}
 * @param slimmedFiles files left out by {@link Slimming}
 * @param slimmedBytes their content size
 */
public record InstalledPackage(
    InspectedWheel wheel,
    List<LayerFile> files,
    List<String> notes,
    long unzippedBytes,
    int slimmedFiles,
    long slimmedBytes) {
  public InstalledPackage {
    Objects.requireNonNull(wheel, "wheel");
    files = List.copyOf(files);
    notes = List.copyOf(notes);
  }
}
