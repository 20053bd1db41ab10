package dev.accretion.pipeline.spi;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a package's file comes from. Immutable. Two packages with equal sources are fetched once.
 *
 * @param url where to download it ({@code https:}, {@code file:}); the session's {@link
 *     BuildSession#download} knows how (credentials, mirrors)
 * @param filename the file's name, for messages and manifests ({@code numpy-2.2.6-...whl}, {@code
 *     express-4.21.2.tgz}, {@code guava-33.4.0-jre.jar})
 * @param digests what the index, lock or repository promises about its bytes; the pipeline verifies
 *     every one and fails on a mismatch. Empty when nothing is known (a find-links folder): the
 *     pipeline then records the sha256 it computed and warns
 * @param size the size the source declares, or empty
 * @param origin where the promise about its bytes comes from, as a phrase for messages: {@code the
 *     index https://pypi.org/simple}, {@code the lock}, {@code the registry
 *     https://registry.npmjs.org} ("…, but the lock says …")
 */
public record PackageSource(
    URI url, String filename, List<Digest> digests, OptionalLong size, String origin) {
  public PackageSource {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filename, "filename");
    digests = List.copyOf(digests);
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(origin, "origin");
  }

  /** The promised sha256, if any. */
  public java.util.Optional<Digest> sha256() {
    return digests.stream().filter(d -> d.algorithm().equals("sha256")).findFirst();
  }
}
