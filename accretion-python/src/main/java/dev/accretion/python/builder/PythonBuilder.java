package dev.accretion.python.builder;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import dev.accretion.python.listing.ListingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Python builder ({@code python}): pip requirements files, pyproject.toml and the lock files
 * (pylock.toml, uv.lock, poetry.lock, Pipfile.lock), resolved in pure Java for each Lambda Python
 * runtime and laid out as wheels install under {@code python/}. Registered in {@code
 * META-INF/services/dev.accretion.pipeline.spi.Builder}. Stateless and thread-safe; a build's state
 * lives in its {@link PythonSession}.
 *
 * <p>Options ({@link dev.accretion.pipeline.spi.BuilderOptions}), each also a flag of {@code
 * accretion build}: {@code index-url}, {@code extra-index-url} (repeated), {@code find-links}
 * (repeated), {@code no-index}, {@code cert}, {@code index-strategy} ({@code first-index} or {@code
 * best-match}), {@code pre}, {@code extra} and {@code group} (repeated), {@code layout} ({@code
 * python} or {@code site-packages}), {@code scripts} (default true), {@code slim}, {@code
 * slim-pattern} (repeated), {@code allow-bad-record}.
 */
public final class PythonBuilder implements Builder {
  /** The builder id. */
  public static final String ID = "python";

  static final List<ListingFormat> FORMATS =
      List.of(
          new ListingFormat(
              "requirements",
              "pip requirements file (requirements.txt)",
              List.of("requirements*.txt", "*.txt", "*.in"),
              false),
          new ListingFormat(
              "pyproject",
              "PEP 621 project file (pyproject.toml)",
              List.of("pyproject.toml"),
              false),
          new ListingFormat(
              "pylock",
              "PEP 751 lock file (pylock.toml)",
              List.of("pylock.toml", "pylock.*.toml"),
              true),
          new ListingFormat("uv-lock", "uv lock file (uv.lock)", List.of("uv.lock"), true),
          new ListingFormat(
              "poetry-lock", "Poetry lock file (poetry.lock)", List.of("poetry.lock"), true),
          new ListingFormat(
              "pipfile-lock", "Pipenv lock file (Pipfile.lock)", List.of("Pipfile.lock"), true));

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Language> languages() {
    return Set.of(Language.PYTHON);
  }

  @Override
  public List<ListingFormat> formats() {
    return FORMATS;
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    try {
      return Optional.of(format(dev.accretion.python.listing.ListingFormat.detect(listing)));
    } catch (ListingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ListingFormat format(dev.accretion.python.listing.ListingFormat f) {
    for (ListingFormat candidate : FORMATS) {
      if (candidate.id().equals(f.cliName())) {
        return candidate;
      }
    }
    throw new IllegalStateException("no listing format " + f.cliName());
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    return PythonSession.open(input);
  }

  @Override
  public String packageFileNoun() {
    return "wheel";
  }

  @Override
  public Optional<Set<String>> optionKeys() {
    return Optional.of(PythonSession.KEYS);
  }
}
