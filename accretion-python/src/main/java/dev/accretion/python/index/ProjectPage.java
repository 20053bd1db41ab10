package dev.accretion.python.index;

import dev.accretion.python.PackageName;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The files one source lists for one project: a simple index's project page, or the files of a
 * find-links location whose names belong to the project. Immutable.
 *
 * @param project the project
 * @param source the page URL that was read (for a find-links folder, the folder's URL)
 * @param files the files in the order the source lists them (find-links folders: by name)
 */
public record ProjectPage(PackageName project, URI source, List<IndexFile> files) {
  public ProjectPage {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(source, "source");
    files = List.copyOf(files);
  }
}
