package dev.accretion.app.sources;

import java.util.List;
import java.util.Objects;

/**
 * Where Python packages come from, as a request names it; what is not given comes from pip's own
 * configuration (pip.conf, {@code PIP_INDEX_URL}, ...). Immutable.
 *
 * @param indexUrl replaces pip's configured index-url, or null
 * @param extraIndexUrls replace pip's configured extra-index-urls when not empty
 * @param findLinks folders or pages listing wheel files
 * @param noIndex ignore every index; only {@code findLinks}
 * @param cert a PEM bundle of the CAs https indexes are checked against, or null
 * @param strategy {@code first-index} or {@code best-match}, or null for first-index
 * @param pre allow pre-releases and development versions
 */
public record IndexSettings(
    String indexUrl,
    List<String> extraIndexUrls,
    List<String> findLinks,
    boolean noIndex,
    String cert,
    String strategy,
    boolean pre) {
  public IndexSettings {
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
    Objects.requireNonNull(extraIndexUrls, "extraIndexUrls");
  }

  /** Nothing given: pip's configuration decides, first-index strategy, no pre-releases. */
  public static IndexSettings configured() {
    return new IndexSettings(null, List.of(), List.of(), false, null, null, false);
  }
}
