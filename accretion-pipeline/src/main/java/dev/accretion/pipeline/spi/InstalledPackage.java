package dev.accretion.pipeline.spi;

import java.util.List;
import java.util.Objects;

/**
 * A package laid out for one target: the files it puts in the zip and what was left out. Immutable.
 *
 * @param opened the opened package it comes from
 * @param files the files, in any order (the pipeline sorts them); identical files from two packages
 *     at one path are merged with a note, different ones fail the build naming both
 * @param notes what the manifest should say (files left out and why), one line each
 * @param warnings what the user should look at, one line each
 */
public record InstalledPackage(
    OpenedPackage opened, List<LayerFile> files, List<String> notes, List<String> warnings) {
  public InstalledPackage {
    Objects.requireNonNull(opened, "opened");
    files = List.copyOf(files);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }

  /** The total content size of {@link #files()}. */
  public long unzippedBytes() {
    long sum = 0;
    for (LayerFile f : files) {
      sum += f.size();
    }
    return sum;
  }
}
