package dev.accretion.python.index;

import java.net.URI;
import java.util.Objects;

/**
 * What one source (an index or a find-links location) answered about one project: its page, a clean
 * "not found" (HTTP 404/410, no project folder, no file of the project in a find-links location),
 * or the failure that kept it from answering. Exactly one of {@code page} and {@code failure} is
 * set, or neither for "not found". Immutable.
 *
 * @param source the index base URL or find-links location asked
 * @param findLinks true for a find-links location
 * @param page the project's page (possibly with no files), or null
 * @param failure why the source could not answer, or null
 */
public record IndexAnswer(URI source, boolean findLinks, ProjectPage page, IndexException failure) {
  public IndexAnswer {
    Objects.requireNonNull(source, "source");
    if (page != null && failure != null) {
      throw new IllegalArgumentException("an answer is a page or a failure, not both");
    }
  }

  /** True for a clean "not found": the source answered and does not have the project. */
  public boolean notFound() {
    return page == null && failure == null;
  }
}
