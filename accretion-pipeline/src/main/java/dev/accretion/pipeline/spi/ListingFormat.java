package dev.accretion.pipeline.spi;

import java.util.List;
import java.util.Objects;

/**
 * One listing format a builder reads.
 *
 * @param id the {@code --format} value, {@code [a-z0-9-]+}: {@code requirements}, {@code pylock},
 *     {@code package-lock}, {@code pom}
 * @param description one line for help: "pip requirements file (requirements.txt)"
 * @param fileNames the file names (globs in the JDK's {@code PathMatcher} glob syntax) recognised
 *     as this format: {@code requirements*.txt}, {@code pylock.*.toml}
 * @param lock true when the format is a lock (used as it is, never re-resolved)
 */
public record ListingFormat(String id, String description, List<String> fileNames, boolean lock) {
  public ListingFormat {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("a format id is [a-z0-9-]+, got '" + id + "'");
    }
    Objects.requireNonNull(description, "description");
    fileNames = List.copyOf(fileNames);
  }
}
