package dev.accretion.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where Python packages come from; pip's configuration applies when these are not given. */
final class IndexOptions {
  @Option(
      names = {"-i", "--index-url"},
      paramLabel = "URL",
      description =
          "Base URL of the package index (PEP 503/691), replacing pip's configured index-url."
              + " file:// indexes work too.")
  String indexUrl;

  @Option(
      names = "--extra-index-url",
      paramLabel = "URL",
      description = "More indexes, searched after the index URL (replaces pip's configured ones).")
  List<String> extraIndexUrls = new ArrayList<>();

  @Option(
      names = {"-f", "--find-links"},
      paramLabel = "PATH|URL",
      description = "A folder or page listing wheel files.")
  List<String> findLinks = new ArrayList<>();

  @Option(names = "--no-index", description = "Ignore every index; only --find-links locations.")
  boolean noIndex;

  @Option(
      names = "--cert",
      paramLabel = "PEM",
      description =
          "A PEM bundle of the certificate authorities https indexes are checked against, instead"
              + " of the default ones (for a private CA; replaces pip's configured cert).")
  String cert;

  @Option(
      names = "--index-strategy",
      paramLabel = "STRATEGY",
      defaultValue = "first-index",
      description =
          "first-index (default): per package only the first index that lists it is used, so a"
              + " private name can't be hijacked from a public index. best-match: pool every index"
              + " (pip's behaviour).")
  String strategy;

  @Option(names = "--pre", description = "Allow pre-releases and development versions.")
  boolean pre;

  /**
   * The Python builder's options these flags give (index overrides, strategy, pre-releases), plus
   * the listing's extras and groups; pip's configuration applies to what is not given.
   */
  Map<String, List<String>> builderOptions(List<String> extras, List<String> groups) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (indexUrl != null) {
      options.put("index-url", List.of(indexUrl));
    }
    if (!extraIndexUrls.isEmpty()) {
      options.put("extra-index-url", extraIndexUrls);
    }
    if (!findLinks.isEmpty()) {
      options.put("find-links", findLinks);
    }
    if (noIndex) {
      options.put("no-index", List.of("true"));
    }
    if (cert != null) {
      options.put("cert", List.of(cert));
    }
    options.put("index-strategy", List.of(strategy));
    if (pre) {
      options.put("pre", List.of("true"));
    }
    if (!extras.isEmpty()) {
      options.put("extra", extras);
    }
    if (!groups.isEmpty()) {
      options.put("group", groups);
    }
    return options;
  }
}
