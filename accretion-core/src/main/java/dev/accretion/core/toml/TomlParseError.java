package dev.accretion.core.toml;

import java.util.Objects;

/** Why a TOML document was refused, and where. Immutable. */
public final class TomlParseError {
  private final String message;
  private final TomlPosition position;

  TomlParseError(String message, TomlPosition position) {
    this.message = Objects.requireNonNull(message, "message");
    this.position = Objects.requireNonNull(position, "position");
  }

  /** What is wrong, in a few words (no position). */
  public String getMessage() {
    return message;
  }

  public TomlPosition position() {
    return position;
  }

  @Override
  public String toString() {
    return message + " (" + position + ")";
  }
}
