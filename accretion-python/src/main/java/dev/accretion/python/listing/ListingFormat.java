package dev.accretion.python.listing;

import java.nio.file.Path;
import java.util.Locale;

/** The dependency listing formats Accretion reads for Python, detected by file name. */
public enum ListingFormat {
  REQUIREMENTS("requirements", false),
  PYPROJECT("pyproject", false),
  PYLOCK("pylock", true),
  UV_LOCK("uv-lock", true),
  POETRY_LOCK("poetry-lock", true),
  PIPFILE_LOCK("pipfile-lock", true);

  private final String cliName;
  private final boolean lock;

  ListingFormat(String cliName, boolean lock) {
    this.cliName = cliName;
    this.lock = lock;
  }

  public String cliName() {
    return cliName;
  }

  /** Whether the format is a lock: used as it is, never re-resolved. */
  public boolean isLock() {
    return lock;
  }

  /** The format named on the command line ({@code --format}). */
  public static ListingFormat parse(String name) throws ListingException {
    for (ListingFormat f : values()) {
      if (f.cliName.equals(name)) {
        return f;
      }
    }
    throw new ListingException(
        "unknown listing format '"
            + name
            + "'; use one of: requirements, pyproject, pylock, uv-lock, poetry-lock, pipfile-lock");
  }

  /**
   * Detects the format from the file name: {@code pyproject.toml}, {@code pylock.toml} or {@code
   * pylock.<name>.toml}, {@code uv.lock}, {@code poetry.lock}, {@code Pipfile.lock}, and any other
   * {@code .txt} / {@code .in} file as a pip requirements file.
   */
  public static ListingFormat detect(Path file) throws ListingException {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("pyproject.toml")) {
      return PYPROJECT;
    }
    if (lower.equals("pylock.toml") || (lower.startsWith("pylock.") && lower.endsWith(".toml"))) {
      return PYLOCK;
    }
    if (lower.equals("uv.lock")) {
      return UV_LOCK;
    }
    if (lower.equals("poetry.lock")) {
      return POETRY_LOCK;
    }
    if (lower.equals("pipfile.lock")) {
      return PIPFILE_LOCK;
    }
    if (lower.endsWith(".txt") || lower.endsWith(".in") || lower.startsWith("requirements")) {
      return REQUIREMENTS;
    }
    throw new ListingException(
        "can't tell the format of '"
            + file
            + "' from its name; name it requirements.txt, pyproject.toml, pylock.toml, uv.lock,"
            + " poetry.lock or Pipfile.lock, or say --format requirements|pyproject|pylock|uv-lock|"
            + "poetry-lock|pipfile-lock");
  }
}
