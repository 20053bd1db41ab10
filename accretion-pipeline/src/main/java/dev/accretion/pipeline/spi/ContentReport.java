package dev.accretion.pipeline.spi;

import java.util.List;

/**
 * What a {@link ContentInspector} found in one zip, independent of any target. Immutable.
 *
 * @param packages the packages, in the order the inspector found them
 * @param problems what is inconsistent in their metadata (files listed but missing, present but
 *     unlisted, unreadable metadata)
 */
public record ContentReport(List<FoundPackage> packages, List<ContentProblem> problems) {
  public ContentReport {
    packages = List.copyOf(packages);
    problems = List.copyOf(problems);
  }

  /** Nothing found. */
  public static ContentReport empty() {
    return new ContentReport(List.of(), List.of());
  }
}
