package dev.accretion.cli;

import dev.accretion.app.sources.IndexSettings;
import java.util.ArrayList;
import java.util.List;
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
      description = "More indexes, searched before the index URL (replaces pip's configured ones).")
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

  IndexSettings settings() {
    return new IndexSettings(indexUrl, extraIndexUrls, findLinks, noIndex, cert, strategy, pre);
  }
}
