package dev.accretion.python.resolve;

/** How files for one package are gathered from several indexes. */
public enum IndexStrategy {
  /**
   * Per package, the first source that has the project is the only one used, ranked: find-links
   * locations, then the extra indexes in order, then the index URL ({@link
   * dev.accretion.python.index.PipConfiguration#indexUrls()}). This is the default: a package name
   * that exists on a private index can't be hijacked by someone uploading the same name to a public
   * one (dependency confusion). A source that fails (5xx, timeout, TLS) before the one that has the
   * project stops it: only a clean "not found" lets the next source answer.
   */
  FIRST_INDEX,
  /** pip's behaviour: the files of every index are pooled and the best version wins. */
  BEST_MATCH;

  public static IndexStrategy parse(String text) {
    return switch (text) {
      case "first-index", "first-match", "first" -> FIRST_INDEX;
      case "best-match", "best" -> BEST_MATCH;
      default ->
          throw new IllegalArgumentException(
              "unknown index strategy '" + text + "': use first-index or best-match");
    };
  }

  public String cliName() {
    return this == FIRST_INDEX ? "first-index" : "best-match";
  }
}
