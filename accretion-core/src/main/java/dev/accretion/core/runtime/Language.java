package dev.accretion.core.runtime;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A language family of Lambda managed runtimes. */
public enum Language {
  PYTHON("python"),
  NODEJS("nodejs"),
  JAVA("java");

  private final String id;

  Language(String id) {
    this.id = id;
  }

  /** The lower-case name used in the runtime matrix and in runtime identifiers. */
  public String id() {
    return id;
  }

  /**
   * Parses a language name as the runtime matrix writes it ({@code python}, {@code nodejs}, {@code
   * java}).
   *
   * @throws AccretionException listing the known languages if the name is none of them
   */
  public static Language parse(String text) throws AccretionException {
    for (Language language : values()) {
      if (language.id.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
        return language;
      }
    }
    throw new AccretionException(
        FailureKind.BAD_INPUT,
        "unknown language '"
            + text
            + "': expected one of "
            + Arrays.stream(values()).map(Language::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
