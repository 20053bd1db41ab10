package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A builder: turns one kind of listing into packages laid out for a Lambda target. Implementations
 * are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.accretion.pipeline.spi.Builder}), must have a public no-argument
 * constructor, and must be thread-safe and stateless between builds (all state of a build lives in
 * its {@link BuildSession}).
 */
public interface Builder {

  /**
   * A stable id, {@code [a-z][a-z0-9-]*}: {@code python}, {@code nodejs}, {@code java}, {@code
   * command}, or a plug-in's own. It is what {@code builder = "…"} in {@code accretion.toml} names,
   * and it is recorded in manifests.
   */
  String id();

  /**
   * The runtime languages this builder builds for; a target whose runtime has another language is a
   * usage error naming both. Empty means every runtime (custom builders that lay out plain files).
   */
  Set<Language> languages();

  /** The listing formats this builder reads, for {@code --help}, {@code --format} and errors. */
  List<ListingFormat> formats();

  /**
   * The format of {@code listing} if this builder reads it, from the file name (and, only where the
   * name is ambiguous, a look at the content); empty if the listing is not one of this builder's.
   * Must be cheap and must not fail: an unreadable file is the session's problem.
   */
  Optional<ListingFormat> detect(Path listing);

  /**
   * Opens a listing for a build: reads and validates it and the configuration it depends on
   * (indexes, registries, settings), without any network access, so that the selector cache can be
   * asked before anything is resolved.
   *
   * @throws AccretionException a {@link dev.accretion.core.FailureKind#BAD_INPUT} failure naming
   *     the file and line for a malformed listing, {@link dev.accretion.core.FailureKind#USAGE} for
   *     options the builder does not take, {@link dev.accretion.core.FailureKind#NOT_FOUND} for a
   *     missing file
   */
  BuildSession open(BuildInput input) throws AccretionException;

  /**
   * What this builder's package files are called in messages: {@code wheel}, {@code tarball},
   * {@code jar} ("wheel numpy-2.2.6-….whl from … has sha256 …, but the index says …").
   */
  default String packageFileNoun() {
    return "package file";
  }

  /**
   * The option keys this builder takes ({@link BuilderOptions}), so that a project file or a
   * service request can name a wrong key, with its line, before anything is built. Empty when the
   * builder does not declare them (a plug-in written before this method): its {@link #open} is then
   * the only check.
   */
  default Optional<Set<String>> optionKeys() {
    return Optional.empty();
  }
}
